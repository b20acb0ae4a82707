import assert from 'node:assert/strict';
import request from 'supertest';
import type { FhirResource } from '../../src/index.ts';
import { assertValidR4 } from './fhir-validate.ts';
import { FHIR_BASE, REDIRECT_URI, type SmartServer } from './smart-server.ts';
import { passwordGrant, tokensFor, type CodeOptions } from './token-requests.ts';

export const FHIR_PATH = '/smart/fhir';

/** An access token of the `svc-portal` service user (API Server User: View Charts, Registration, Schedule) through the password grant. */
export async function serviceToken(server: SmartServer, scope = 'user/*.rs', username = 'svc-portal'): Promise<string> {
  const res = await passwordGrant(server, { scope, username });
  assert.equal(res.status, 200, res.text);
  return res.body.access_token as string;
}

/** An access token of a demo user through the real authorization code flow (sign-in, picker, consent). */
export async function userToken(server: SmartServer, options: CodeOptions & { login: string }): Promise<{ token: string; patient?: string }> {
  const body = await tokensFor(server, options);
  return { token: body.access_token as string, patient: body.patient };
}

/** `GET {fhir}/{path}` with a bearer token. */
export function fhirGet(server: SmartServer, path: string, token: string | undefined): request.Test {
  const req = request(server.app).get(`${FHIR_PATH}/${path}`);
  return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
}

/** `POST {fhir}/{type}/_search` with a form body. */
export function fhirPostSearch(server: SmartServer, type: string, form: string, token: string): request.Test {
  return request(server.app).post(`${FHIR_PATH}/${type}/_search`).set('Authorization', `Bearer ${token}`)
    .type('form').send(form);
}

export interface SearchOutcome {
  total: number;
  /** Matches across every page, in order. */
  matches: FhirResource[];
  /** Resources added by `_include`/`_revinclude`, across every page. */
  included: FhirResource[];
  pages: number;
}

/**
 * Runs a search by GET (`Type?query`) or POST (`Type/_search` with the query as the form body) and follows every
 * `next` link, asserting each page is a searchset Bundle with the same total.
 */
export async function searchAll(server: SmartServer, type: string, query: string, token: string, via: 'GET' | 'POST' = 'GET'): Promise<SearchOutcome> {
  let res = via === 'GET' ? await fhirGet(server, `${type}?${query}`, token) : await fhirPostSearch(server, type, query, token);
  const outcome: SearchOutcome = { total: -1, matches: [], included: [], pages: 0 };
  for (;;) {
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.resourceType, 'Bundle');
    assert.equal(res.body.type, 'searchset');
    if (outcome.total === -1) outcome.total = res.body.total as number;
    else assert.equal(res.body.total, outcome.total, 'every page reports the same total');
    outcome.pages += 1;
    for (const entry of (res.body.entry ?? []) as Array<{ resource: FhirResource; search: { mode: string } }>) {
      (entry.search.mode === 'match' ? outcome.matches : outcome.included).push(entry.resource);
    }
    const next = (res.body.link as Array<{ relation: string; url: string }>).find((l) => l.relation === 'next');
    if (!next) break;
    assert.ok(next.url.startsWith(`${FHIR_BASE}/${type}?_page=`), next.url);
    res = await fhirGet(server, next.url.slice(FHIR_BASE.length + 1), token);
    assert.ok(outcome.pages < 100, 'paging ends');
  }
  return outcome;
}

/** The ids of resources, sorted, for comparing result sets. */
export function idsOf(resources: readonly FhirResource[]): string[] {
  return resources.map((r) => String(r.id)).sort();
}

/** A public app that may ask for write scopes too (the demo apps are read only); the EHR's permissions still decide. */
export async function registerWriterApp(server: SmartServer): Promise<string> {
  await server.plugin.clients.register({
    clientId: 'writer-app', name: 'Test app that writes', authMethod: 'none', redirectUris: [REDIRECT_URI],
    scopes: ['openid', 'fhirUser', 'launch/patient', 'user/*.cruds', 'patient/*.cruds'], grantTypes: ['authorization_code'],
  });
  return 'writer-app';
}

/** An OperationOutcome answer: status, FHIR JSON, one error issue of this code (and these diagnostics), valid R4. */
export function assertOutcome(res: request.Response, status: number, code: string, diagnostics?: string | RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/fhir\+json; charset=utf-8$/);
  assert.equal(res.body.resourceType, 'OperationOutcome');
  assert.equal(res.body.issue.length, 1);
  assert.equal(res.body.issue[0].severity, 'error');
  assert.equal(res.body.issue[0].code, code);
  if (typeof diagnostics === 'string') assert.equal(res.body.issue[0].diagnostics, diagnostics);
  else if (diagnostics) assert.match(res.body.issue[0].diagnostics, diagnostics);
  assertValidR4(res.body);
}
