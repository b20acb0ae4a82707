import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, basic, isActive, passwordGrant, refresh, SECRETS, tokensFor,
} from '../support/token-requests.ts';

const SCOPE = 'offline_access user/Patient.rs';
const CONFIDENTIAL = basic('demo-confidential', SECRETS['demo-confidential']);
const SERVICE = basic('svc-client', SECRETS['svc-client']);

/** POST {issuer}/revoke as the public demo app, or with the given credentials. */
function revoke(server: SmartServer, form: Record<string, string>, auth?: string): request.Test {
  const req = request(server.app).post('/smart/auth/revoke').type('form');
  if (auth) req.set('Authorization', auth);
  return req.send(auth ? form : { client_id: 'demo-app', ...form });
}

/** RFC 7009 token revocation. */
describe(`token revocation on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('revokes an access token: 200 with no body, uncached, and introspection then says inactive', async () => {
    const tokens = await tokensFor(server, { scope: SCOPE });
    const res = await revoke(server, { token: tokens.access_token as string, token_type_hint: 'access_token' });
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(await isActive(server, tokens.access_token as string), false);
    // Only that access token: the refresh token still gets a new one.
    const refreshed = await refresh(server, tokens.refresh_token as string);
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(await isActive(server, refreshed.body.access_token), true);
  });

  it('revokes a refresh token with its whole family, access tokens included', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const second = (await refresh(server, first.refresh_token as string)).body;
    // The hint is only a hint: a refresh token sent as "access_token" is found all the same.
    assert.equal((await revoke(server, { token: second.refresh_token, token_type_hint: 'access_token' })).status, 200);
    assert.equal(await isActive(server, first.access_token as string), false);
    assert.equal(await isActive(server, second.access_token), false);
    assertOAuthError(await refresh(server, second.refresh_token), 400, 'invalid_grant', 'The refresh token was revoked.');
  });

  it('leaves other sign-ins of the same user and client alone', async () => {
    const one = await tokensFor(server, { scope: SCOPE });
    const other = await tokensFor(server, { scope: SCOPE });
    assert.equal((await revoke(server, { token: one.refresh_token as string })).status, 200);
    assert.equal(await isActive(server, one.access_token as string), false);
    assert.equal(await isActive(server, other.access_token as string), true);
    assert.equal((await refresh(server, other.refresh_token as string)).status, 200);
  });

  it('revokes one password-grant session of a service user without touching its other sessions', async () => {
    const scope = 'offline_access user/Patient.rs';
    const one = (await passwordGrant(server, { scope })).body;
    const other = (await passwordGrant(server, { scope })).body;
    assert.equal((await revoke(server, { token: one.refresh_token }, SERVICE)).status, 200);
    assert.equal(await isActive(server, one.access_token), false);
    assert.equal(await isActive(server, other.access_token), true);
    assert.equal((await refresh(server, other.refresh_token, {}, SERVICE)).status, 200);
  });

  it('answers 200 for an unknown token, and for one already revoked', async () => {
    assert.equal((await revoke(server, { token: 'never-issued' })).status, 200);
    const tokens = await tokensFor(server, { scope: SCOPE });
    assert.equal((await revoke(server, { token: tokens.refresh_token as string })).status, 200);
    assert.equal((await revoke(server, { token: tokens.refresh_token as string })).status, 200);
  });

  it('does not revoke another client\'s tokens, though it answers 200', async () => {
    const tokens = await tokensFor(server, { scope: SCOPE });
    assert.equal((await revoke(server, { token: tokens.access_token as string }, CONFIDENTIAL)).status, 200);
    assert.equal((await revoke(server, { token: tokens.refresh_token as string }, CONFIDENTIAL)).status, 200);
    assert.equal(await isActive(server, tokens.access_token as string), true);
    assert.equal((await refresh(server, tokens.refresh_token as string)).status, 200);
  });

  it('authenticates the client: a wrong secret is 401, a missing token 400', async () => {
    const tokens = await tokensFor(server, { clientId: 'demo-confidential', scope: SCOPE });
    assertOAuthError(await revoke(server, { token: tokens.access_token as string }, basic('demo-confidential', 'wrong-secret')),
      401, 'invalid_client', 'Client authentication failed.');
    assert.equal(await isActive(server, tokens.access_token as string), true);
    assertOAuthError(await revoke(server, { token: tokens.access_token as string, client_id: 'nobody' }, undefined), 401,
      'invalid_client', 'Client authentication failed.');
    assertOAuthError(await revoke(server, {}, CONFIDENTIAL), 400, 'invalid_request', 'token is missing.');
    assert.equal((await revoke(server, { token: tokens.access_token as string }, CONFIDENTIAL)).status, 200);
    assert.equal(await isActive(server, tokens.access_token as string), false);
  });
});
