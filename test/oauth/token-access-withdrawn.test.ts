import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { assertOAuthError, isActive, passwordGrant, refresh, tokensFor } from '../support/token-requests.ts';

// Access ends when the EHR takes it away, not only when the user or app does.
describe(`access withdrawn in the EHR on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer({ hostContract: { permissionCacheTtlMs: 0 } });
  });
  after(() => server.close());

  it('stops every token of a client the moment the client is disabled or removed', async () => {
    const response = await passwordGrant(server, { scope: 'user/Patient.rs' });
    assert.equal(response.status, 200, response.text);
    const token = response.body.access_token as string;
    assert.equal(await isActive(server, token), true);
    await server.db.knex('smart_clients').where({ client_id: 'svc-client' }).update({ disabled: true });
    try {
      assert.equal(await isActive(server, token), false);
    } finally {
      await server.db.knex('smart_clients').where({ client_id: 'svc-client' }).update({ disabled: false });
    }
    assert.equal(await isActive(server, token), true, 'a client enabled again has its unexpired tokens back');
  });

  it('refuses to refresh a sensitive chart once the user lost Sensitive Charts', async () => {
    const tokens = await tokensFor(server, {
      login: 'sensitive-provider', patientName: 'rivera', scope: 'launch/patient offline_access patient/Patient.rs',
    });
    assert.equal(tokens.patient, String((await server.db.knex('smart_host_patients').where({ display_name: 'Sam Rivera' }).first('patient_id')).patient_id));
    const first = await refresh(server, tokens.refresh_token as string);
    assert.equal(first.status, 200, first.text);
    const userId = await server.userId('sensitive-provider');
    const permission = await server.db.knex('ehr_permissions').where({ name: 'Sensitive Charts' }).first('id');
    await server.db.knex('ehr_user_permission_overrides').where({ user_id: Number(userId), permission_id: permission.id }).delete();
    const refused = await refresh(server, first.body.refresh_token as string);
    assertOAuthError(refused, 400, 'invalid_grant', "The patient's chart is restricted and this user may no longer open it.");
  });
});
