import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { REDIRECT_URI, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, basic, CLIENT_AUTH_FAILED, obtainCode, postToken, redeemCode, SECRETS, TOKEN_PATH,
} from '../support/token-requests.ts';

const VERIFIER = 'v'.repeat(43);

/** RFC 6749 §5.2 refusals that happen before any grant is looked at: body, grant type, client. */
describe(`token endpoint: malformed requests and client authentication on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('refuses a JSON body', async () => {
    const res = await request(server.app).post(TOKEN_PATH).send({ grant_type: 'client_credentials', client_id: 'demo-app' });
    assertOAuthError(res, 400, 'invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  });

  it('refuses a request without a body', async () => {
    const res = await request(server.app).post(TOKEN_PATH);
    assertOAuthError(res, 400, 'invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  });

  it('refuses a missing or empty grant_type', async () => {
    assertOAuthError(await postToken(server, { client_id: 'demo-app', code: 'x' }), 400, 'invalid_request', 'grant_type is missing.');
    assertOAuthError(await postToken(server, { grant_type: '', client_id: 'demo-app' }), 400, 'invalid_request', 'grant_type is missing.');
  });

  it('refuses grant types it does not offer with 400 unsupported_grant_type', async () => {
    for (const type of ['implicit', 'urn:x', 'not_a_grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      const res = await postToken(server, { grant_type: type, client_id: 'demo-app' });
      assertOAuthError(res, 400, 'unsupported_grant_type', `The ${type} grant is not supported.`);
    }
  });

  it('refuses a client that is not registered for the grant with 400 unauthorized_client', async () => {
    const publicApp = await postToken(server, { grant_type: 'password', client_id: 'demo-app', username: 'svc-portal', password: 'demo-password' });
    assertOAuthError(publicApp, 400, 'unauthorized_client', 'This client is not registered for the password grant.');
    const confidential = await postToken(server, { grant_type: 'client_credentials', scope: 'system/Patient.rs' },
      basic('demo-confidential', SECRETS['demo-confidential']));
    assertOAuthError(confidential, 400, 'unauthorized_client', 'This client is not registered for the client_credentials grant.');
    const service = await postToken(server, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, code_verifier: VERIFIER },
      basic('svc-client', SECRETS['svc-client']));
    assertOAuthError(service, 400, 'unauthorized_client', 'This client is not registered for the authorization_code grant.');
  });

  it('refuses a repeated parameter', async () => {
    const body = `grant_type=authorization_code&code=a&code=b&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&client_id=demo-app&code_verifier=${VERIFIER}`;
    const res = await request(server.app).post(TOKEN_PATH).type('form').send(body);
    assertOAuthError(res, 400, 'invalid_request', 'The parameter code is repeated.');
    const twice = await request(server.app).post(TOKEN_PATH).type('form').send('grant_type=password&grant_type=password&client_id=svc-client');
    assertOAuthError(twice, 400, 'invalid_request', 'The parameter grant_type is repeated.');
  });

  describe('client authentication (RFC 6749 §2.3, 401 invalid_client)', () => {
    it('refuses a confidential client with a wrong secret, by Basic and by post', async () => {
      const { code, verifier } = await obtainCode(server, { clientId: 'demo-confidential' });
      const wrongBasic = await redeemCode(server, code, verifier, {}, basic('demo-confidential', 'wrong-secret'));
      assertOAuthError(wrongBasic, 401, ...CLIENT_AUTH_FAILED);
      const wrongPost = await redeemCode(server, code, verifier, { client_id: 'demo-confidential', client_secret: 'wrong-secret' });
      assertOAuthError(wrongPost, 401, ...CLIENT_AUTH_FAILED);
      // The code was never reached, so the right secret still gets it.
      const right = await redeemCode(server, code, verifier, {}, basic('demo-confidential', SECRETS['demo-confidential']));
      assert.equal(right.status, 200, right.text);
    });

    it('refuses a confidential client that sends no secret', async () => {
      const res = await redeemCode(server, 'x', VERIFIER, { client_id: 'demo-confidential' });
      assertOAuthError(res, 401, ...CLIENT_AUTH_FAILED);
    });

    it('refuses a public client that sends a secret', async () => {
      const { code, verifier } = await obtainCode(server);
      assertOAuthError(await redeemCode(server, code, verifier, { client_secret: 'anything-at-all' }), 401, ...CLIENT_AUTH_FAILED);
      assertOAuthError(await redeemCode(server, code, verifier, {}, basic('demo-app', 'anything-at-all')), 401, ...CLIENT_AUTH_FAILED);
    });

    it('refuses an unknown client, named in the body or in Basic', async () => {
      const { code, verifier } = await obtainCode(server);
      assertOAuthError(await redeemCode(server, code, verifier, { client_id: 'BAD_CLIENT_ID' }), 401, ...CLIENT_AUTH_FAILED);
      assertOAuthError(await redeemCode(server, code, verifier, {}, basic('BAD_CLIENT_ID', SECRETS['demo-confidential'])), 401, ...CLIENT_AUTH_FAILED);
    });

    it('refuses a request that names no client at all', async () => {
      const res = await postToken(server, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, code_verifier: VERIFIER });
      assertOAuthError(res, 401, ...CLIENT_AUTH_FAILED);
    });

    it('refuses a malformed Basic header', async () => {
      const res = await postToken(server, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, code_verifier: VERIFIER },
        `Basic ${Buffer.from('no-colon-here').toString('base64')}`);
      assertOAuthError(res, 401, ...CLIENT_AUTH_FAILED);
    });

    it('refuses two authentication methods at once, and a body client_id that contradicts Basic', async () => {
      const auth = basic('demo-confidential', SECRETS['demo-confidential']);
      const both = await redeemCode(server, 'x', VERIFIER, { client_secret: SECRETS['demo-confidential'] }, auth);
      assertOAuthError(both, 400, 'invalid_request', 'Use exactly one client authentication method.');
      const other = await redeemCode(server, 'x', VERIFIER, { client_id: 'demo-app' }, auth);
      assertOAuthError(other, 400, 'invalid_request', 'client_id does not match the authenticated client.');
    });
  });
});
