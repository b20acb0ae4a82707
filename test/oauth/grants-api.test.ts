import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { demoClientSecrets } from '../../samples/host-ehr/demo-clients.ts';
import {
  authorizeUrl, codeFrom, consent, demoPatientId, exchangeCode, follow, pickPatient, pkce, signIn, startSmartServer, type SmartServer,
} from '../support/smart-server.ts';

const SCOPE = 'launch/patient openid fhirUser offline_access patient/Patient.rs';
const SECRET = demoClientSecrets['demo-confidential'];

describe(`grants API on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let providerId: string;
  let patId: string;
  const introspect = (token: string) => request(server.app).post('/smart/auth/introspect').auth('demo-confidential', SECRET).type('form').send({ token });
  const refresh = (token: string) => request(server.app).post('/smart/auth/token').auth('demo-confidential', SECRET).type('form')
    .send({ grant_type: 'refresh_token', refresh_token: token });

  /** provider authorizes demo-confidential for Pat Jones; the token response. */
  async function authorizeApp(): Promise<{ access_token: string; refresh_token: string; consentShown: boolean }> {
    const { verifier, challenge } = pkce();
    const agent = request.agent(server.app);
    const start = await follow(agent, await agent.get(authorizeUrl({ clientId: 'demo-confidential', scope: SCOPE, challenge })));
    const afterPicker = await pickPatient(agent, await signIn(agent, start, 'provider'), 'jones', 'Pat Jones');
    const consentShown = afterPicker.status === 200;
    const back = consentShown ? await consent(agent, afterPicker) : afterPicker;
    const token = await exchangeCode(server.app, codeFrom(back).code, verifier, { clientId: 'demo-confidential', basic: SECRET });
    assert.equal(token.status, 200, token.text);
    return { ...token.body, consentShown };
  }

  before(async () => {
    server = await startSmartServer();
    providerId = await server.userId('provider');
    patId = await demoPatientId(server, 'Pat', 'Jones');
  });
  after(() => server.close());

  it('lists nothing before any authorization', async () => {
    assert.deepEqual(await server.plugin.grants.list({ userId: providerId }), []);
    assert.deepEqual(await server.plugin.grants.list({ portalIdentity: 'maria@example.com' }), []);
  });

  it('lists the app after authorization, and revoking it stops its tokens', async () => {
    const tokens = await authorizeApp();
    assert.equal(tokens.consentShown, true);
    const apps = await server.plugin.grants.list({ userId: providerId });
    assert.equal(apps.length, 1);
    const [app] = apps as [typeof apps[number]];
    assert.deepEqual({ ...app, authorizedAt: undefined, lastChangedAt: undefined }, {
      grantId: app.grantId, clientId: 'demo-confidential', clientName: 'Demo SMART app (confidential)', patientId: patId,
      scope: SCOPE.split(' '), authorizedAt: undefined, lastChangedAt: undefined,
    });
    assert.ok(app.authorizedAt instanceof Date && app.lastChangedAt instanceof Date);
    assert.equal((await introspect(tokens.access_token)).body.active, true);

    // Someone else's grant: nothing happens.
    assert.equal(await server.plugin.grants.revoke(app.grantId, { owner: { userId: await server.userId('frontdesk') } }), false);
    assert.equal(await server.plugin.grants.revoke(app.grantId, { owner: { portalIdentity: 'maria@example.com' } }), false);
    assert.equal((await introspect(tokens.access_token)).body.active, true);

    assert.equal(await server.plugin.grants.revoke(app.grantId, { owner: { userId: providerId } }), true);
    const inactive = await introspect(tokens.access_token);
    assert.equal(inactive.status, 200);
    assert.deepEqual(inactive.body, { active: false });
    const refused = await refresh(tokens.refresh_token);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_grant');
    assert.deepEqual(await server.plugin.grants.list({ userId: providerId }), []);
    assert.equal(await server.plugin.grants.revoke(app.grantId), false, 'a revoked grant cannot be revoked again');
  });

  it('asks consent again after a revocation, and the host may revoke without naming the owner', async () => {
    const tokens = await authorizeApp();
    assert.equal(tokens.consentShown, true);
    const [app] = await server.plugin.grants.list({ userId: providerId });
    assert.ok(app);
    // A refresh still works while the grant stands.
    const refreshed = await refresh(tokens.refresh_token);
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(await server.plugin.grants.revoke(app.grantId), true);
    assert.deepEqual((await introspect(refreshed.body.access_token)).body, { active: false });
    assert.equal((await refresh(refreshed.body.refresh_token)).body.error, 'invalid_grant');
  });

  it('returns false for a grant that does not exist', async () => {
    assert.equal(await server.plugin.grants.revoke('no-such-grant'), false);
  });
});
