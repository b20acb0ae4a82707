import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import jwt from 'jsonwebtoken';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, backendClientKey, clientAssertion, clientCredentials, JWT_BEARER, postToken, TOKEN_URL, type SigningKey,
} from '../support/token-requests.ts';

const NOT_VALID = 'The client assertion is not valid for this client and token endpoint.';

/** SMART Backend Services (client_credentials + private_key_jwt, RFC 7523 §3). */
describe(`token endpoint: client_credentials with private_key_jwt on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let key: SigningKey;
  let ecKey: SigningKey;
  before(async () => {
    server = await startSmartServer();
    key = await backendClientKey();
    const pair = await generateKeyPair('ES384', { extractable: true });
    ecKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'es-client-1', alg: 'ES384', use: 'sig' };
    await server.plugin.clients.register({
      clientId: 'es-backend', authMethod: 'private_key_jwt', jwks: { keys: [jwk] }, scopes: ['system/*.rs'],
      grantTypes: ['client_credentials'], serviceUserId: await server.userId('svc-portal'),
    });
  });
  after(() => server.close());

  const refused = async (assertion: string, description = NOT_VALID) =>
    assertOAuthError(await clientCredentials(server, assertion), 401, 'invalid_client', description);

  it('issues a five-minute token for an RS384 assertion signed with the demo key, without a refresh token', async () => {
    const res = await clientCredentials(server, await clientAssertion({ key }), 'system/Patient.rs system/Condition.rs');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.equal(res.headers.deprecation, undefined);
    assert.deepEqual(res.body.token_type, 'Bearer');
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    assert.equal(res.body.expires_in, 300);
    assert.equal(res.body.scope, 'system/Patient.rs system/Condition.rs');
    const claims = jwt.decode(res.body.access_token) as jwt.JwtPayload;
    assert.equal(claims.client_id, 'backend-client');
    assert.equal(claims.sub, await server.userId('svc-portal'));
  });

  it('issues a token for an ES384 assertion of a client registered with an EC P-384 key', async () => {
    const assertion = await clientAssertion({ key: ecKey, alg: 'ES384', kid: 'es-client-1', clientId: 'es-backend' });
    const res = await clientCredentials(server, assertion);
    assert.equal(res.status, 200, res.text);
    assert.equal((jwt.decode(res.body.access_token) as jwt.JwtPayload).client_id, 'es-backend');
  });

  it('grants only system/ scopes, within svc-portal\'s EHR permissions', async () => {
    const asked = 'system/Patient.rs system/Location.rs system/AuditEvent.rs user/Condition.rs openid launch system/Observation.rs';
    const res = await clientCredentials(server, await clientAssertion({ key }), asked);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, 'system/Patient.rs system/Observation.rs');
    const none = await clientCredentials(server, await clientAssertion({ key }), 'user/Patient.rs system/Location.rs');
    assertOAuthError(none, 400, 'invalid_scope', 'None of the requested system scopes is allowed for this client and its service user.');
  });

  it('refuses a replayed assertion (same jti)', async () => {
    const assertion = await clientAssertion({ key });
    assert.equal((await clientCredentials(server, assertion)).status, 200);
    await refused(assertion, 'The client assertion was used before (jti replay).');
  });

  it('refuses an assertion signed with another key, or naming an unknown kid', async () => {
    const other = (await generateKeyPair('RS384')).privateKey;
    await refused(await clientAssertion({ key: other }));
    await refused(await clientAssertion({ key, kid: 'not-registered' }));
  });

  it('refuses a wrong audience, iss different from sub, and an unknown issuer', async () => {
    await refused(await clientAssertion({ key, claims: { aud: 'https://elsewhere.example/token' } }));
    await refused(await clientAssertion({ key, claims: { sub: 'es-backend' } }));
    await refused(await clientAssertion({ key, clientId: 'nobody' }), 'Client authentication failed.');
  });

  it('refuses an expired assertion and one that expires more than five minutes ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(await clientAssertion({ key, claims: { exp: now - 120, iat: now - 400 } }));
    await refused(await clientAssertion({ key, claims: { exp: now + 600 } }), 'The client assertion expires more than five minutes ahead.');
  });

  it('refuses an assertion without jti, without exp, or with an overlong jti', async () => {
    await refused(await clientAssertion({ key, omit: ['jti'] }));
    await refused(await clientAssertion({ key, omit: ['exp'] }));
    await refused(await clientAssertion({ key, claims: { jti: 'j'.repeat(300) } }));
  });

  it('refuses an assertion without kid or typ (SMART requires both), and an HS256 or unsigned one', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = (jti: string) => ({ iss: 'backend-client', sub: 'backend-client', aud: TOKEN_URL, exp: now + 60, jti });
    await refused(await new SignJWT(claims('no-kid')).setProtectedHeader({ alg: 'RS384', typ: 'JWT' }).sign(key));
    await refused(await new SignJWT(claims('no-typ')).setProtectedHeader({ alg: 'RS384', kid: 'backend-client-1' }).sign(key));
    const typed = await new SignJWT(claims('typed')).setProtectedHeader({ alg: 'RS384', kid: 'backend-client-1', typ: 'JWT' }).sign(key);
    assert.equal((await clientCredentials(server, typed)).status, 200, 'the same assertion with kid and typ is accepted');
    const hmac = new SignJWT(claims('hs256')).setProtectedHeader({ alg: 'HS256', kid: 'backend-client-1', typ: 'JWT' });
    await refused(await hmac.sign(new TextEncoder().encode('x'.repeat(32))));
    const header = Buffer.from('{"alg":"none","kid":"backend-client-1","typ":"JWT"}').toString('base64url');
    const unsigned = `${header}.${Buffer.from(JSON.stringify(claims('none'))).toString('base64url')}.`;
    await refused(unsigned);
  });

  it('refuses a wrong client_assertion_type, and a missing assertion', async () => {
    const res = await clientCredentials(server, await clientAssertion({ key }), 'system/Patient.rs', { client_assertion_type: 'not_an_assertion_type' });
    assertOAuthError(res, 401, 'invalid_client', 'Client authentication failed.');
    const missing = await postToken(server, { grant_type: 'client_credentials', client_id: 'backend-client', client_assertion_type: JWT_BEARER });
    assertOAuthError(missing, 401, 'invalid_client', 'Client authentication failed.');
  });
});
