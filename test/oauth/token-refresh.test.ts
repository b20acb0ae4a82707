import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { GrantsStore } from '../../src/store/grants-store.ts';
import { TableNames } from '../../src/store/table-names.ts';
import { TokensStore } from '../../src/store/tokens-store.ts';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, basic, isActive, refresh, SECRETS, tokensFor,
} from '../support/token-requests.ts';

const SCOPE = 'openid fhirUser offline_access user/Patient.rs user/Condition.rs';
const REUSED = 'The refresh token was used already; the authorization is revoked.';

describe(`token endpoint: refresh_token on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    // No permission cache, so a revocation in the host tables shows at the very next refresh.
    server = await startSmartServer({ hostContract: { permissionCacheTtlMs: 0 } });
  });
  after(() => server.close());

  it('rotates: a new access and refresh token, uncached, with the same scope and no id_token', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const res = await refresh(server, first.refresh_token as string);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(res.body.scope, SCOPE);
    assert.notEqual(res.body.refresh_token, first.refresh_token);
    assert.notEqual(res.body.access_token, first.access_token);
    const claims = jwt.decode(res.body.access_token) as jwt.JwtPayload;
    assert.equal(claims.sub, await server.userId('provider'));
    assert.equal(claims.client_id, 'demo-app');
    // The rotated token is refused from now on (and its reuse is treated as a leak).
    assertOAuthError(await refresh(server, first.refresh_token as string), 400, 'invalid_grant', REUSED);
  });

  it('revokes the whole grant when a rotated refresh token is presented again', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const second = (await refresh(server, first.refresh_token as string)).body;
    const third = (await refresh(server, second.refresh_token)).body;
    assert.equal(await isActive(server, third.access_token), true);
    assertOAuthError(await refresh(server, first.refresh_token as string), 400, 'invalid_grant', REUSED);
    for (const token of [first.access_token, second.access_token, third.access_token]) assert.equal(await isActive(server, token as string), false);
    assertOAuthError(await refresh(server, third.refresh_token), 400, 'invalid_grant', 'The refresh token was revoked.');
  });

  it('narrows the scope on request; the refresh token keeps the original scope (RFC 6749 §6)', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const narrowed = await refresh(server, first.refresh_token as string, { scope: 'user/Patient.rs' });
    assert.equal(narrowed.status, 200, narrowed.text);
    assert.equal(narrowed.body.scope, 'user/Patient.rs');
    assert.equal((jwt.decode(narrowed.body.access_token) as jwt.JwtPayload).scope, 'user/Patient.rs');
    assert.ok(narrowed.body.refresh_token, 'a narrower access token does not cost the refresh token');
    const full = await refresh(server, narrowed.body.refresh_token);
    assert.equal(full.status, 200, full.text);
    assert.equal(full.body.scope, SCOPE);
  });

  it('accepts the original scope string and refuses a wider one without spending the refresh token', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const wider = await refresh(server, first.refresh_token as string, { scope: `${SCOPE} user/Observation.rs` });
    assertOAuthError(wider, 400, 'invalid_scope', 'A refresh may not add scopes the original authorization did not grant.');
    const same = await refresh(server, first.refresh_token as string, { scope: SCOPE });
    assert.equal(same.status, 200, same.text);
    assert.equal(same.body.scope, SCOPE);
  });

  it('drops scopes whose EHR permission was revoked since, and gives them back once restored', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const userId = await server.userId('provider');
    const viewCharts = (await server.db.knex('ehr_permissions').where({ name: 'View Charts' }).first('id')).id;
    await server.db.knex('ehr_user_permission_overrides').insert({ user_id: userId, permission_id: viewCharts, effect: 'revoke' });
    try {
      const res = await refresh(server, first.refresh_token as string);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.scope, 'openid fhirUser offline_access user/Patient.rs');
      await server.db.knex('ehr_user_permission_overrides').where({ user_id: userId, permission_id: viewCharts }).delete();
      const restored = await refresh(server, res.body.refresh_token);
      assert.equal(restored.status, 200, restored.text);
      assert.equal(restored.body.scope, SCOPE);
    } finally {
      await server.db.knex('ehr_user_permission_overrides').where({ user_id: userId, permission_id: viewCharts }).delete();
    }
  });

  it('drops scopes the user withdrew from the grant at a later consent', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const wider = `${SCOPE} user/Observation.rs`;
    await tokensFor(server, { scope: wider, uncheck: ['user/Condition.rs', 'user/Observation.rs'] });
    const res = await refresh(server, first.refresh_token as string);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, 'openid fhirUser offline_access user/Patient.rs');
  });

  it('refuses a representative\'s refresh once the EHR removed their link to the chart', async () => {
    const link = await server.db.knex('ehr_patient_portal_links').where({ email: 'maria@example.com' }).orderBy('patient_id').first();
    const patient = String(link.patient_id);
    const token = await portalRefreshToken(server, 'maria@example.com', patient, ['offline_access', 'patient/Patient.rs']);
    const res = await refresh(server, token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.patient, patient);
    assert.equal(res.body.scope, 'offline_access patient/Patient.rs');
    await server.db.knex('ehr_patient_portal_links').where({ email: 'maria@example.com', patient_id: link.patient_id }).delete();
    assertOAuthError(await refresh(server, res.body.refresh_token), 400, 'invalid_grant', 'This identity is no longer linked to the patient\'s chart.');
  });

  it('refuses another client\'s refresh token, which stays usable by its own client', async () => {
    const first = await tokensFor(server, { scope: SCOPE });
    const stolen = await refresh(server, first.refresh_token as string, {}, basic('demo-confidential', SECRETS['demo-confidential']));
    assertOAuthError(stolen, 400, 'invalid_grant', 'The refresh token is not valid.');
    assert.equal((await refresh(server, first.refresh_token as string)).status, 200);
  });

  it('refreshes for a confidential client with its credentials only', async () => {
    const first = await tokensFor(server, { clientId: 'demo-confidential', scope: SCOPE });
    const auth = basic('demo-confidential', SECRETS['demo-confidential']);
    assertOAuthError(await refresh(server, first.refresh_token as string, { client_id: 'demo-confidential' }), 401,
      'invalid_client', 'Client authentication failed.');
    const res = await refresh(server, first.refresh_token as string, {}, auth);
    assert.equal(res.status, 200, res.text);
    assert.equal((jwt.decode(res.body.access_token) as jwt.JwtPayload).client_id, 'demo-confidential');
  });

  it('refuses an unknown, a missing and an expired refresh token', async () => {
    assertOAuthError(await refresh(server, '2f6c1a3e-0000-4000-8000-000000000000'), 400, 'invalid_grant', 'The refresh token is not valid.');
    assertOAuthError(await refresh(server, ''), 400, 'invalid_request', 'Missing required parameter: refresh_token');
    const first = await tokensFor(server, { scope: SCOPE });
    const tokenHash = createHash('sha256').update(first.refresh_token as string).digest('hex');
    await server.db.knex('smart_refresh_tokens').where({ token_hash: tokenHash }).update({ expires_at: new Date(Date.now() - 1000) });
    assertOAuthError(await refresh(server, first.refresh_token as string), 400, 'invalid_grant', 'The refresh token has expired.');
    // Presenting an expired token again is not a rotation replay: the grant survives.
    assertOAuthError(await refresh(server, first.refresh_token as string), 400, 'invalid_grant', 'The refresh token has expired.');
    assert.equal(await isActive(server, first.access_token as string), true);
  });

  it('issues no refresh token without offline_access or online_access', async () => {
    const tokens = await tokensFor(server, { scope: 'openid fhirUser user/Patient.rs' });
    assert.equal(tokens.refresh_token, undefined);
  });
});

/**
 * A patient-portal (Azure AD B2C) refresh token, stored as the code exchange stores one: portal sign-in
 * needs the dev IdP, which this file does not start.
 */
async function portalRefreshToken(server: SmartServer, identity: string, patient: string, scope: string[]): Promise<string> {
  const tables = new TableNames('smart_', undefined);
  const grant = await new GrantsStore(server.db.knex, tables)
    .create({ clientId: 'demo-app', subjectType: 'portal', subjectId: identity, patientId: patient, scope });
  const context = {
    subject: identity, userKind: 'portal', fhirUser: null, patient, encounter: null, nonce: null,
    authTime: Math.floor(Date.now() / 1000), needPatientBanner: true, dropped: [],
  };
  return new TokensStore(server.db.knex, tables).issueRefreshToken({
    familyId: `portal-${grant.grantId}`, grantId: grant.grantId, clientId: 'demo-app', scope, context,
    expiresAt: new Date(Date.now() + 3600_000),
  });
}
