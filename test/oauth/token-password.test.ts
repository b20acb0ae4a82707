import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, basic, CLIENT_AUTH_FAILED, passwordGrant, postToken, refresh, SECRETS,
} from '../support/token-requests.ts';

const WRONG = 'The username or password is not correct.';
const LOCKED = 'The account or address is locked after repeated failures; try again later.';

/** The seed's "Application Service Authentication": client_id + client_secret + service user + password. */
describe(`token endpoint: password grant on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let address = 0;
  // Each test signs in from its own address, so address limits never leak between tests.
  const nextAddress = () => `192.0.2.${++address}`;
  before(async () => {
    server = await startSmartServer({ signIn: { maxFailuresPerAddress: 3 }, hostContract: { permissionCacheTtlMs: 0 } });
  });
  after(() => server.close());

  it('issues a token for svc-client acting as svc-portal, with the requested scopes its permissions allow', async () => {
    const res = await passwordGrant(server, {}, nextAddress());
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    assert.equal(res.body.scope, 'user/Patient.rs user/Condition.rs');
    const claims = jwt.decode(res.body.access_token) as jwt.JwtPayload;
    assert.equal(claims.sub, await server.userId('svc-portal'));
    assert.equal(claims.client_id, 'svc-client');
  });

  it('accepts HTTP Basic client authentication too, and issues refresh and id tokens when asked', async () => {
    const scope = 'openid fhirUser offline_access user/Patient.rs';
    const res = await postToken(server, { grant_type: 'password', username: 'svc-portal', password: 'demo-password', scope },
      basic('svc-client', SECRETS['svc-client']));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, scope);
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    const refreshed = await refresh(server, res.body.refresh_token, {}, basic('svc-client', SECRETS['svc-client']));
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(refreshed.body.scope, scope);
  });

  it('drops scopes the service user\'s EHR permissions do not allow (View Charts revoked for svc-scheduling)', async () => {
    const res = await passwordGrant(server, { username: 'svc-scheduling' }, nextAddress());
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, 'user/Patient.rs');
  });

  it('refuses scopes outside the client registration or the user\'s permissions', async () => {
    const res = await passwordGrant(server, { scope: 'patient/Patient.rs user/Location.rs' }, nextAddress());
    assertOAuthError(res, 400, 'invalid_scope',
      'None of the requested scopes is allowed for this client and user (patient/Patient.rs user/Location.rs).');
  });

  it('needs all four credentials', async () => {
    const at = nextAddress();
    assertOAuthError(await passwordGrant(server, { client_id: undefined }, at), 401, ...CLIENT_AUTH_FAILED);
    assertOAuthError(await passwordGrant(server, { client_secret: undefined }, at), 401, ...CLIENT_AUTH_FAILED);
    assertOAuthError(await passwordGrant(server, { username: undefined }, at), 400, 'invalid_request', 'Missing required parameter: username');
    assertOAuthError(await passwordGrant(server, { password: undefined }, at), 400, 'invalid_request', 'Missing required parameter: password');
    assertOAuthError(await passwordGrant(server, { client_secret: 'wrong-secret-value' }, at), 401, ...CLIENT_AUTH_FAILED);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    assertOAuthError(await passwordGrant(server, { password: 'wrong' }, nextAddress()), 400, 'invalid_grant', WRONG);
    assertOAuthError(await passwordGrant(server, { username: 'nobody-here' }, nextAddress()), 400, 'invalid_grant', WRONG);
  });

  it('refuses a user without the API Server User role, naming the role', async () => {
    const res = await passwordGrant(server, { username: 'provider' }, nextAddress());
    assertOAuthError(res, 400, 'invalid_grant', 'The password grant is for service users with the "API Server User" role.');
  });

  it('refuses an inactive user', async () => {
    assertOAuthError(await passwordGrant(server, { username: 'retired' }, nextAddress()), 400, 'invalid_grant', 'The user account is inactive.');
  });

  it('locks the account after five failures, whatever the address; then the right password is refused too', async () => {
    for (let i = 1; i <= 4; i++) {
      assertOAuthError(await passwordGrant(server, { username: 'svc-scheduling', password: 'wrong' }, nextAddress()), 400, 'invalid_grant', WRONG);
    }
    assertOAuthError(await passwordGrant(server, { username: 'svc-scheduling', password: 'wrong' }, nextAddress()), 400, 'invalid_grant', LOCKED);
    assertOAuthError(await passwordGrant(server, { username: 'svc-scheduling' }, nextAddress()), 400, 'invalid_grant', LOCKED);
    // Another account is not affected.
    assert.equal((await passwordGrant(server, {}, nextAddress())).status, 200);
  });

  it('counts failures sent at the same time: parallel guessing does not slip past the lockout', async () => {
    const guesses = Array.from({ length: 12 }, (_, i) => passwordGrant(server, { username: 'frontdesk', password: `guess-${i}` }, nextAddress()));
    const answers = await Promise.all(guesses);
    for (const res of answers) assert.equal(res.status, 400);
    // Each guess takes its count before its password is checked: counts 1-4 hear "wrong", the fifth locks, the rest are refused.
    const told = answers.map((res) => res.body.error_description as string).sort();
    assert.deepEqual(told, [...Array(8).fill(LOCKED), ...Array(4).fill(WRONG)]);
    assertOAuthError(await passwordGrant(server, { username: 'frontdesk' }, nextAddress()), 400, 'invalid_grant', LOCKED);
    const counter = await server.db.knex('smart_login_attempts').where({ attempt_key: 'account:frontdesk' }).first('failures', 'locked_until');
    assert.ok(Number(counter.failures) >= 5 && Number(counter.failures) <= 12, `counted ${counter.failures}`);
    assert.notEqual(counter.locked_until, null);
  });

  it('refuses an absurdly long username like any wrong one', async () => {
    assertOAuthError(await passwordGrant(server, { username: 'u'.repeat(400) }, nextAddress()), 400, 'invalid_grant', WRONG);
  });

  it('locks an address after its failures (here 3) across usernames; other addresses still sign in', async () => {
    const at = nextAddress();
    assertOAuthError(await passwordGrant(server, { username: 'someone-1', password: 'wrong' }, at), 400, 'invalid_grant', WRONG);
    assertOAuthError(await passwordGrant(server, { username: 'someone-2', password: 'wrong' }, at), 400, 'invalid_grant', WRONG);
    assertOAuthError(await passwordGrant(server, { username: 'someone-3', password: 'wrong' }, at), 400, 'invalid_grant', LOCKED);
    assertOAuthError(await passwordGrant(server, {}, at), 400, 'invalid_grant', LOCKED);
    assert.equal((await passwordGrant(server, {}, nextAddress())).status, 200);
  });

  it('refuses a refresh once the service user lost the API Server User role', async () => {
    const issued = await passwordGrant(server, { scope: 'offline_access user/Patient.rs' }, nextAddress());
    assert.equal(issued.status, 200, issued.text);
    const userId = await server.userId('svc-portal');
    const role = (await server.db.knex('ehr_roles').where({ name: 'API Server User' }).first('id')).id;
    await server.db.knex('ehr_user_roles').where({ user_id: userId, role_id: role }).delete();
    try {
      const res = await refresh(server, issued.body.refresh_token, {}, basic('svc-client', SECRETS['svc-client']));
      assertOAuthError(res, 400, 'invalid_grant', 'The service user no longer holds the API Server User role.');
    } finally {
      await server.db.knex('ehr_user_roles').insert({ user_id: userId, role_id: role });
    }
  });
});
