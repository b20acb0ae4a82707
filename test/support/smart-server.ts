import { createHash, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import express, { type Express, type Request } from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import { createSmartPlugin, type ResourceProvider, type SmartPlugin, type SmartPluginOptions } from '../../src/index.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { createSampleProviders } from '../../samples/host-ehr/fhir/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const ORIGIN = 'http://localhost:3000';
export const FHIR_BASE = `${ORIGIN}/smart/fhir`;
export const ISSUER = `${ORIGIN}/smart/auth`;
export const REDIRECT_URI = 'http://127.0.0.1:8765/callback';
export const TEST_SECRET = 'test-secret-0123456789-0123456789-abcdef';

/** The sample EHR's database with the plugin mounted at /smart in a bare Express app, the demo clients and the sample's FHIR providers. */
export interface SmartServer {
  db: TestDatabase;
  plugin: SmartPlugin;
  app: Express;
  /** Who the "host EHR" says is signed in, for EHR launch tests (set per test). */
  hostUser: { id: string | undefined };
  userId(login: string): Promise<string>;
  close(): Promise<void>;
}

export async function startSmartServer(
  options: Partial<SmartPluginOptions> = {},
  /** FHIR providers over the test database; default the sample's. */
  providers: (knex: Knex) => ResourceProvider[] = createSampleProviders,
): Promise<SmartServer> {
  const db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  const hostUser: { id: string | undefined } = { id: undefined };
  const plugin = await createSmartPlugin({
    secret: TEST_SECRET, knex: db.knex, publicUrl: `${ORIGIN}/smart`, development: true, database: { migrate: true },
    currentHostUser: (_req: Request) => hostUser.id, fhirResources: providers(db.knex), ...options,
  });
  await seedDemoClients(plugin, { origin: ORIGIN, knex: db.knex });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use('/smart', plugin.router);
  return {
    db, plugin, app, hostUser,
    userId: async (login) => String((await db.knex('ehr_users').where({ login_name: login }).first('id')).id),
    close: async () => {
      await plugin.close();
      await db.drop();
    },
  };
}

/** A PKCE pair (RFC 7636). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export type Agent = ReturnType<typeof request.agent>;

export interface AuthorizeParams {
  clientId?: string;
  scope: string;
  state?: string;
  redirectUri?: string;
  launch?: string;
  challenge?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(params: AuthorizeParams): string {
  const query = new URLSearchParams({
    response_type: 'code', client_id: params.clientId ?? 'demo-app', redirect_uri: params.redirectUri ?? REDIRECT_URI,
    scope: params.scope, state: params.state ?? 'state-123', aud: FHIR_BASE,
    code_challenge: params.challenge ?? pkce().challenge, code_challenge_method: 'S256',
    ...(params.launch ? { launch: params.launch } : {}), ...params.extra,
  });
  return `/smart/auth/authorize?${query}`;
}

/** The hidden fields of a page's form, as a browser would submit them. */
export function hiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[match[1] as string] = (match[2] as string).replace(/&amp;/g, '&');
  assert.ok(fields.transaction_id, 'the page carries the transaction id');
  return fields;
}

/** Follows the flow's own redirects inside the server until it leaves for the client or shows a page. */
export async function follow(agent: Agent, response: request.Response): Promise<request.Response> {
  let current = response;
  while ((current.status === 302 || current.status === 303) && String(current.headers.location).startsWith('/smart/auth/')) {
    current = await agent.get(String(current.headers.location));
  }
  return current;
}

/** Signs in on the plugin's page with EHR credentials. */
export async function signIn(agent: Agent, page: request.Response, username: string, password = 'demo-password'): Promise<request.Response> {
  assert.equal(page.status, 200, 'the sign-in page is shown');
  assert.match(page.text, /<h1>Sign in<\/h1>/);
  return follow(agent, await agent.post('/smart/auth/sign-in').type('form').send({ ...hiddenFields(page.text), username, password }));
}

/** Approves on the consent page, with the given scopes checked (default: every checked one). */
export async function consent(agent: Agent, page: request.Response, uncheck: string[] = []): Promise<request.Response> {
  assert.equal(page.status, 200, 'the consent page is shown');
  const checked = [...page.text.matchAll(/<input type="checkbox" [^>]*name="scope" value="([^"]+)"[^>]*checked/g)].map((m) => m[1] as string)
    .filter((scope) => !uncheck.includes(scope));
  const body = new URLSearchParams({ ...hiddenFields(page.text), decision: 'allow' });
  for (const scope of checked) body.append('scope', scope);
  return agent.post('/smart/auth/consent').type('form').send(body.toString());
}

/** The code (and state) the flow sent back to the client's redirect URI. */
export function codeFrom(response: request.Response): { code: string; state: string | null } {
  assert.equal(response.status, 302, `redirected to the client (got ${response.status}: ${response.text?.slice(0, 300)})`);
  const url = new URL(String(response.headers.location));
  assert.equal(`${url.origin}${url.pathname}`, REDIRECT_URI);
  const code = url.searchParams.get('code');
  assert.ok(code, `a code in ${url.search}`);
  return { code, state: url.searchParams.get('state') };
}

/** Where a redirect to the client goes (origin and path) and the parameters it carries. */
export function clientRedirect(response: request.Response): { target: string; params: Record<string, string> } {
  assert.equal(response.status, 302, `redirected to the client (got ${response.status}: ${response.text?.slice(0, 300)})`);
  const url = new URL(String(response.headers.location));
  return { target: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams) };
}

/** The authorization code exchange at the token endpoint (public client unless `basic` is given). */
export function exchangeCode(
  app: Express, code: string, verifier: string, options: { clientId?: string; basic?: string; redirectUri?: string } = {},
): request.Test {
  const call = request(app).post('/smart/auth/token').type('form');
  if (options.basic) call.auth(options.clientId ?? 'demo-confidential', options.basic);
  return call.send({
    grant_type: 'authorization_code', code, redirect_uri: options.redirectUri ?? REDIRECT_URI, code_verifier: verifier,
    ...(options.basic ? {} : { client_id: options.clientId ?? 'demo-app' }),
  });
}

/** The patients a picker page offers, by the name shown, with the id each radio submits. */
export function offeredPatients(page: string): Map<string, string> {
  const offered = new Map<string, string>();
  for (const match of page.matchAll(/name="patient" value="([^"]+)" required>\s*<label[^>]*>([^<(]+) \(/g)) {
    offered.set((match[2] as string).trim(), match[1] as string);
  }
  return offered;
}

/** On the picker: searches by `search` and chooses the patient shown as `name`. */
export async function pickPatient(agent: Agent, picker: request.Response, search: string, name: string): Promise<request.Response> {
  assert.match(picker.text, /<h1>Choose a patient<\/h1>/);
  const fields = hiddenFields(picker.text);
  const results = await agent.get(`/smart/auth/pick-patient?transaction_id=${fields.transaction_id}&name=${encodeURIComponent(search)}`);
  assert.equal(results.status, 200);
  const id = offeredPatients(results.text).get(name);
  assert.ok(id, `${name} is offered`);
  return follow(agent, await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(results.text), patient: id }));
}

/** The chart id of a demo patient, by given and family name. */
export async function demoPatientId(server: SmartServer, given: string, family: string): Promise<string> {
  const row = await server.db.knex('ehr_patients').where({ given_name: given, family_name: family }).first('id');
  assert.ok(row, `${given} ${family} is a demo patient`);
  return String(row.id);
}
