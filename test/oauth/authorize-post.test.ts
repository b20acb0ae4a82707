import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import {
  authorizeUrl, codeFrom, consent, demoPatientId, exchangeCode, follow, pickPatient, pkce, signIn, startSmartServer, type SmartServer,
} from '../support/smart-server.ts';

/** The parameters of `authorizeUrl` as a form body, as Inferno's auto-submitting page posts them (SMART 2.2 authorize-post). */
function formOf(url: string): string {
  return new URL(url, 'http://localhost').searchParams.toString();
}

describe(`POST to the authorization endpoint on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('runs a standalone launch like GET, with no session or CSRF token needed on the POST itself', async () => {
    const { verifier, challenge } = pkce();
    const scope = 'launch/patient openid fhirUser patient/Patient.rs';
    const agent = request.agent(server.app);
    const start = await agent.post('/smart/auth/authorize').type('form').send(formOf(authorizeUrl({ scope, challenge, state: 'posted' })));
    assert.equal(start.status, 303);
    assert.match(String(start.headers.location), /^\/smart\/auth\/sign-in\?transaction_id=[A-Za-z0-9_-]{22}$/);
    const picker = await signIn(agent, await follow(agent, start), 'provider');
    const back = await consent(agent, await pickPatient(agent, picker, 'jones', 'Pat Jones'));
    const { code, state } = codeFrom(back);
    assert.equal(state, 'posted');
    const token = await exchangeCode(server.app, code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.patient, await demoPatientId(server, 'Pat', 'Jones'));
    assert.equal(token.body.scope, scope);
  });

  it('runs an EHR launch like GET', async () => {
    const providerId = await server.userId('provider');
    const { launch } = await server.plugin.createLaunch({ userId: providerId, patientId: await demoPatientId(server, 'Maria', 'Lopez'), clientId: 'demo-app' });
    server.hostUser.id = providerId;
    try {
      const { verifier, challenge } = pkce();
      const agent = request.agent(server.app);
      const start = await agent.post('/smart/auth/authorize').type('form')
        .send(formOf(authorizeUrl({ scope: 'launch openid fhirUser patient/Patient.rs', launch, challenge })));
      assert.equal(start.status, 303);
      assert.match(String(start.headers.location), /^\/smart\/auth\/consent\?/);
      const token = await exchangeCode(server.app, codeFrom(await consent(agent, await follow(agent, start))).code, verifier);
      assert.equal(token.body.need_patient_banner, false);
    } finally {
      server.hostUser.id = undefined;
    }
  });

  it('reads the form body, not the query string', async () => {
    const response = await request(server.app).post(`/smart/auth/authorize?${formOf(authorizeUrl({ scope: 'patient/Patient.rs' }))}`).type('form').send('');
    assert.equal(response.status, 400);
    assert.match(response.text, /The request does not name a client \(client_id\)\./);
  });
});
