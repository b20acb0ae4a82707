import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import request from 'supertest';
import { FHIR_BASE, ISSUER, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { tokensFor } from '../support/token-requests.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Verifies a JWT the way a resource server or app does: the key named by `kid` in our published JWKS. */
async function verifyWithJwks(server: SmartServer, token: string, audience: string) {
  const jwks = await request(server.app).get('/smart/auth/jwks').expect(200);
  const { kid, alg } = decodeProtectedHeader(token);
  assert.equal(alg, 'RS256');
  const jwk = (jwks.body.keys as JWK[]).find((k) => k.kid === kid);
  assert.ok(jwk, `the JWKS publishes kid ${kid}`);
  return jwtVerify(token, await importJWK(jwk, 'RS256'), { issuer: ISSUER, audience, algorithms: ['RS256'] });
}

describe(`token signatures and discovery documents on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('signs access and id tokens with a key published at /jwks, which carries public members only', async () => {
    const tokens = await tokensFor(server, { scope: 'openid fhirUser user/Patient.rs' });
    const { payload } = await verifyWithJwks(server, tokens.access_token as string, FHIR_BASE);
    assert.equal(payload.client_id, 'demo-app');
    const id = await verifyWithJwks(server, tokens.id_token as string, 'demo-app');
    assert.match(String(id.payload.fhirUser), /^Practitioner\/\d+$/);
    const jwks = await request(server.app).get('/smart/auth/jwks').set('Origin', 'https://app.example').expect(200);
    assert.equal(jwks.headers['access-control-allow-origin'], '*');
    for (const key of jwks.body.keys as JWK[]) {
      assert.equal(key.kty, 'RSA');
      assert.ok(key.kid);
      for (const member of PRIVATE_MEMBERS) assert.equal(key[member as keyof JWK], undefined, `no ${member} in the JWKS`);
    }
  });

  it('keeps tokens signed before a key rotation verifiable, and signs new ones with the new key', async () => {
    const before = await tokensFor(server, { scope: 'user/Patient.rs' });
    const newKid = await server.plugin.keys.rotate();
    const after = await tokensFor(server, { scope: 'user/Patient.rs' });
    assert.equal(decodeProtectedHeader(after.access_token as string).kid, newKid);
    assert.notEqual(decodeProtectedHeader(before.access_token as string).kid, newKid);
    await verifyWithJwks(server, before.access_token as string, FHIR_BASE);
    await verifyWithJwks(server, after.access_token as string, FHIR_BASE);
  });

  it('serves smart-configuration as JSON whatever the Accept, with absolute URLs and CORS', async () => {
    const res = await request(server.app).get('/smart/fhir/.well-known/smart-configuration')
      .set('Accept', 'text/html').set('Origin', 'https://inferno.example');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const doc = res.body as Record<string, unknown>;
    assert.deepEqual({
      issuer: doc.issuer, jwks_uri: doc.jwks_uri, authorization_endpoint: doc.authorization_endpoint, token_endpoint: doc.token_endpoint,
      introspection_endpoint: doc.introspection_endpoint, revocation_endpoint: doc.revocation_endpoint,
    }, {
      issuer: ISSUER, jwks_uri: `${ISSUER}/jwks`, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`,
      introspection_endpoint: `${ISSUER}/introspect`, revocation_endpoint: `${ISSUER}/revoke`,
    });
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(doc.grant_types_supported, ['authorization_code', 'refresh_token', 'password', 'client_credentials']);
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    assert.deepEqual(doc.token_endpoint_auth_signing_alg_values_supported, ['RS384', 'ES384']);
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.ok(Array.isArray(doc.scopes_supported) && doc.scopes_supported.includes('system/*.rs'));
    const standalone = ['launch-standalone', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
      'sso-openid-connect', 'context-standalone-patient', 'permission-offline', 'permission-patient', 'authorize-post',
      'permission-v2', 'permission-v1'];
    for (const capability of standalone) assert.ok((doc.capabilities as string[]).includes(capability), capability);
  });

  it('serves the OpenID configuration of the same issuer, with absolute URLs and CORS', async () => {
    const res = await request(server.app).get('/smart/auth/.well-known/openid-configuration').set('Origin', 'https://app.example');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const doc = res.body as Record<string, unknown>;
    assert.deepEqual({
      issuer: doc.issuer, authorization_endpoint: doc.authorization_endpoint, token_endpoint: doc.token_endpoint, jwks_uri: doc.jwks_uri,
      response_types_supported: doc.response_types_supported, subject_types_supported: doc.subject_types_supported,
      id_token_signing_alg_values_supported: doc.id_token_signing_alg_values_supported,
    }, {
      issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, jwks_uri: `${ISSUER}/jwks`,
      response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    });
    const smart = (await request(server.app).get('/smart/fhir/.well-known/smart-configuration')).body as Record<string, unknown>;
    assert.equal(doc.issuer, smart.issuer, 'one issuer for SMART and OpenID Connect');
  });

  it('answers discovery preflights', async () => {
    for (const path of ['/smart/fhir/.well-known/smart-configuration', '/smart/auth/.well-known/openid-configuration', '/smart/auth/token']) {
      const res = await request(server.app).options(path).set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'GET');
      assert.equal(res.status, 204, path);
      assert.equal(res.headers['access-control-allow-origin'], '*', path);
    }
  });
});
