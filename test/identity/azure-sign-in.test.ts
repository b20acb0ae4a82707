import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startDevIdp, type DevIdp } from '../../samples/dev-idp/server.ts';
import {
  authorizeUrl, codeFrom, consent, demoPatientId, exchangeCode, follow, hiddenFields, offeredPatients, pkce, startSmartServer, type SmartServer,
} from '../support/smart-server.ts';
import { signInAtDevIdp } from '../support/dev-idp-client.ts';

interface Logged { level: string; message: string; fields?: Record<string, unknown> }

/** Azure AD B2B (two organization tenants) and B2C through to SMART tokens, against a real dev-idp over HTTPS. */
describe(`Azure AD sign-in on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let devIdp: DevIdp;
  let server: SmartServer;
  const logged: Logged[] = [];
  const logger = Object.fromEntries(['info', 'warn', 'error'].map((level) => [level, (message: string, fields?: Record<string, unknown>) => logged.push({ level, message, fields })]));
  before(async () => {
    devIdp = await startDevIdp({ testKnobs: true });
    server = await startSmartServer({ azure: devIdp.azureOptions(['contoso', 'fabrikam']), logger: logger as never });
  });
  after(async () => {
    await server?.close();
    await devIdp?.close();
  });

  async function startB2b(scope: string, email: string, challenge: string) {
    const agent = request.agent(server.app);
    const page = await follow(agent, await agent.get(authorizeUrl({ scope, challenge })));
    assert.equal(page.status, 200);
    const { transaction_id: tid } = hiddenFields(page.text);
    return { agent, page, toAzure: await agent.get(`/smart/auth/azure/b2b/start?transaction_id=${tid}&email=${encodeURIComponent(email)}`) };
  }

  it('offers the organization sign-in (work email form) but not B2C for a user/ scope request', async () => {
    const agent = request.agent(server.app);
    const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'openid fhirUser user/Patient.rs' })));
    assert.match(page.text, /<form method="get" action="\/smart\/auth\/azure\/b2b\/start">/);
    assert.match(page.text, /<label for="azure-email">Work email<\/label>/);
    assert.match(page.text, /<button type="submit" class="secondary">Sign in with your organization<\/button>/);
    assert.doesNotMatch(page.text, /Sign in as a patient/);
    assert.match(String(page.headers['content-security-policy']), new RegExp(`form-action 'self' http://127.0.0.1:8765 ${devIdp.origin};`));
  });

  it('B2B: alice@contoso.example signs in as the EHR user `provider`; fhirUser is her Practitioner', async () => {
    const { verifier, challenge } = pkce();
    const { agent, toAzure } = await startB2b('openid fhirUser user/Patient.rs', 'alice@contoso.example', challenge);
    assert.match(String(toAzure.headers.location), /domain_hint=contoso.example&login_hint=alice%40contoso.example&state=/);
    const consentPage = await follow(agent, await agent.get(await signInAtDevIdp(devIdp, toAzure, 'alice@contoso.example')));
    assert.match(consentPage.text, /<h1>/);
    const { code } = codeFrom(await consent(agent, consentPage));
    const token = await exchangeCode(server.app, code, verifier).expect(200);
    const provider = await server.db.knex('smart_host_users').where({ login_name: 'provider' }).first('user_id', 'fhir_user');
    assert.match(String(provider.fhir_user), /^Practitioner\/\d+$/);
    assert.equal(decodeJwt(token.body.id_token).fhirUser, provider.fhir_user);
    assert.equal(decodeJwt(token.body.access_token).sub, String(provider.user_id));
    const event = logged.find((entry) => entry.message === 'sign-in succeeded' && entry.fields?.userId === String(provider.user_id));
    assert.equal(event?.fields?.method, 'azure-b2b');
    assert.equal(event?.fields?.tenantId, '6f1c2a9e-4b7d-4e3a-9c51-2d8e0f7a1b34');
  });

  it('B2B: bob@fabrikam.example, of the second tenant, signs in as `admin`', async () => {
    const { agent, toAzure } = await startB2b('openid fhirUser user/Patient.rs', 'bob@fabrikam.example', pkce().challenge);
    assert.ok(String(toAzure.headers.location).startsWith(`${devIdp.origin}/fab51ca7-0000-4000-8000-0000000fab00/oauth2/v2.0/authorize?`));
    const consentPage = await follow(agent, await agent.get(await signInAtDevIdp(devIdp, toAzure, 'bob@fabrikam.example')));
    assert.equal(consentPage.status, 200);
    assert.match(consentPage.text, /name="decision" value="allow"/);
    const event = logged.find((entry) => entry.message === 'sign-in succeeded' && entry.fields?.userId === undefined);
    assert.equal(event, undefined);
    const admin = await server.userId('admin');
    const signedIn = logged.filter((entry) => entry.message === 'sign-in succeeded').at(-1);
    assert.deepEqual({ ...signedIn?.fields, at: undefined }, {
      category: 'security', event: 'sign-in-succeeded', method: 'azure-b2b', clientId: 'demo-app', userId: admin,
      tenantId: 'fab51ca7-0000-4000-8000-0000000fab00', objectId: 'b0b00000-0000-4000-8000-000000000b0b', at: undefined,
    });
  });

  it('B2C: maria@example.com picks Leo among her charts; the token is for Leo, fhirUser is Maria', async () => {
    const { verifier, challenge } = pkce();
    const agent = request.agent(server.app);
    const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'openid fhirUser launch/patient patient/Patient.rs', challenge })));
    // A patient-facing request leads with B2C, before the password form.
    assert.ok(page.text.indexOf('Sign in as a patient') < page.text.indexOf('<form method="post"'));
    const link = /<a class="button secondary" href="([^"]+)">Sign in as a patient<\/a>/.exec(page.text);
    assert.ok(link, 'the B2C button');
    const start = await agent.get((link[1] as string).replace(/&amp;/g, '&'));
    assert.equal(start.status, 303);
    assert.match(String(start.headers.location), /\/smart\/auth\/azure\/b2c\/start\?transaction_id=[\w-]+&p=B2C_1_signin$/);
    const toAzure = await agent.get(String(start.headers.location));
    assert.ok(String(toAzure.headers.location).startsWith(`${devIdp.origin}/riversidepatients.onmicrosoft.com/b2c_1_signin/oauth2/v2.0/authorize?`));
    const picker = await follow(agent, await agent.get(await signInAtDevIdp(devIdp, toAzure, 'maria@example.com')));
    assert.equal(picker.status, 200);
    const offered = offeredPatients(picker.text);
    assert.deepEqual([...offered.keys()].sort(), ['Leo Lopez', 'Maria Lopez', 'Mia Lopez']);
    const consentPage = await follow(agent, await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(picker.text), patient: offered.get('Leo Lopez') }));
    const { code } = codeFrom(await consent(agent, consentPage));
    const token = await exchangeCode(server.app, code, verifier).expect(200);
    assert.equal(token.body.patient, await demoPatientId(server, 'Leo', 'Lopez'));
    assert.equal(decodeJwt(token.body.id_token).fhirUser, `Patient/${await demoPatientId(server, 'Maria', 'Lopez')}`);
    assert.equal(decodeJwt(token.body.access_token).sub, 'maria@example.com');
  });
});
