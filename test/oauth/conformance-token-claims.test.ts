import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, BACKEND_KID, backendClientKey, clientCredentials, passwordGrant, TOKEN_URL,
} from '../support/token-requests.ts';

describe('token claims and assertion headers (SMART 2.2, OpenID Connect Core)', () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('issues an id_token for openid alone, without fhirUser, and keeps fhirUser out of the access token', async () => {
    const response = await passwordGrant(server, { scope: 'openid user/Patient.rs' });
    assert.equal(response.status, 200, response.text);
    const idToken = jwt.decode(response.body.id_token) as jwt.JwtPayload;
    assert.equal(idToken.sub, await server.userId('svc-portal'));
    assert.equal(idToken.fhirUser, undefined);
    assert.equal((jwt.decode(response.body.access_token) as jwt.JwtPayload).fhirUser, undefined);
  });

  it('refuses a client assertion whose jku names a key set the client did not register', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: 'backend-client', sub: 'backend-client', aud: TOKEN_URL, exp: now + 240, iat: now, jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS384', kid: BACKEND_KID, typ: 'JWT', jku: 'https://attacker.example/jwks.json' })
      .sign(await backendClientKey());
    assertOAuthError(await clientCredentials(server, assertion), 401, 'invalid_client',
      'The client assertion names a key set (jku) the client did not register.');
  });

  it('does not advertise permission-online: online_access refresh tokens are not tied to the user\'s session', async () => {
    const discovery = await request(server.app).get('/smart/fhir/.well-known/smart-configuration').expect(200);
    assert.equal(discovery.body.capabilities.includes('permission-online'), false);
    assert.equal(discovery.body.capabilities.includes('permission-offline'), true);
  });
});
