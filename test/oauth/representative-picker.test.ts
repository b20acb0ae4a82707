import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { deriveKey } from '../../src/store/key-protection.ts';
import {
  authorizeUrl, codeFrom, hiddenFields, offeredPatients, pkce, startSmartServer, TEST_SECRET, type SmartServer,
} from '../support/smart-server.ts';
import { redeemCode } from '../support/token-requests.ts';

/**
 * A patient's representative, as Azure AD B2C will sign them in (issue 5): the plugin session says who they
 * are. Until B2C exists, the test writes that session row itself and signs its cookie with the plugin's
 * key; everything after that runs through the real HTTP surface.
 */
async function signedInAs(server: SmartServer, identity: string): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const user = { kind: 'portal', identity, method: 'azure-b2c', authTime: Math.floor(Date.now() / 1000) };
  await server.db.knex('smart_sessions').insert({ session_id: id, data: JSON.stringify({ user }), expires_at: new Date(Date.now() + 600_000) });
  const mac = createHmac('sha256', deriveKey(Buffer.from(TEST_SECRET, 'utf8'), 'session-cookie')).update(id).digest('base64url');
  return `smart_sid=${id}.${mac}`;
}

describe(`patient picker for a representative on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('offers exactly the charts linked to Maria, and gives a token for the one she chooses under the Patient role', async () => {
    const cookie = await signedInAs(server, 'maria@example.com');
    const agent = request.agent(server.app);
    const { verifier, challenge } = pkce();
    const scope = 'launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs user/Patient.rs';
    const start = await agent.get(authorizeUrl({ scope, challenge })).set('Cookie', cookie);
    assert.equal(start.status, 303);
    assert.match(String(start.headers.location), /^\/smart\/auth\/pick-patient\?/);
    const picker = await agent.get(String(start.headers.location)).set('Cookie', cookie);
    assert.equal(picker.status, 200);
    assert.doesNotMatch(picker.text, /Patient name/, 'a representative does not search the EHR');
    const offered = offeredPatients(picker.text);
    assert.deepEqual([...offered.keys()].sort(), ['Leo Lopez', 'Maria Lopez', 'Mia Lopez']);
    assert.match(picker.text, /Leo Lopez \(born 9 May 2015\)/);
    const leo = offered.get('Leo Lopez') as string;
    const pat = String((await server.db.knex('smart_host_patients').where({ display_name: 'Pat Jones' }).first('patient_id')).patient_id);
    const forged = await agent.post('/smart/auth/pick-patient').set('Cookie', cookie).type('form').send({ ...hiddenFields(picker.text), patient: pat });
    assert.equal(forged.status, 400, 'a chart not linked to Maria is refused');

    const chosen = await agent.post('/smart/auth/pick-patient').set('Cookie', cookie).type('form').send({ ...hiddenFields(picker.text), patient: leo });
    assert.equal(chosen.status, 303);
    const consentPage = await agent.get(String(chosen.headers.location)).set('Cookie', cookie);
    assert.match(consentPage.text, /Read and search your conditions/);
    const checked = [...consentPage.text.matchAll(/<input type="checkbox" [^>]*name="scope" value="([^"]+)"[^>]*checked/g)].map((m) => m[1] as string);
    const body = new URLSearchParams({ ...hiddenFields(consentPage.text), decision: 'allow' });
    for (const value of checked) body.append('scope', value);
    const { code } = codeFrom(await agent.post('/smart/auth/consent').set('Cookie', cookie).type('form').send(body.toString()));
    const token = await redeemCode(server, code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.patient, leo);
    // user/ scopes are not a representative's to grant: the token holds only the chart's patient/ scopes.
    assert.equal(token.body.scope, 'launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs');
  });
});
