import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  authorizeUrl, codeFrom, consent, FHIR_BASE, follow, hiddenFields, ISSUER, pkce, REDIRECT_URI, signIn, startSmartServer, type SmartServer,
} from '../support/smart-server.ts';

describe(`standalone launch with EHR credentials on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('signs in, picks a patient by name, asks consent, and issues a code for the chosen chart', async () => {
    const agent = request.agent(server.app);
    const { verifier, challenge } = pkce();
    const scope = 'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Condition.rs';
    const start = await agent.get(authorizeUrl({ scope, challenge }));
    assert.equal(start.status, 303);
    assert.match(String(start.headers.location), /^\/smart\/auth\/sign-in\?transaction_id=[A-Za-z0-9_-]{22}$/);
    const signInPage = await follow(agent, start);
    assert.equal(signInPage.headers['x-frame-options'], 'DENY');
    assert.match(String(signInPage.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.match(String(signInPage.headers['content-security-policy']), /form-action 'self' http:\/\/127\.0\.0\.1:8765;/);

    const picker = await signIn(agent, signInPage, 'provider');
    assert.equal(picker.status, 200);
    assert.match(picker.text, /<h1>Choose a patient<\/h1>/);
    const transactionId = hiddenFields(picker.text).transaction_id as string;
    const search = await agent.get(`/smart/auth/pick-patient?transaction_id=${transactionId}&name=lopez`).expect(200);
    assert.match(search.text, /Leo Lopez \(born 9 May 2015\)/);
    const leoId = /value="(\d+)"[^>]*>\s*<label[^>]*>Leo Lopez/.exec(search.text)?.[1] ?? /name="patient" value="(\d+)"[\s\S]{0,200}Leo Lopez/.exec(search.text)?.[1];
    assert.ok(leoId, 'Leo is offered');
    const consentPage = await follow(agent, await agent.post('/smart/auth/pick-patient').type('form')
      .send({ ...hiddenFields(search.text), patient: leoId }));
    assert.match(consentPage.text, /Leo Lopez/);

    const back = await consent(agent, consentPage);
    const { code, state } = codeFrom(back);
    assert.equal(state, 'state-123');

    const token = await request(server.app).post('/smart/auth/token').type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: 'demo-app', code_verifier: verifier });
    assert.equal(token.status, 200, token.text);
    assert.equal(token.headers['cache-control'], 'no-store');
    assert.deepEqual(Object.keys(token.body).sort(),
      ['access_token', 'expires_in', 'id_token', 'need_patient_banner', 'patient', 'refresh_token', 'scope', 'smart_style_url', 'token_type']);
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.expires_in, 3600);
    assert.equal(token.body.patient, leoId);
    assert.equal(token.body.need_patient_banner, true);
    assert.equal(token.body.scope, scope);
    const access = jwt.decode(token.body.access_token) as jwt.JwtPayload;
    assert.equal(access.iss, ISSUER);
    assert.equal(access.aud, FHIR_BASE);
    assert.equal(access.client_id, 'demo-app');
    assert.equal(access.patient, leoId);
    const idToken = jwt.decode(token.body.id_token) as jwt.JwtPayload;
    assert.equal(idToken.aud, 'demo-app');
    assert.equal(idToken.sub, await server.userId('provider'));
    assert.match(String(idToken.fhirUser), /^Practitioner\/\d+$/);
  });
});
