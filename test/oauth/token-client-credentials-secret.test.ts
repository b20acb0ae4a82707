import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { assertOAuthError, basic, postToken } from '../support/token-requests.ts';

const SECRET = 'legacy-backend-secret-0123456789';

/** Registers a backend that still authenticates with a client secret (the deprecated form, DESIGN §3). */
async function withLegacyBackend(server: SmartServer): Promise<void> {
  await server.plugin.clients.register({
    clientId: 'legacy-backend', authMethod: 'client_secret_basic', clientSecret: SECRET, scopes: ['system/*.rs'],
    grantTypes: ['client_credentials'], serviceUserId: await server.userId('svc-portal'),
  });
}

const request = (server: SmartServer, scope = 'system/Patient.rs') =>
  postToken(server, { grant_type: 'client_credentials', scope }, basic('legacy-backend', SECRET));

describe(`token endpoint: client_credentials with a client secret on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  describe('by default', () => {
    let server: SmartServer;
    before(async () => {
      server = await startSmartServer();
      await withLegacyBackend(server);
    });
    after(() => server.close());

    it('is refused with 400 unauthorized_client', async () => {
      const res = await request(server);
      assertOAuthError(res, 400, 'unauthorized_client',
        'client_credentials needs private_key_jwt client authentication (client secrets are deprecated for it).');
      assert.equal(res.headers.deprecation, undefined);
    });

    it('still authenticates the client first: a wrong secret is 401 invalid_client', async () => {
      const res = await postToken(server, { grant_type: 'client_credentials', scope: 'system/Patient.rs' }, basic('legacy-backend', 'wrong-secret'));
      assertOAuthError(res, 401, 'invalid_client', 'Client authentication failed.');
    });
  });

  describe('with allowClientCredentialsWithSecret', () => {
    let server: SmartServer;
    before(async () => {
      server = await startSmartServer({ allowClientCredentialsWithSecret: true });
      await withLegacyBackend(server);
    });
    after(() => server.close());

    it('is accepted, and the response announces the deprecation (RFC 9745)', async () => {
      const res = await request(server, 'system/Patient.rs system/Location.rs');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.deprecation, '@1767225600');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
      assert.equal(res.body.scope, 'system/Patient.rs');
      assert.equal(res.body.expires_in, 300);
    });

    it('announces the deprecation on a refusal too', async () => {
      const res = await request(server, 'system/Location.rs');
      assertOAuthError(res, 400, 'invalid_scope', 'None of the requested system scopes is allowed for this client and its service user.');
      assert.equal(res.headers.deprecation, '@1767225600');
    });
  });
});
