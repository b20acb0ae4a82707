import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { FHIR_BASE, ISSUER, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, backendClientKey, basic, clientAssertion, introspect, JWT_BEARER, passwordGrant, SECRETS, tokensFor,
} from '../support/token-requests.ts';

const PATIENT_SCOPE = 'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Condition.rs';

/** RFC 7662 and SMART App Launch 2.2 token introspection. */
describe(`token introspection on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('reports an active token to a confidential client: scope, client, subject, expiry and launch context', async () => {
    const tokens = await tokensFor(server, { scope: PATIENT_SCOPE, patientName: 'lopez' });
    const res = await introspect(server, tokens.access_token as string);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
    const access = jwt.decode(tokens.access_token as string) as jwt.JwtPayload;
    const idToken = jwt.decode(tokens.id_token as string) as jwt.JwtPayload;
    assert.deepEqual(res.body, {
      active: true, scope: tokens.scope, client_id: 'demo-app', sub: idToken.sub, exp: access.exp, iat: access.iat,
      iss: ISSUER, aud: FHIR_BASE, token_type: 'Bearer', patient: tokens.patient, fhirUser: idToken.fhirUser,
      need_patient_banner: true, smart_style_url: tokens.smart_style_url,
    });
    assert.equal(tokens.smart_style_url, `${ISSUER}/smart-style.json`);
    assert.equal(res.body.sub, await server.userId('provider'));
    assert.ok(Math.abs((res.body.exp as number) - (Math.floor(Date.now() / 1000) + Number(tokens.expires_in))) <= 5);
  });

  it('accepts client_secret_post and private_key_jwt authentication as well', async () => {
    const { access_token: token } = (await passwordGrant(server)).body as { access_token: string };
    const post = await request(server.app).post('/smart/auth/introspect').type('form')
      .send({ token, client_id: 'svc-client', client_secret: SECRETS['svc-client'] });
    assert.equal(post.status, 200, post.text);
    assert.equal(post.body.active, true);
    assert.equal(post.body.client_id, 'svc-client');
    const assertion = await clientAssertion({ key: await backendClientKey(), claims: { aud: `${ISSUER}/token` } });
    const jwtAuth = await request(server.app).post('/smart/auth/introspect').type('form')
      .send({ token, client_assertion_type: JWT_BEARER, client_assertion: assertion });
    assert.equal(jwtAuth.status, 200, jwtAuth.text);
    assert.equal(jwtAuth.body.active, true);
  });

  it('answers only {"active": false} for an unknown, garbage, tampered or refresh token', async () => {
    const tokens = await tokensFor(server, { scope: 'offline_access user/Patient.rs' });
    const [header, payload] = (tokens.access_token as string).split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const foreign = jwt.sign({ client_id: 'demo-app', scope: 'user/*.rs' }, 'a-shared-secret', { jwtid: 'x', issuer: ISSUER, audience: FHIR_BASE });
    for (const token of ['invalid_token_value', 'a.b.c', forged, foreign, tokens.refresh_token as string]) {
      const res = await introspect(server, token);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { active: false });
    }
  });

  it('refuses a public client, a wrong secret and an anonymous caller with 401 invalid_client', async () => {
    const { access_token: token } = await tokensFor(server, { scope: 'user/Patient.rs' });
    const publicClient = await request(server.app).post('/smart/auth/introspect').type('form').send({ token, client_id: 'demo-app' });
    assertOAuthError(publicClient, 401, 'invalid_client', 'Introspection is for authenticated clients.');
    assertOAuthError(await introspect(server, token as string, basic('demo-confidential', 'wrong-secret')), 401, 'invalid_client', 'Client authentication failed.');
    const anonymous = await request(server.app).post('/smart/auth/introspect').type('form').send({ token });
    assertOAuthError(anonymous, 401, 'invalid_client', 'Client authentication failed.');
  });

  it('refuses a missing token and a JSON body with 400 invalid_request', async () => {
    const auth = basic('demo-confidential', SECRETS['demo-confidential']);
    const missing = await request(server.app).post('/smart/auth/introspect').type('form').set('Authorization', auth).send({});
    assertOAuthError(missing, 400, 'invalid_request', 'token is missing.');
    const json = await request(server.app).post('/smart/auth/introspect').set('Authorization', auth).send({ token: 'x' });
    assertOAuthError(json, 400, 'invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  });

  it('reports a revoked token and a token of a withdrawn grant as inactive', async () => {
    const revoked = await tokensFor(server, { scope: 'user/Patient.rs' });
    await request(server.app).post('/smart/auth/revoke').type('form').send({ token: revoked.access_token, client_id: 'demo-app' }).expect(200);
    assert.deepEqual((await introspect(server, revoked.access_token as string)).body, { active: false });
    const granted = await tokensFor(server, { scope: 'user/Condition.rs', login: 'sensitive-provider' });
    const grantId = (await server.db.knex('smart_access_tokens').where({ token_id: (jwt.decode(granted.access_token as string) as jwt.JwtPayload).jti }).first('grant_id')).grant_id;
    await server.db.knex('smart_grants').where({ grant_id: grantId }).update({ revoked_at: new Date() });
    assert.deepEqual((await introspect(server, granted.access_token as string)).body, { active: false });
  });

  it('reports an expired token as inactive', async () => {
    const tokens = await tokensFor(server, { scope: 'user/Patient.rs' });
    const tokenId = (jwt.decode(tokens.access_token as string) as jwt.JwtPayload).jti;
    await server.db.knex('smart_access_tokens').where({ token_id: tokenId }).update({ expires_at: new Date(Date.now() - 1000) });
    assert.deepEqual((await introspect(server, tokens.access_token as string)).body, { active: false });
  });

  it('answers CORS preflights', async () => {
    const res = await request(server.app).options('/smart/auth/introspect').set('Origin', 'https://app.example');
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });
});
