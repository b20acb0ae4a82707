import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import {
  authorizeUrl, follow, hiddenFields, pickPatient, signIn, startSmartServer, type Agent, type SmartServer,
} from '../support/smart-server.ts';

const SCOPE = 'launch/patient openid fhirUser patient/Patient.rs';

/** Every page and redirect of the front channel: never framed, never cached, nothing loaded from elsewhere. */
function assertPageHeaders(response: request.Response, what: string, formTargets = ''): void {
  assert.equal(response.headers['x-frame-options'], 'DENY', what);
  assert.equal(response.headers['cache-control'], 'no-store', what);
  assert.equal(response.headers['content-security-policy'],
    `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'${formTargets}; frame-ancestors 'none'; base-uri 'none'`, what);
  assert.equal(response.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
}

describe(`headers of the authorization pages on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('are set on every step of a flow, with the client\'s origin allowed as a form target', async () => {
    const agent: Agent = request.agent(server.app);
    const client = ' http://127.0.0.1:8765';
    const start = await agent.get(authorizeUrl({ scope: SCOPE }));
    assertPageHeaders(start, 'authorize redirect', client);
    const signInPage = await follow(agent, start);
    assertPageHeaders(signInPage, 'sign-in page', client);
    const fields = hiddenFields(signInPage.text);
    assertPageHeaders(await agent.post('/smart/auth/sign-in').type('form').send({ ...fields, username: 'provider', password: 'nope' }), 'sign-in 401', client);
    assertPageHeaders(await agent.post('/smart/auth/sign-in').type('form').send({ transaction_id: fields.transaction_id }), 'sign-in 403', client);
    const picker = await signIn(agent, signInPage, 'provider');
    assertPageHeaders(picker, 'picker', client);
    assertPageHeaders(await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(picker.text), patient: '1' }), 'picker 403', client);
    const consentPage = await pickPatient(agent, picker, 'jones', 'Pat Jones');
    assertPageHeaders(consentPage, 'consent page', client);
    assertPageHeaders(await agent.post('/smart/auth/consent').type('form').send({ transaction_id: hiddenFields(consentPage.text).transaction_id }), 'consent 403', client);
    const denied = await agent.post('/smart/auth/consent').type('form').send({ ...hiddenFields(consentPage.text), decision: 'deny' });
    assert.equal(denied.status, 302);
    assertPageHeaders(denied, 'denial redirect', client);
  });

  it('are set on error pages and error redirects', async () => {
    const unknownClient = await request(server.app).get(authorizeUrl({ scope: SCOPE, clientId: 'no-such-app' }));
    assert.equal(unknownClient.status, 400);
    assertPageHeaders(unknownClient, 'unknown client page');
    const badRedirect = await request(server.app).get(authorizeUrl({ scope: SCOPE, redirectUri: 'https://evil.example/cb' }));
    assert.equal(badRedirect.status, 400);
    assertPageHeaders(badRedirect, 'unregistered redirect page');
    const wrongAud = await request(server.app).get(authorizeUrl({ scope: SCOPE, extra: { aud: 'https://evil.example/fhir' } }));
    assert.equal(wrongAud.status, 302);
    assertPageHeaders(wrongAud, 'error redirect');
    const expired = await request(server.app).get('/smart/auth/consent?transaction_id=AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(expired.status, 400);
    assertPageHeaders(expired, 'expired page');
  });

  it('answers an unreadable POST body with a 400 page, not a redirect', async () => {
    const body = new URLSearchParams(new URL(authorizeUrl({ scope: SCOPE }), 'http://x').search);
    for (let i = 0; i < 60; i += 1) body.append(`extra${i}`, 'x');
    const response = await request(server.app).post('/smart/auth/authorize').type('form').send(body.toString());
    assert.equal(response.status, 400);
    assert.equal(response.headers.location, undefined);
    assert.match(response.text, /The request body could not be read\./);
    assertPageHeaders(response, 'unreadable body page');
  });
});
