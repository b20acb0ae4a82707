import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAsPatient, startPortalServer, type PortalServer } from '../support/portal-sign-in.ts';
import { codeFrom, hiddenFields, offeredPatients } from '../support/smart-server.ts';
import { redeemCode } from '../support/token-requests.ts';

describe(`patient picker for a representative on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: PortalServer;
  before(async () => {
    server = await startPortalServer();
  });
  after(() => server.close());

  it('offers exactly the charts linked to Maria, and gives a token for the one she chooses under the Patient role', async () => {
    // Maria signs in with Azure AD B2C (the dev-idp), as the sign-in page's "Sign in as a patient" does.
    const scope = 'launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs user/Patient.rs';
    const { agent, verifier, back } = await signInAsPatient(server, 'maria@example.com', scope);
    assert.equal(back.status, 303);
    assert.match(String(back.headers.location), /^\/smart\/auth\/pick-patient\?/);
    const picker = await agent.get(String(back.headers.location));
    assert.equal(picker.status, 200);
    assert.doesNotMatch(picker.text, /Patient name/, 'a representative does not search the EHR');
    const offered = offeredPatients(picker.text);
    assert.deepEqual([...offered.keys()].sort(), ['Leo Lopez', 'Maria Lopez', 'Mia Lopez']);
    assert.match(picker.text, /Leo Lopez \(born 9 May 2015\)/);
    const leo = offered.get('Leo Lopez') as string;
    const pat = String((await server.db.knex('smart_host_patients').where({ display_name: 'Pat Jones' }).first('patient_id')).patient_id);
    const forged = await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(picker.text), patient: pat });
    assert.equal(forged.status, 400, 'a chart not linked to Maria is refused');

    const chosen = await agent.post('/smart/auth/pick-patient').type('form').send({ ...hiddenFields(picker.text), patient: leo });
    assert.equal(chosen.status, 303);
    const consentPage = await agent.get(String(chosen.headers.location));
    assert.match(consentPage.text, /Read and search your conditions/);
    const checked = [...consentPage.text.matchAll(/<input type="checkbox" [^>]*name="scope" value="([^"]+)"[^>]*checked/g)].map((m) => m[1] as string);
    const body = new URLSearchParams({ ...hiddenFields(consentPage.text), decision: 'allow' });
    for (const value of checked) body.append('scope', value);
    const { code } = codeFrom(await agent.post('/smart/auth/consent').type('form').send(body.toString()));
    const token = await redeemCode(server, code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.patient, leo);
    // user/ scopes are not a representative's to grant: the token holds only the chart's patient/ scopes.
    assert.equal(token.body.scope, 'launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs');
  });
});
