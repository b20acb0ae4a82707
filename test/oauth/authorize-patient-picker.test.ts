import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import {
  authorizeUrl, codeFrom, consent, demoPatientId, follow, hiddenFields, offeredPatients, pickPatient, signIn, startSmartServer, type Agent, type SmartServer,
} from '../support/smart-server.ts';

const SCOPE = 'launch/patient openid fhirUser patient/Patient.rs';

/** Signs `login` in on a new standalone request and returns the (empty) picker. */
async function pickerFor(server: SmartServer, login: string): Promise<{ agent: Agent; picker: request.Response }> {
  const agent = request.agent(server.app);
  const picker = await signIn(agent, await follow(agent, await agent.get(authorizeUrl({ scope: SCOPE }))), login);
  assert.equal(picker.status, 200);
  assert.match(picker.text, /<h1>Choose a patient<\/h1>/);
  return { agent, picker };
}

function search(agent: Agent, picker: request.Response, name: string) {
  return agent.get(`/smart/auth/pick-patient?transaction_id=${hiddenFields(picker.text).transaction_id}&name=${encodeURIComponent(name)}`);
}

function choose(agent: Agent, page: request.Response, patient: string | undefined, extra: Record<string, string> = {}) {
  return agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(page.text), ...(patient === undefined ? {} : { patient }), ...extra });
}

function assertRefusedChoice(response: request.Response, status: number, message: string): void {
  assert.equal(response.status, status);
  assert.equal(response.headers.location, undefined);
  assert.match(response.text, /<h1>Choose a patient<\/h1>/);
  assert.ok(response.text.includes(`<p class="alert" role="alert" id="page-error">${message}</p>`), response.text);
}

describe(`patient picker of a standalone launch on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let samId: string;
  before(async () => {
    server = await startSmartServer();
    samId = await demoPatientId(server, 'Sam', 'Rivera');
  });
  after(() => server.close());

  it('lists nobody until staff search, then the charts matching the name', async () => {
    const { agent, picker } = await pickerFor(server, 'provider');
    assert.deepEqual([...offeredPatients(picker.text).keys()], []);
    assert.match(picker.text, /<input type="search" id="patient-name" name="name" autocomplete="off" value="">/);
    const results = await search(agent, picker, 'LOPEZ');
    assert.equal(results.status, 200);
    assert.deepEqual([...offeredPatients(results.text).keys()].sort(), ['Leo Lopez', 'Maria Lopez', 'Mia Lopez']);
    assert.match(results.text, /Maria Lopez \(born 22 July 1986\)/);
    assert.match(results.text, /value="LOPEZ"/);
    // A chart offered by an earlier search of the same flow may still be chosen.
    const later = await search(agent, picker, 'jones');
    const leoId = offeredPatients(results.text).get('Leo Lopez') as string;
    const consent = await follow(agent, await choose(agent, later, leoId));
    assert.match(consent.text, /<p class="patient">Patient: Leo Lopez<\/p>/);
  });

  it('lets front desk staff search too', async () => {
    const { agent, picker } = await pickerFor(server, 'frontdesk');
    assert.deepEqual([...offeredPatients((await search(agent, picker, 'jones')).text).keys()], ['Pat Jones']);
  });

  it('treats LIKE wildcards in the name as text', async () => {
    const { agent, picker } = await pickerFor(server, 'provider');
    for (const name of ['%', '_', '\\']) {
      const results = await search(agent, picker, name);
      assert.equal(results.status, 200);
      assert.deepEqual([...offeredPatients(results.text).keys()], [], name);
      assert.match(results.text, /<p class="empty" role="status">No patients match\.<\/p>/);
    }
  });

  it('hides a sensitive chart from a provider without Sensitive Charts and refuses it when posted', async () => {
    const { agent, picker } = await pickerFor(server, 'provider');
    const results = await search(agent, picker, 'rivera');
    assert.equal(results.status, 200);
    assert.doesNotMatch(results.text, /Sam Rivera/);
    assert.match(results.text, /No patients match\./);
    // A crafted post, with the form of a search that did offer charts.
    const withForm = await search(agent, picker, 'jones');
    assertRefusedChoice(await choose(agent, withForm, samId), 400, 'Choose one of the patients listed.');
    // The refusal changed nothing: a chart the provider may open can still be chosen.
    const consent = await pickPatient(agent, picker, 'jones', 'Pat Jones');
    assert.match(consent.text, /<h1>Allow access\?<\/h1>/);
    assert.match(consent.text, /Patient: Pat Jones/);
  });

  it('offers the sensitive chart to a provider holding Sensitive Charts', async () => {
    const { agent, picker } = await pickerFor(server, 'sensitive-provider');
    const results = await search(agent, picker, 'rivera');
    assert.equal(offeredPatients(results.text).get('Sam Rivera'), samId);
    const consent = await pickPatient(agent, picker, 'rivera', 'Sam Rivera');
    assert.match(consent.text, /<p class="patient">Patient: Sam Rivera<\/p>/);
  });

  it('refuses a patient id this flow never offered (even one the user may open), or none', async () => {
    const { agent, picker } = await pickerFor(server, 'provider');
    const withForm = await search(agent, picker, 'jones');
    const mariaId = await demoPatientId(server, 'Maria', 'Lopez');
    for (const patient of [mariaId, '999999', 'not-a-number', '', undefined]) {
      assertRefusedChoice(await choose(agent, withForm, patient), 400, 'Choose one of the patients listed.');
    }
  });

  it('issues one code when the choice is posted twice and consent is on file', async () => {
    const first = await pickerFor(server, 'frontdesk');
    codeFrom(await consent(first.agent, await pickPatient(first.agent, first.picker, 'lopez', 'Mia Lopez')));
    const { agent, picker } = await pickerFor(server, 'frontdesk');
    const results = await search(agent, picker, 'lopez');
    const miaId = offeredPatients(results.text).get('Mia Lopez');
    const twice = await Promise.all([0, 1].map(() => choose(agent, results, miaId)));
    assert.deepEqual(twice.map((r) => r.status).sort(), [302, 400]);
    codeFrom(twice.find((r) => r.status === 302) as request.Response);
    assert.match((twice.find((r) => r.status === 400) as request.Response).text, /<h1>This sign-in has expired<\/h1>/);
  });

  it('refuses a choice without the CSRF token with 403', async () => {
    const { agent, picker } = await pickerFor(server, 'provider');
    const patId = await demoPatientId(server, 'Pat', 'Jones');
    assertRefusedChoice(await choose(agent, picker, patId), 403, 'The form expired. Please choose again.');
  });

  it('sends a browser that is not signed in to the sign-in page', async () => {
    const agent = request.agent(server.app);
    const start = await agent.get(authorizeUrl({ scope: SCOPE }));
    const tid = hiddenFields((await follow(agent, start)).text).transaction_id;
    const picker = await agent.get(`/smart/auth/pick-patient?transaction_id=${tid}`);
    assert.equal(picker.status, 303);
    assert.equal(picker.headers.location, `/smart/auth/sign-in?transaction_id=${tid}`);
    const chosen = await agent.post('/smart/auth/pick-patient').type('form').send({ transaction_id: tid, patient: samId });
    assert.equal(chosen.status, 303);
    assert.equal(chosen.headers.location, `/smart/auth/sign-in?transaction_id=${tid}`);
  });
});
