import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  authorizeUrl, codeFrom, consent, demoPatientId, follow, ISSUER, pkce, REDIRECT_URI, signIn, startSmartServer, type SmartServer,
} from '../support/smart-server.ts';
import {
  backendClientKey, basic, clientAssertion, clientCredentials, introspect, JWT_BEARER, obtainCode, postToken, refresh, SECRETS, tokensFor,
} from '../support/token-requests.ts';

/**
 * The authorization-server checks of the SMART App Launch 2.2 / ONC (g)(10) conformance list (PART B) that
 * no other test file proves. Names carry the check ids (DISC-04, AUTHZ-05, GRAN-01, OIDC-08, ASYM-*, INTRO-04).
 */
describe(`SMART conformance of the authorization server on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let asymmetricKey: CryptoKey;
  before(async () => {
    server = await startSmartServer();
    // A confidential asymmetric SMART app (client-confidential-asymmetric), as Inferno's 9.21 registers one.
    const pair = await generateKeyPair('ES384', { extractable: true });
    asymmetricKey = pair.privateKey;
    await server.plugin.clients.register({
      clientId: 'asym-app', name: 'Asymmetric app', authMethod: 'private_key_jwt', redirectUris: [REDIRECT_URI],
      jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'asym-es384', alg: 'ES384', use: 'sig' }] },
      scopes: ['launch/patient', 'openid', 'fhirUser', 'offline_access', 'patient/*.rs'], grantTypes: ['authorization_code', 'refresh_token'],
    });
  });
  after(() => server.close());

  it('DISC-02/03/04/07: smart-configuration has every (g)(10) capability of both launch lists, S256 only, and the asymmetric metadata', async () => {
    const doc = (await request(server.app).get('/smart/fhir/.well-known/smart-configuration').set('Accept', 'application/json').expect(200)).body;
    const ehr = ['launch-ehr', 'client-confidential-symmetric', 'client-confidential-asymmetric', 'sso-openid-connect', 'context-banner',
      'context-style', 'context-ehr-patient', 'context-ehr-encounter', 'permission-offline', 'permission-user', 'authorize-post',
      'permission-v2', 'permission-v1'];
    const standalone = ['launch-standalone', 'client-public', 'context-standalone-patient', 'permission-patient'];
    for (const capability of [...ehr, ...standalone]) assert.ok(doc.capabilities.includes(capability), capability);
    assert.ok(doc.capabilities.every((c: unknown) => typeof c === 'string'));
    assert.ok(doc.code_challenge_methods_supported.includes('S256') && !doc.code_challenge_methods_supported.includes('plain'));
    for (const grant of ['authorization_code', 'client_credentials']) assert.ok(doc.grant_types_supported.includes(grant), grant);
    assert.equal(typeof doc.issuer, 'string');
    assert.equal(typeof doc.jwks_uri, 'string');
    assert.ok(doc.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
    assert.ok(doc.token_endpoint_auth_signing_alg_values_supported.some((alg: string) => alg === 'RS384' || alg === 'ES384'));
  });

  it('AUTHZ-05/SCOPE-01/SCOPE-04: a standalone launch with SMART v1 scopes is granted in v1 form with the patient', async () => {
    const scope = 'launch/patient openid fhirUser offline_access patient/Patient.read patient/Condition.read';
    const tokens = await tokensFor(server, { scope, patientName: 'lopez' });
    assert.equal(tokens.scope, scope);
    assert.match(String(tokens.patient), /^\d+$/);
    assert.ok(tokens.id_token && tokens.refresh_token);
  });

  it('GRAN-01: granular category scopes are granted as requested, with no resource-level or wildcard scope', async () => {
    const granular = [
      'patient/Condition.rs?category=http://terminology.hl7.org/CodeSystem/condition-category|encounter-diagnosis',
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
      'patient/Observation.rs?category=http://hl7.org/fhir/us/core/CodeSystem/us-core-category|sdoh',
    ];
    const scope = `launch/patient openid fhirUser offline_access ${granular.join(' ')}`;
    const tokens = await tokensFor(server, { scope, patientName: 'lopez' });
    const granted = String(tokens.scope).split(' ');
    for (const one of granular) assert.ok(granted.includes(one), one);
    assert.ok(!granted.some((s) => /^(patient|user)\/(Condition|Observation|\*)\.[a-z*]+$/.test(s)), tokens.scope);
  });

  it('OIDC-05/06/08: the id_token is RS256 with kid, carries iss, sub, aud, exp, iat and fhirUser, and echoes the nonce', async () => {
    const { verifier, challenge } = pkce();
    const agent = request.agent(server.app);
    const nonce = 'n-0S6_WzA2Mj';
    const start = await agent.get(authorizeUrl({ scope: 'openid fhirUser user/Patient.rs', challenge, extra: { nonce } }));
    const back = await consent(agent, await signIn(agent, await follow(agent, start), 'provider'));
    const res = await postToken(server, {
      grant_type: 'authorization_code', code: codeFrom(back).code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: 'demo-app',
    });
    assert.equal(res.status, 200, res.text);
    const decoded = jwt.decode(res.body.id_token, { complete: true }) as jwt.Jwt;
    assert.equal(decoded.header.alg, 'RS256');
    assert.ok(decoded.header.kid);
    const claims = decoded.payload as jwt.JwtPayload;
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, 'demo-app');
    assert.equal(claims.sub, await server.userId('provider'));
    assert.equal(claims.nonce, nonce);
    assert.match(String(claims.fhirUser), /^Practitioner\/\d+$/);
    assert.ok((claims.exp as number) > Date.now() / 1000 && typeof claims.iat === 'number');
  });

  describe('ASYM: a confidential asymmetric app (private_key_jwt at the token endpoint)', () => {
    const assertion = () => clientAssertion({ key: asymmetricKey, alg: 'ES384', kid: 'asym-es384', clientId: 'asym-app' });
    const withAssertion = async (form: Record<string, string>) =>
      postToken(server, { ...form, client_assertion_type: JWT_BEARER, client_assertion: await assertion() });

    it('ASYM-02/03/04: exchanges the code, gets an id_token and the patient, refreshes with a new assertion, and a bad refresh token is 400', async () => {
      const scope = 'launch/patient openid fhirUser offline_access patient/Patient.rs';
      const { code, verifier } = await obtainCode(server, { clientId: 'asym-app', scope, patientName: 'lopez' });
      const res = await withAssertion({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.body.scope, scope);
      assert.equal((jwt.decode(res.body.id_token) as jwt.JwtPayload).aud, 'asym-app');
      assert.match(res.body.patient, /^\d+$/);
      const refreshed = await withAssertion({ grant_type: 'refresh_token', refresh_token: res.body.refresh_token });
      assert.equal(refreshed.status, 200, refreshed.text);
      assert.equal(refreshed.body.scope, scope);
      assert.equal(typeof refreshed.body.expires_in, 'number');
      const bad = await withAssertion({ grant_type: 'refresh_token', refresh_token: '0c7bb5d8-9f43-4b3a-9a4e-8ef4c5a5e1a2' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error, 'invalid_grant');
    });

    it('ASYM-05: refuses the exchange without an assertion, or with a secret instead', async () => {
      const { code, verifier } = await obtainCode(server, { clientId: 'asym-app', scope: 'openid fhirUser patient/Patient.rs' });
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
      assert.equal((await postToken(server, { ...form, client_id: 'asym-app' })).status, 401);
      assert.equal((await postToken(server, form, basic('asym-app', 'a-guessed-secret'))).status, 401);
    });
  });

  describe('INTRO-04: introspection with a bearer token (SMART 2.2 "Authorization to perform Token Introspection")', () => {
    const withBearer = (bearer: string, token: string, extra: Record<string, string> = {}) =>
      request(server.app).post('/smart/auth/introspect').type('form').set('Authorization', `Bearer ${bearer}`).send({ token, ...extra });

    it('accepts a Backend Services token and reports another client\'s token, launch context included', async () => {
      const backend = await clientCredentials(server, await clientAssertion({ key: await backendClientKey() }));
      assert.equal(backend.status, 200, backend.text);
      const app = await tokensFor(server, { scope: 'launch/patient openid fhirUser patient/Patient.rs', patientName: 'lopez' });
      const res = await withBearer(backend.body.access_token, app.access_token as string);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.body.active, true);
      assert.equal(res.body.client_id, 'demo-app');
      assert.equal(res.body.scope, app.scope);
      assert.equal(res.body.patient, app.patient);
      assert.equal(res.body.sub, (jwt.decode(app.id_token as string) as jwt.JwtPayload).sub);
      assert.deepEqual((await withBearer(backend.body.access_token, 'invalid_token_value')).body, { active: false });
    });

    it('accepts the token of a confidential SMART app', async () => {
      const confidential = await tokensFor(server, { clientId: 'demo-confidential', scope: 'user/Patient.rs' });
      const other = await tokensFor(server, { scope: 'user/Patient.rs' });
      const res = await withBearer(confidential.access_token as string, other.access_token as string);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.active, true);
    });

    it('refuses a public client\'s token, and an invalid or revoked one, with 401 invalid_token and a Bearer challenge', async () => {
      const publicToken = (await tokensFor(server, { scope: 'user/Patient.rs' })).access_token as string;
      const revoked = (await tokensFor(server, { clientId: 'demo-confidential', scope: 'user/Patient.rs' })).access_token as string;
      const auth = basic('demo-confidential', SECRETS['demo-confidential']);
      await request(server.app).post('/smart/auth/revoke').type('form').set('Authorization', auth).send({ token: revoked }).expect(200);
      const cases: [string, string][] = [
        [publicToken, 'The bearer token was issued to a public client, which may not introspect.'],
        ['not-a-token', 'The bearer token is not valid.'],
        [revoked, 'The bearer token is not valid.'],
      ];
      for (const [bearer, description] of cases) {
        const res = await withBearer(bearer, publicToken);
        assert.equal(res.status, 401, res.text);
        assert.deepEqual(res.body, { error: 'invalid_token', error_description: description });
        assert.equal(res.headers['www-authenticate'], `Bearer realm="smart-ehr-plugin", error="invalid_token", error_description="${description}"`);
        assert.equal(res.headers['cache-control'], 'no-store');
      }
      // Client credentials still work as before.
      assert.equal((await introspect(server, publicToken)).body.active, true);
    });

    it('refuses a bearer token together with client credentials in the body', async () => {
      const confidential = (await tokensFor(server, { clientId: 'demo-confidential', scope: 'user/Patient.rs' })).access_token as string;
      const res = await withBearer(confidential, confidential, { client_id: 'demo-confidential', client_secret: SECRETS['demo-confidential'] });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'invalid_request', error_description: 'Use exactly one client authentication method.' });
    });
  });

  it('EHR-02/04/05/07: an EHR launch by POST with patient scopes yields patient, encounter, need_patient_banner and a fetchable style', async () => {
    const providerId = await server.userId('provider');
    const leoId = await demoPatientId(server, 'Leo', 'Lopez');
    const encounter = String((await server.db.knex('ehr_encounters').where({ patient_id: Number(leoId) }).first('id')).id);
    const { launch } = await server.plugin.createLaunch({ userId: providerId, patientId: leoId, encounterId: encounter, clientId: 'demo-confidential' });
    server.hostUser.id = providerId;
    try {
      const { verifier, challenge } = pkce();
      const agent = request.agent(server.app);
      const scope = 'launch openid fhirUser offline_access patient/Patient.rs';
      const form = new URL(authorizeUrl({ clientId: 'demo-confidential', scope, launch, challenge }), ISSUER).searchParams.toString();
      const start = await agent.post('/smart/auth/authorize').type('form').send(form);
      const { code } = codeFrom(await consent(agent, await follow(agent, start)));
      const auth = basic('demo-confidential', SECRETS['demo-confidential']);
      const res = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, auth);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.scope, scope);
      assert.match(res.body.scope, /(^| )patient\/Patient\.rs( |$)/);
      assert.deepEqual([res.body.patient, res.body.encounter, res.body.need_patient_banner], [leoId, encounter, false]);
      const style = await request(server.app).get(new URL(res.body.smart_style_url).pathname);
      assert.equal(style.status, 200);
      assert.match(String(style.headers['content-type']), /^application\/json/);
      const introspected = await introspect(server, res.body.access_token);
      assert.deepEqual([introspected.body.patient, introspected.body.encounter], [leoId, encounter]);
      assert.equal((await refresh(server, res.body.refresh_token, {}, auth)).body.encounter, encounter);
    } finally {
      server.hostUser.id = undefined;
    }
  });
});
