import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { LaunchError } from '../../src/index.ts';
import { secretDigest } from '../../src/store/secret-digest.ts';
import {
  authorizeUrl, clientRedirect, codeFrom, consent, demoPatientId, exchangeCode, follow, hiddenFields, pkce, REDIRECT_URI, signIn,
  startSmartServer, type SmartServer,
} from '../support/smart-server.ts';

const SCOPE = 'launch openid fhirUser patient/Patient.rs patient/Condition.rs';
const LAUNCH_REFUSED = 'The launch is unknown, expired, already used, or was started by another user or for another app.';

/** The launch was taken: the consent page comes next, or the code when consent is on file. */
function assertAccepted(response: request.Response): void {
  if (response.status === 303) assert.match(String(response.headers.location), /^\/smart\/auth\/consent\?transaction_id=/);
  else codeFrom(response);
}

describe(`EHR launch on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let providerId: string;
  let leoId: string;
  const launchFor = async (input: { userId?: string; patientId?: string; clientId?: string; encounterId?: string } = {}) =>
    (await server.plugin.createLaunch({ userId: providerId, patientId: leoId, clientId: 'demo-app', ...input })).launch;
  const authorize = (launch: string, challenge = pkce().challenge, state = 'ehr-state') =>
    request.agent(server.app).get(authorizeUrl({ scope: SCOPE, launch, challenge, state }));

  before(async () => {
    server = await startSmartServer();
    providerId = await server.userId('provider');
    leoId = await demoPatientId(server, 'Leo', 'Lopez');
  });
  afterEach(() => {
    server.hostUser.id = undefined;
  });
  after(() => server.close());

  it('does not ask the user the EHR has signed in, and puts the launch patient in the token without a banner', async () => {
    server.hostUser.id = providerId;
    const { verifier, challenge } = pkce();
    const agent = request.agent(server.app);
    const encounter = await server.db.knex('ehr_encounters').where({ patient_id: Number(leoId) }).first('id');
    const launch = await launchFor({ encounterId: String(encounter.id) });
    const start = await agent.get(authorizeUrl({ scope: SCOPE, launch, challenge }));
    assert.equal(start.status, 303);
    assert.match(String(start.headers.location), /^\/smart\/auth\/consent\?transaction_id=/);
    const page = await follow(agent, start);
    assert.match(page.text, /<p class="patient">Patient: Leo Lopez<\/p>/);
    const token = await exchangeCode(server.app, codeFrom(await consent(agent, page)).code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.patient, leoId);
    assert.equal(token.body.encounter, String(encounter.id));
    assert.equal(token.body.need_patient_banner, false);
    assert.equal(token.body.scope, SCOPE);
    assert.equal((jwt.decode(token.body.id_token) as jwt.JwtPayload).sub, providerId);
  });

  it('goes straight to the code when consent is on file', async () => {
    server.hostUser.id = providerId;
    const miaId = await demoPatientId(server, 'Mia', 'Lopez');
    const first = request.agent(server.app);
    const launch = await launchFor({ patientId: miaId });
    codeFrom(await consent(first, await follow(first, await first.get(authorizeUrl({ scope: SCOPE, launch })))));
    const { verifier, challenge } = pkce();
    const direct = await authorize(await launchFor({ patientId: miaId }), challenge);
    const { code, state } = codeFrom(direct);
    assert.equal(state, 'ehr-state');
    const token = await exchangeCode(server.app, code, verifier);
    assert.equal(token.body.patient, miaId);
    assert.equal(token.body.need_patient_banner, false);
  });

  it('refuses a launch used once already', async () => {
    server.hostUser.id = providerId;
    const launch = await launchFor();
    assertAccepted(await authorize(launch));
    const { target, params } = clientRedirect(await authorize(launch));
    assert.equal(target, REDIRECT_URI);
    assert.deepEqual(params, { error: 'invalid_request', error_description: LAUNCH_REFUSED, state: 'ehr-state' });
  });

  it('refuses a launch created for another user, whoever the EHR says is signed in', async () => {
    server.hostUser.id = await server.userId('sensitive-provider');
    assert.deepEqual(clientRedirect(await authorize(await launchFor())).params,
      { error: 'invalid_request', error_description: LAUNCH_REFUSED, state: 'ehr-state' });
  });

  it('refuses a launch created for another user who signs in with credentials, and leaves it to its user', async () => {
    const launch = await launchFor();
    const intruder = request.agent(server.app);
    const signInPage = await follow(intruder, await intruder.get(authorizeUrl({ scope: SCOPE, launch })));
    assert.match(signInPage.text, /<h1>Sign in<\/h1>/);
    const refused = await intruder.post('/smart/auth/sign-in').type('form')
      .send({ ...hiddenFields(signInPage.text), username: 'sensitive-provider', password: 'demo-password' });
    assert.deepEqual(clientRedirect(refused).params, { error: 'invalid_request', error_description: LAUNCH_REFUSED, state: 'state-123' });
    const owner = request.agent(server.app);
    const page = await signIn(owner, await follow(owner, await owner.get(authorizeUrl({ scope: SCOPE, launch }))), 'provider');
    codeFrom(page.status === 302 ? page : await consent(owner, page));
  });

  it('refuses a launch of a sensitive chart for a user without Sensitive Charts, at creation and at use', async () => {
    const samId = await demoPatientId(server, 'Sam', 'Rivera');
    await assert.rejects(launchFor({ patientId: samId }),
      (error: unknown) => error instanceof LaunchError && error.message === 'createLaunch: the chart is restricted and this user may not open it');
    const okaforId = await server.userId('sensitive-provider');
    server.hostUser.id = okaforId;
    assertAccepted(await authorize(await launchFor({ userId: okaforId, patientId: samId })));
    // The permission may be withdrawn between the EHR's click and the app's authorization request.
    const launch = await launchFor({ userId: okaforId, patientId: samId });
    const permission = await server.db.knex('ehr_permissions').where({ name: 'Sensitive Charts' }).first('id');
    const grant = { user_id: Number(okaforId), permission_id: permission.id };
    await server.db.knex('ehr_user_permission_overrides').where(grant).delete();
    server.plugin.hostDirectory.invalidate(okaforId);
    try {
      assert.deepEqual(clientRedirect(await authorize(launch)).params,
        { error: 'invalid_request', error_description: 'The launch names a chart this user may not open.', state: 'ehr-state' });
    } finally {
      await server.db.knex('ehr_user_permission_overrides').insert({ ...grant, effect: 'grant' });
      server.plugin.hostDirectory.invalidate(okaforId);
    }
  });

  it('stops the flow when another user signs in to the EHR before consent is given', async () => {
    server.hostUser.id = providerId;
    const agent = request.agent(server.app);
    const page = await follow(agent, await agent.get(authorizeUrl({ scope: SCOPE, launch: await launchFor({ patientId: await demoPatientId(server, 'Pat', 'Jones') }) })));
    assert.match(page.text, /<h1>Allow access\?<\/h1>/);
    server.hostUser.id = await server.userId('frontdesk');
    const changed = { error: 'invalid_request', error_description: 'The signed-in user changed during this authorization; start again from the app.', state: 'state-123' };
    assert.deepEqual(clientRedirect(await agent.get(`/smart/auth/consent?transaction_id=${hiddenFields(page.text).transaction_id}`)).params, changed);
    const refused = await agent.post('/smart/auth/consent').type('form').send(new URLSearchParams([
      ...Object.entries(hiddenFields(page.text)), ['decision', 'allow'], ['scope', 'launch'], ['scope', 'patient/Patient.rs'],
    ]).toString());
    assert.deepEqual(clientRedirect(refused).params, changed);
  });

  it('asks for a patient when the launch names none and the app wants patient scopes', async () => {
    server.hostUser.id = providerId;
    const { launch } = await server.plugin.createLaunch({ userId: providerId, clientId: 'demo-app' });
    const start = await authorize(launch);
    assert.equal(start.status, 303);
    assert.match(String(start.headers.location), /^\/smart\/auth\/pick-patient\?transaction_id=/);
  });

  it('refuses a launch bound to another app, and lets any app use an unbound one', async () => {
    server.hostUser.id = providerId;
    assert.equal(clientRedirect(await authorize(await launchFor({ clientId: 'demo-confidential' }))).params.error, 'invalid_request');
    const unbound = (await server.plugin.createLaunch({ userId: providerId, patientId: leoId })).launch;
    assertAccepted(await authorize(unbound));
  });

  it('refuses an unknown or expired launch', async () => {
    server.hostUser.id = providerId;
    assert.equal(clientRedirect(await authorize('made-up-launch-id')).params.error_description, LAUNCH_REFUSED);
    const launch = await launchFor();
    await server.db.knex('smart_launch_contexts').where({ launch_hash: secretDigest(launch) }).update({ expires_at: new Date(Date.now() - 1000) });
    assert.deepEqual(clientRedirect(await authorize(launch)).params, { error: 'invalid_request', error_description: LAUNCH_REFUSED, state: 'ehr-state' });
  });

  it('expires a launch after five minutes by default', async () => {
    const before = Date.now();
    const { expiresAt } = await server.plugin.createLaunch({ userId: providerId });
    assert.ok(Math.abs(expiresAt.getTime() - (before + 300_000)) < 5000, expiresAt.toISOString());
  });

  it('throws LaunchError for an unknown or inactive user, an unknown patient or an unknown client', async () => {
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ userId: '999999' }, /the user is unknown or inactive/],
      [{ userId: await server.userId('retired') }, /the user is unknown or inactive/],
      [{ userId: '' }, /needs the signed-in userId/],
      [{ patientId: '999999' }, /the patient is unknown/],
      [{ clientId: 'no-such-app' }, /the client is unknown or disabled/],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(launchFor(input), (error: unknown) => error instanceof LaunchError && message.test(error.message), JSON.stringify(input));
    }
  });
});
