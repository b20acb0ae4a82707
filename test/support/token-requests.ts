import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT, importPKCS8, type CryptoKey, type KeyObject } from 'jose';
import request from 'supertest';
import {
  authorizeUrl, codeFrom, consent, follow, hiddenFields, ISSUER, pkce, REDIRECT_URI, signIn, type SmartServer,
} from './smart-server.ts';

export const TOKEN_PATH = '/smart/auth/token';
export const TOKEN_URL = `${ISSUER}/token`;
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const SECRETS = { 'demo-confidential': 'demo-confidential-secret', 'svc-client': 'svc-client-secret' } as const;
export const BACKEND_KID = 'backend-client-1';

type Form = Record<string, string>;

/** `Authorization: Basic` as RFC 6749 §2.3.1 builds it. */
export function basic(clientId: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** POST to the token endpoint as a form, optionally with Basic credentials. */
export function postToken(server: SmartServer, form: Form, auth?: string): request.Test {
  const req = request(server.app).post(TOKEN_PATH).type('form');
  if (auth) req.set('Authorization', auth);
  return req.send(new URLSearchParams(form).toString());
}

/** Asserts an RFC 6749 §5.2 error answer, body and status exactly, never cached. */
export function assertOAuthError(res: request.Response, status: number, error: string, description: string): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(res.body, { error, error_description: description });
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers.pragma, 'no-cache');
  if (status === 401) assert.equal(res.headers['www-authenticate'], 'Basic realm="smart-ehr-plugin", charset="UTF-8"');
  else assert.equal(res.headers['www-authenticate'], undefined);
}

export const CLIENT_AUTH_FAILED = ['invalid_client', 'Client authentication failed.'] as const;

export interface CodeOptions {
  clientId?: string;
  scope?: string;
  login?: string;
  /** Name to search in the patient picker when the scopes ask for a patient. */
  patientName?: string;
  /** Scopes to leave unchecked on the consent page, if it is shown. */
  uncheck?: string[];
}

/** Runs the front channel (sign-in, picker, consent) and returns a fresh code with its PKCE verifier. */
export async function obtainCode(server: SmartServer, options: CodeOptions = {}): Promise<{ code: string; verifier: string }> {
  const agent = request.agent(server.app);
  const { verifier, challenge } = pkce();
  const scope = options.scope ?? 'openid fhirUser offline_access user/Patient.rs user/Condition.rs';
  const start = await agent.get(authorizeUrl({ clientId: options.clientId ?? 'demo-app', scope, challenge }));
  let page = await signIn(agent, await follow(agent, start), options.login ?? 'provider');
  if (page.status === 200 && /<h1>Choose a patient<\/h1>/.test(page.text)) page = await pickPatient(agent, page, options.patientName ?? 'lopez');
  const back = page.status === 200 ? await consent(agent, page, options.uncheck) : page;
  return { code: codeFrom(back).code, verifier };
}

async function pickPatient(agent: ReturnType<typeof request.agent>, picker: request.Response, name: string): Promise<request.Response> {
  const transactionId = hiddenFields(picker.text).transaction_id as string;
  const search = await agent.get(`/smart/auth/pick-patient?transaction_id=${transactionId}&name=${encodeURIComponent(name)}`).expect(200);
  const patient = /name="patient" value="([^"]+)"/.exec(search.text)?.[1];
  assert.ok(patient, `a patient named ${name} is offered`);
  return follow(agent, await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(search.text), patient }));
}

/** The code exchange a public client makes (client_id in the body). */
export function redeemCode(server: SmartServer, code: string, verifier: string, extra: Form = {}, auth?: string): request.Test {
  const form: Form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, ...extra };
  if (!auth && form.client_id === undefined) form.client_id = 'demo-app';
  return postToken(server, form, auth);
}

/** A fresh token response (demo-app unless another client is named), for tests that need live tokens. */
export async function tokensFor(server: SmartServer, options: CodeOptions = {}): Promise<Record<string, string>> {
  const clientId = options.clientId ?? 'demo-app';
  const { code, verifier } = await obtainCode(server, { ...options, clientId });
  const secret = SECRETS[clientId as keyof typeof SECRETS];
  const res = await redeemCode(server, code, verifier, secret ? {} : { client_id: clientId }, secret ? basic(clientId, secret) : undefined);
  assert.equal(res.status, 200, res.text);
  return res.body as Record<string, string>;
}

/** Refreshes with the public demo app (or the given credentials). */
export function refresh(server: SmartServer, refreshToken: string, extra: Form = {}, auth?: string): request.Test {
  const form: Form = { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra };
  if (!auth && form.client_id === undefined) form.client_id = 'demo-app';
  return postToken(server, form, auth);
}

/** Introspects with demo-confidential's credentials (RFC 7662). */
export function introspect(server: SmartServer, token: string, auth = basic('demo-confidential', SECRETS['demo-confidential'])): request.Test {
  return request(server.app).post('/smart/auth/introspect').type('form').set('Authorization', auth).send({ token });
}

/** Whether introspection still calls the token active. */
export async function isActive(server: SmartServer, token: string): Promise<boolean> {
  const res = await introspect(server, token);
  assert.equal(res.status, 200, res.text);
  return res.body.active as boolean;
}

/** The password grant of svc-client, with any parameter overridden or (undefined) left out. */
export function passwordGrant(server: SmartServer, fields: Record<string, string | undefined> = {}, address?: string): request.Test {
  const all: Record<string, string | undefined> = {
    grant_type: 'password', client_id: 'svc-client', client_secret: SECRETS['svc-client'],
    username: 'svc-portal', password: 'demo-password', scope: 'user/Patient.rs user/Condition.rs', ...fields,
  };
  const form = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
  const req = request(server.app).post(TOKEN_PATH).type('form');
  if (address) req.set('X-Forwarded-For', address);
  return req.send(new URLSearchParams(form).toString());
}

export type SigningKey = CryptoKey | KeyObject;

/** The demo backend client's private key (samples/keys). */
export async function backendClientKey(): Promise<SigningKey> {
  const pem = await readFile(new URL('../../samples/keys/backend-client.private.pem', import.meta.url), 'utf8');
  return importPKCS8(pem, 'RS384');
}

export interface AssertionOptions {
  key: SigningKey;
  alg?: 'RS384' | 'ES384';
  kid?: string;
  clientId?: string;
  claims?: Record<string, unknown>;
  /** Claims to leave out. */
  omit?: string[];
}

/** A `private_key_jwt` client assertion (RFC 7523 §3, SMART client-confidential-asymmetric). */
export async function clientAssertion(options: AssertionOptions): Promise<string> {
  const clientId = options.clientId ?? 'backend-client';
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: clientId, sub: clientId, aud: TOKEN_URL, exp: now + 240, iat: now, jti: randomUUID(), ...options.claims };
  for (const name of options.omit ?? []) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS384', kid: options.kid ?? BACKEND_KID, typ: 'JWT' })
    .sign(options.key);
}

/** grant_type=client_credentials with an assertion. */
export function clientCredentials(server: SmartServer, assertion: string, scope = 'system/Patient.rs', extra: Form = {}): request.Test {
  return postToken(server, {
    grant_type: 'client_credentials', scope, client_assertion_type: JWT_BEARER, client_assertion: assertion, ...extra,
  });
}
