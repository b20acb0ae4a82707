import type { Request, Response } from 'express';
import type { Caller } from './caller.ts';
import type { FhirContext } from './fhir-context.ts';
import { RESOURCE_ID } from './fhir-names.ts';
import { etagOf, notModified, sendFhir, serialised } from './fhir-response.ts';
import { FhirHttpError, notFound } from './operation-outcome.ts';
import type { AccessRestrictions, FhirResource, ResourceProvider } from './provider.ts';


/** `GET [type]/[id]`: hidden and missing resources get the same 404 (REQ-SL-1); `If-None-Match` gives 304. */
export async function readInstance(context: FhirContext, provider: ResourceProvider, caller: Caller, id: string, req: Request, res: Response): Promise<void> {
  checkId(provider.resourceType, id);
  const type = provider.resourceType;
  const restrictions = await context.policy.restrictionsFor(caller, type, 'read');
  const resource = await visible(context, provider, id, restrictions);
  const { json, etag } = serialised(resource);
  if (notModified(req, etag)) {
    res.status(304).set({ ETag: etag, 'Cache-Control': 'no-store' }).end();
    return;
  }
  if (type === 'Binary' && wantsNativeContent(req)) {
    sendNativeContent(res, resource, etag);
    return;
  }
  sendFhir(res, 200, json, { ETag: etag });
}

/** `POST [type]`: only where the provider creates (Appointment in the sample); the patient must be in the caller's reach. */
export async function createInstance(context: FhirContext, provider: ResourceProvider, caller: Caller, req: Request, res: Response): Promise<void> {
  const type = provider.resourceType;
  const input = resourceBody(req, type);
  if (input.id !== undefined) delete input.id;
  const restrictions = await context.policy.restrictionsFor(caller, type, 'create');
  await checkPatients(context, input, restrictions);
  const created = await provider.create!(input, { restrictions });
  const [resource] = await context.guard.admit(type, [created], restrictions);
  const id = created.resource.id;
  const location = { Location: `${context.fhirBaseUrl}/${type}/${id}` };
  if (!resource) {
    // Written, but not something this caller may read back: say where it is and no more.
    res.status(201).set({ ...location, 'Cache-Control': 'no-store' }).end();
    return;
  }
  const etag = etagOf(resource);
  if (/return=minimal/.test(req.get('prefer') ?? '')) {
    res.status(201).set({ ...location, ETag: etag, 'Cache-Control': 'no-store' }).end();
    return;
  }
  sendFhir(res, 201, resource, { ...location, ETag: etag });
}

/** `PUT [type]/[id]`: update only, never create; `If-Match` guards against overwriting someone else's change. */
export async function updateInstance(context: FhirContext, provider: ResourceProvider, caller: Caller, id: string, req: Request, res: Response): Promise<void> {
  checkId(provider.resourceType, id);
  const type = provider.resourceType;
  const input = resourceBody(req, type);
  if (input.id !== id) throw new FhirHttpError(400, 'invalid', `The resource's id must be "${id}", the id in the URL.`);
  const restrictions = await context.policy.restrictionsFor(caller, type, 'update');
  const ifMatch = req.get('if-match');
  if (ifMatch !== undefined) {
    const current = await visible(context, provider, id, restrictions);
    const bare = (tag: string) => tag.trim().replace(/^W\//, '');
    if (bare(ifMatch) !== bare(etagOf(current))) {
      throw new FhirHttpError(412, 'conflict', `${type}/${id} was changed since it was read; read it again and reapply the change.`);
    }
  }
  await checkPatients(context, input, restrictions);
  const updated = await provider.update!(id, input, { restrictions });
  if (!updated) throw notFound(type, id);
  const [resource] = await context.guard.admit(type, [updated], restrictions);
  if (!resource) throw notFound(type, id);
  sendFhir(res, 200, resource, { ETag: etagOf(resource) });
}

/**
 * FHIR R4 Binary: a read that does not ask for a FHIR format explicitly gets the content itself, in its own
 * content type (R4 binary.html "Serving Binary Resources using the RESTful API").
 */
function wantsNativeContent(req: Request): boolean {
  const format = new URLSearchParams(req.originalUrl.split('?')[1] ?? '').get('_format');
  if (format !== null) return !/json/.test(format);
  return !/json/.test(req.get('accept') ?? '');
}

/**
 * The document's bytes under its own content type, never rendered as a page of this origin: a sandboxing CSP
 * (a stored HTML note cannot run script or reach the EHR's cookies) and no MIME sniffing.
 */
function sendNativeContent(res: Response, resource: FhirResource, etag: string): void {
  const declared = typeof resource.contentType === 'string' ? resource.contentType : '';
  const contentType = /^[a-z]+\/[a-z0-9.+-]+(;\s*charset=[A-Za-z0-9_-]+)?$/i.test(declared) ? declared : 'application/octet-stream';
  const body = Buffer.from(typeof resource.data === 'string' ? resource.data : '', 'base64');
  res.status(200).set({
    'Content-Type': contentType, 'Cache-Control': 'no-store', ETag: etag, 'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  res.setHeader('Content-Length', body.length);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

async function visible(context: FhirContext, provider: ResourceProvider, id: string, restrictions: AccessRestrictions): Promise<FhirResource> {
  const found = await provider.read(id, { restrictions });
  const [resource] = found ? await context.guard.admit(provider.resourceType, [found], restrictions) : [];
  if (!resource) throw notFound(provider.resourceType, id);
  return resource;
}

function checkId(type: string, id: string): void {
  if (!RESOURCE_ID.test(id)) throw new FhirHttpError(400, 'invalid', `"${id.slice(0, 80)}" is not a valid ${type} id (1-64 letters, digits, "-" or ".").`);
}

function resourceBody(req: Request, type: string): FhirResource {
  if (!req.is(['application/fhir+json', 'application/json'])) {
    throw new FhirHttpError(415, 'not-supported', `The request body must be a ${type} resource in JSON (Content-Type: application/fhir+json).`);
  }
  const body = req.body as unknown;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length === 0) {
    throw new FhirHttpError(400, 'structure', `The request body must be a ${type} resource in JSON (Content-Type: application/fhir+json).`);
  }
  const resource = body as FhirResource;
  if (resource.resourceType !== type) throw new FhirHttpError(400, 'invalid', `The request body must be a ${type} resource.`);
  return resource;
}

/**
 * Every patient a written resource points at must be one the caller may reach: the compartment of a patient/
 * token, and no sensitive chart without the permission. Otherwise the same 404 as for a patient that does not exist.
 */
async function checkPatients(context: FhirContext, resource: FhirResource, restrictions: AccessRestrictions): Promise<void> {
  const patients = new Set<string>();
  if (resource.resourceType === 'Patient' && typeof resource.id === 'string') patients.add(resource.id);
  collectPatientReferences(resource, patients);
  for (const patientId of patients) {
    if ((restrictions.patientId !== undefined && patientId !== restrictions.patientId)
      || (!restrictions.sensitiveCharts && await context.policy.isSensitiveChart(patientId))) {
      throw notFound('Patient', patientId);
    }
  }
}

function collectPatientReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectPatientReferences(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'reference' && typeof item === 'string') {
        const match = /^(?:.*\/)?Patient\/([^/]+)$/.exec(item);
        if (match?.[1]) into.add(match[1]);
      } else {
        collectPatientReferences(item, into);
      }
    }
  }
}
