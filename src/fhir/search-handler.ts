import type { Request, Response } from 'express';
import type { Caller } from './caller.ts';
import { searchsetBundle } from './bundle.ts';
import type { FhirContext } from './fhir-context.ts';
import { RESOURCE_ID } from './fhir-names.ts';
import { sendFhir } from './fhir-response.ts';
import { FhirHttpError } from './operation-outcome.ts';
import type { FhirResource, ResourceProvider } from './provider.ts';
import { parseSearch, type ParsedSearch } from './search-parameters.ts';

const PAGE = '_page';
// How many resources `_revinclude` may add per page; Provenance is one per match, so this is generous.
const MAX_REVINCLUDED = 1000;

/** `GET [type]?…`, `POST [type]/_search` and the paging links of both (FHIR R4 §3.1.1, US Core general requirements). */
export async function searchType(context: FhirContext, provider: ResourceProvider, caller: Caller, req: Request, res: Response, body: Array<[string, string]>): Promise<void> {
  const asked = [...queryEntries(req), ...body];
  let entries = asked;
  let offset = 0;
  let sealed: string | undefined;
  const page = asked.find(([name]) => name === PAGE);
  if (page) {
    // `_page=<sealed search>.<offset>`: the sealed part is reused for this page's own links.
    const [seal = '', at = ''] = page[1].split('.');
    const search = asked.length === 1 && /^\d{1,9}$/.test(at) ? context.cursors.open(seal, caller.tokenId) : undefined;
    if (!search || search.resourceType !== provider.resourceType) {
      throw new FhirHttpError(400, 'invalid', 'This paging link is not valid for this access token, or has expired. Search again.');
    }
    entries = search.entries;
    offset = Number(at);
    sealed = seal;
  }
  const restrictions = await context.policy.restrictionsFor(caller, provider.resourceType, 'search');
  const parsed = parseSearch(entries, provider, context.providers, context.limits);
  const result = await provider.search({ criteria: parsed.criteria, offset, count: parsed.count, restrictions });
  const matches = await context.guard.admit(provider.resourceType, result.resources.slice(0, parsed.count), restrictions);
  // Withheld resources were a provider's mistake; they are not counted either.
  const total = Math.max(0, result.total - (Math.min(result.resources.length, parsed.count) - matches.length));
  const included = await collectIncluded(context, caller, provider, parsed, matches);
  const search = sealed ?? context.cursors.seal({ resourceType: provider.resourceType, entries }, caller.tokenId, caller.expiresAt);
  const link = (at: number) => `${context.fhirBaseUrl}/${provider.resourceType}?${PAGE}=${search}.${at}`;
  const next = parsed.count > 0 && offset + parsed.count < total ? link(offset + parsed.count) : undefined;
  const previous = offset > 0 && parsed.count > 0 ? link(Math.max(0, offset - parsed.count)) : undefined;
  sendFhir(res, 200, searchsetBundle(context.fhirBaseUrl, total, { self: link(offset), next, previous }, matches, included));
}

/** The raw query string's parameters, in order, with repeats (FHIR needs both; Express's parsed `req.query` keeps neither reliably). */
export function queryEntries(req: Request): Array<[string, string]> {
  const question = req.originalUrl.indexOf('?');
  return question < 0 ? [] : formEntries(req.originalUrl.slice(question + 1));
}

export function formEntries(text: string): Array<[string, string]> {
  try {
    return [...new URLSearchParams(text)];
  } catch {
    throw new FhirHttpError(400, 'invalid', 'The search parameters could not be read.');
  }
}

/** `_include` and `_revinclude` targets, each passing the same checks as a direct read (REQ-SL-3). */
async function collectIncluded(context: FhirContext, caller: Caller, provider: ResourceProvider, parsed: ParsedSearch, matches: FhirResource[]): Promise<FhirResource[]> {
  const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id}`));
  const added: FhirResource[] = [];
  const add = (resources: FhirResource[]) => {
    for (const resource of resources) {
      const key = `${resource.resourceType}/${resource.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        added.push(resource);
      }
    }
  };
  for (const include of parsed.includes) {
    const definition = provider.includes?.find((i) => i.name === include.name);
    if (!definition) continue;
    const references = new Set(matches.flatMap((m) => definition.referencesOf(m)));
    for (const reference of references) {
      const [type, id] = reference.split('/');
      if (!type || !id || (include.target !== undefined && type !== include.target) || !definition.targets.includes(type)) continue;
      add(await readIfAllowed(context, caller, type, id));
    }
  }
  for (const rev of parsed.revIncludes) {
    if (matches.length === 0) continue;
    const from = context.providers.get(rev.resourceType);
    const restrictions = await allowedOrUndefined(context, caller, rev.resourceType, 'search');
    if (!from || !restrictions) continue;
    const values = matches.map((m) => ({ kind: 'reference' as const, resourceType: m.resourceType, id: String(m.id) }));
    const result = await from.search({ criteria: [{ name: rev.name, values }], offset: 0, count: MAX_REVINCLUDED, restrictions });
    add(await context.guard.admit(rev.resourceType, result.resources, restrictions));
  }
  return added;
}

/** A referenced resource, if the caller could read it directly; otherwise nothing (never an error). */
async function readIfAllowed(context: FhirContext, caller: Caller, type: string, id: string): Promise<FhirResource[]> {
  const provider = context.providers.get(type);
  const restrictions = await allowedOrUndefined(context, caller, type, 'read');
  if (!provider || !restrictions || !RESOURCE_ID.test(id)) return [];
  const found = await provider.read(id, { restrictions });
  return found ? context.guard.admit(type, [found], restrictions) : [];
}

async function allowedOrUndefined(context: FhirContext, caller: Caller, type: string, interaction: 'read' | 'search') {
  try {
    return await context.policy.restrictionsFor(caller, type, interaction);
  } catch (error) {
    if (error instanceof FhirHttpError && error.status === 403) return undefined;
    throw error;
  }
}
