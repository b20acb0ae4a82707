import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { FHIR_BASE, ISSUER, REDIRECT_URI, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import {
  assertOAuthError, basic, isActive, obtainCode, postToken, redeemCode, refresh, SECRETS,
} from '../support/token-requests.ts';

const SCOPE = 'openid fhirUser offline_access user/Patient.rs user/Condition.rs';
const CONFIDENTIAL = basic('demo-confidential', SECRETS['demo-confidential']);

describe(`token endpoint: authorization_code on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('issues tokens to the public demo-app, uncached, with the SMART response fields', async () => {
    const { code, verifier } = await obtainCode(server, { scope: SCOPE });
    const res = await redeemCode(server, code, verifier).set('Origin', 'https://app.example');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['access-control-allow-origin'], '*', 'a browser app may read the answer');
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(res.body.scope, SCOPE);
    const claims = jwt.decode(res.body.access_token) as jwt.JwtPayload;
    assert.deepEqual({ iss: claims.iss, aud: claims.aud, client_id: claims.client_id, scope: claims.scope, sub: claims.sub },
      { iss: ISSUER, aud: FHIR_BASE, client_id: 'demo-app', scope: SCOPE, sub: await server.userId('provider') });
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
  });

  it('issues tokens to the confidential client authenticated with HTTP Basic', async () => {
    const { code, verifier } = await obtainCode(server, { clientId: 'demo-confidential', scope: SCOPE });
    const res = await redeemCode(server, code, verifier, {}, CONFIDENTIAL);
    assert.equal(res.status, 200, res.text);
    assert.equal((jwt.decode(res.body.access_token) as jwt.JwtPayload).client_id, 'demo-confidential');
    assert.equal((jwt.decode(res.body.id_token) as jwt.JwtPayload).aud, 'demo-confidential');
  });

  it('issues tokens to the confidential client authenticated with client_secret_post', async () => {
    const { code, verifier } = await obtainCode(server, { clientId: 'demo-confidential', scope: SCOPE });
    const res = await redeemCode(server, code, verifier, { client_id: 'demo-confidential', client_secret: SECRETS['demo-confidential'] });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, SCOPE);
  });

  it('carries the chosen patient and the banner flag when launch/patient was asked', async () => {
    const scope = 'launch/patient patient/Patient.rs';
    const { code, verifier } = await obtainCode(server, { scope, patientName: 'lopez' });
    const res = await redeemCode(server, code, verifier);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'need_patient_banner', 'patient', 'scope', 'smart_style_url', 'token_type']);
    assert.match(res.body.patient, /^\d+$/);
    assert.equal(res.body.need_patient_banner, true);
    assert.equal(res.body.smart_style_url, 'http://localhost:3000/smart/auth/smart-style.json');
    assert.equal((jwt.decode(res.body.access_token) as jwt.JwtPayload).patient, res.body.patient);
  });

  describe('PKCE (RFC 7636 §4.6)', () => {
    it('refuses a missing code_verifier', async () => {
      const { code } = await obtainCode(server);
      const res = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: 'demo-app' });
      assertOAuthError(res, 400, 'invalid_request', 'code_verifier is missing: PKCE is required.');
    });

    it('refuses an empty, a wrong, a too short and a "plain" verifier', async () => {
      for (const wrong of ['', 'x'.repeat(43), 'a'.repeat(42), 'challenge']) {
        const { code, verifier } = await obtainCode(server);
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        const res = await redeemCode(server, code, wrong === 'challenge' ? challenge : wrong);
        assertOAuthError(res, 400, 'invalid_grant', 'code_verifier does not match the code_challenge.');
      }
    });
  });

  it('refuses a replayed code and revokes the tokens of its first exchange', async () => {
    const { code, verifier } = await obtainCode(server);
    const first = await redeemCode(server, code, verifier);
    assert.equal(first.status, 200, first.text);
    assert.equal(await isActive(server, first.body.access_token), true);
    const again = await redeemCode(server, code, verifier);
    assertOAuthError(again, 400, 'invalid_grant', 'The authorization code was used already; the tokens it issued are revoked.');
    assert.equal(await isActive(server, first.body.access_token), false);
    assertOAuthError(await refresh(server, first.body.refresh_token), 400, 'invalid_grant', 'The refresh token was revoked.');
  });

  it('leaves no live token when a replay races the first exchange (20 codes, two exchanges at once each)', async () => {
    const codes = [];
    for (let i = 0; i < 20; i += 1) codes.push(await obtainCode(server, { scope: SCOPE }));
    const replayed = 'The authorization code was used already; the tokens it issued are revoked.';
    await Promise.all(codes.map(async ({ code, verifier }) => {
      const answers = await Promise.all([redeemCode(server, code, verifier), redeemCode(server, code, verifier)]);
      const issued = answers.filter((res) => res.status === 200);
      for (const res of answers.filter((r) => r.status !== 200)) assertOAuthError(res, 400, 'invalid_grant', replayed);
      // Two exchanges of one code always make one of them a replay, so nothing either returned may stay usable.
      assert.ok(issued.length <= 1, 'at most one exchange succeeds, and the other is answered as a replay');
      for (const res of issued) {
        assert.equal(await isActive(server, res.body.access_token), false, 'the access token was revoked');
        assertOAuthError(await refresh(server, res.body.refresh_token), 400, 'invalid_grant', 'The refresh token was revoked.');
      }
    }));
  });

  it('refuses an unknown code', async () => {
    const res = await redeemCode(server, 'BAD_CODE', 'x'.repeat(43), {}, CONFIDENTIAL);
    assertOAuthError(res, 400, 'invalid_grant', 'The authorization code is not valid.');
  });

  it('refuses a redirect_uri other than the authorization request\'s, and a missing one', async () => {
    const { code, verifier } = await obtainCode(server);
    const other = await redeemCode(server, code, verifier, { redirect_uri: 'http://localhost:3000/apps/demo/' });
    assertOAuthError(other, 400, 'invalid_grant', 'redirect_uri differs from the authorization request.');
    const fresh = await obtainCode(server);
    const missing = await postToken(server, {
      grant_type: 'authorization_code', code: fresh.code, code_verifier: fresh.verifier, client_id: 'demo-app',
    });
    assertOAuthError(missing, 400, 'invalid_request', 'redirect_uri is missing.');
  });

  it('refuses a code issued to another client', async () => {
    const { code, verifier } = await obtainCode(server, { clientId: 'demo-app' });
    const res = await redeemCode(server, code, verifier, {}, CONFIDENTIAL);
    assertOAuthError(res, 400, 'invalid_grant', 'The authorization code was issued to another client.');
  });

  it('refuses an expired code', async () => {
    const { code, verifier } = await obtainCode(server);
    const codeHash = createHash('sha256').update(code).digest('hex');
    await server.db.knex('smart_authorization_codes').where({ code_hash: codeHash }).update({ expires_at: new Date(Date.now() - 1000) });
    const res = await redeemCode(server, code, verifier);
    assertOAuthError(res, 400, 'invalid_grant', 'The authorization code has expired.');
  });

  it('refuses a missing code', async () => {
    const res = await redeemCode(server, '', 'x'.repeat(43));
    assertOAuthError(res, 400, 'invalid_request', 'Missing required parameter: code');
  });
});
