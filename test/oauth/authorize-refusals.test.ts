import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { clientRedirect, FHIR_BASE, pkce, REDIRECT_URI, startSmartServer, type SmartServer } from '../support/smart-server.ts';

/** A valid standalone request; `changes` replace a parameter, remove it (null) or repeat it (array). */
function authorizeQuery(changes: Record<string, string | string[] | null> = {}): string {
  const params: Record<string, string | string[] | null> = {
    response_type: 'code', client_id: 'demo-app', redirect_uri: REDIRECT_URI, scope: 'launch/patient openid fhirUser patient/Patient.rs',
    state: 'state-abc', aud: FHIR_BASE, code_challenge: pkce().challenge, code_challenge_method: 'S256', ...changes,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of value === null ? [] : ([] as string[]).concat(value)) query.append(name, one);
  }
  return query.toString();
}

/** The refusal a browser sees when nothing may be redirected (RFC 6749 §4.1.2.1): a 400 page, no Location. */
function assertRefusedPage(response: request.Response, message: string): void {
  assert.equal(response.status, 400);
  assert.equal(response.headers.location, undefined);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(response.text, /<h1>The app&#39;s sign-in request cannot be used<\/h1>/);
  assert.ok(response.text.includes(`<p class="alert" role="alert">${message}</p>`), response.text);
  assert.equal(response.headers['x-frame-options'], 'DENY');
  assert.equal(response.headers['cache-control'], 'no-store');
}

describe(`authorization request refusals on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  const get = (query: string) => request(server.app).get(`/smart/auth/authorize?${query}`);
  const post = (query: string) => request(server.app).post('/smart/auth/authorize').type('form').send(query);
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  describe('never redirected: the client or its redirect URI is not established', () => {
    const cases: [string, Record<string, string | string[] | null>, string][] = [
      ['an unknown client_id', { client_id: 'no-such-app' }, 'The application is not registered with this EHR for sign-in.'],
      ['a missing client_id', { client_id: null }, 'The request does not name a client (client_id).'],
      ['a repeated client_id', { client_id: ['demo-app', 'demo-app'] }, 'The request does not name a client (client_id).'],
      ['a client not registered for authorization_code', { client_id: 'svc-client' }, 'The application is not registered with this EHR for sign-in.'],
      ['a backend-services client', { client_id: 'backend-client' }, 'The application is not registered with this EHR for sign-in.'],
      ['a missing redirect_uri', { redirect_uri: null }, 'The request does not say where to return (redirect_uri).'],
      ['a repeated redirect_uri', { redirect_uri: [REDIRECT_URI, REDIRECT_URI] }, 'The request does not say where to return (redirect_uri).'],
      ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/callback' }, 'The return address (redirect_uri) is not one the application registered.'],
      ['a prefix of a registered redirect_uri', { redirect_uri: 'http://127.0.0.1:8765/call' }, 'The return address (redirect_uri) is not one the application registered.'],
      ['a registered redirect_uri with more path', { redirect_uri: `${REDIRECT_URI}/more` }, 'The return address (redirect_uri) is not one the application registered.'],
      ['a registered redirect_uri with a query added', { redirect_uri: `${REDIRECT_URI}?next=https://evil.example` }, 'The return address (redirect_uri) is not one the application registered.'],
      ['a trailing-slash variant of a registered redirect_uri', { redirect_uri: `${REDIRECT_URI}/` }, 'The return address (redirect_uri) is not one the application registered.'],
      ['a registered redirect_uri without its trailing slash', { redirect_uri: 'http://localhost:3000/apps/demo' }, 'The return address (redirect_uri) is not one the application registered.'],
      ['a registered redirect_uri in another case', { redirect_uri: 'HTTP://127.0.0.1:8765/CALLBACK' }, 'The return address (redirect_uri) is not one the application registered.'],
    ];
    for (const [what, changes, message] of cases) {
      it(`GET with ${what} shows an error page`, async () => {
        assertRefusedPage(await get(authorizeQuery(changes)), message);
      });
      it(`POST with ${what} shows an error page`, async () => {
        assertRefusedPage(await post(authorizeQuery(changes)), message);
      });
    }

    it('is not redirected even when other parameters are wrong too', async () => {
      const response = await get(authorizeQuery({ client_id: 'no-such-app', aud: 'https://evil.example/fhir', response_type: 'token' }));
      assertRefusedPage(response, 'The application is not registered with this EHR for sign-in.');
      assert.doesNotMatch(response.text, /127\.0\.0\.1:8765/);
    });
  });

  describe('redirected to the client with error, error_description and state (RFC 6749 §4.1.2.1)', () => {
    const cases: [string, Record<string, string | string[] | null>, string, string][] = [
      ['no code_challenge_method', { code_challenge_method: null }, 'invalid_request', 'code_challenge_method must be S256.'],
      ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request', 'code_challenge_method must be S256.'],
      ['no code_challenge', { code_challenge: null }, 'invalid_request', 'code_challenge is missing: PKCE is required.'],
      ['a code_challenge that is no SHA-256 digest', { code_challenge: 'too-short' }, 'invalid_request', 'code_challenge is not a base64url SHA-256 digest.'],
      ['an aud of another server', { aud: 'https://inferno.healthit.gov/invalid_aud' }, 'invalid_request', 'aud is not the FHIR base URL of this server.'],
      ['an aud naming the issuer instead of the FHIR base', { aud: 'http://localhost:3000/smart/auth' }, 'invalid_request', 'aud is not the FHIR base URL of this server.'],
      ['no aud', { aud: null }, 'invalid_request', 'aud is missing: name the FHIR server the token is for.'],
      ['response_type=token', { response_type: 'token' }, 'unsupported_response_type', 'Only response_type=code is supported.'],
      ['response_type=code token', { response_type: 'code token' }, 'unsupported_response_type', 'Only response_type=code is supported.'],
      ['no response_type', { response_type: null }, 'invalid_request', 'response_type is missing.'],
      ['only scopes the client may not request', { scope: 'openid system/*.rs user/Patient.cud' }, 'invalid_scope', 'None of the requested scopes is a FHIR resource scope this application may request.'],
      ['no scope', { scope: null }, 'invalid_scope', 'None of the requested scopes is a FHIR resource scope this application may request.'],
      ['the launch scope without a launch parameter', { scope: 'launch openid patient/Patient.rs' }, 'invalid_request', 'The launch scope needs the launch parameter from the EHR.'],
      ['a launch parameter without the launch scope', { launch: 'abc' }, 'invalid_scope', 'An EHR launch needs the launch scope.'],
      ['a repeated scope', { scope: ['patient/Patient.rs', 'patient/Condition.rs'] }, 'invalid_request', 'The parameter scope is repeated.'],
      ['a repeated aud', { aud: [FHIR_BASE, 'https://evil.example/fhir'] }, 'invalid_request', 'The parameter aud is repeated.'],
      ['a repeated code_challenge', { code_challenge: [pkce().challenge, pkce().challenge] }, 'invalid_request', 'The parameter code_challenge is repeated.'],
    ];
    for (const [what, changes, error, description] of cases) {
      for (const method of ['GET', 'POST'] as const) {
        it(`${method} with ${what}: ${error}`, async () => {
          const query = authorizeQuery(changes);
          const { target, params } = clientRedirect(await (method === 'GET' ? get(query) : post(query)));
          assert.equal(target, REDIRECT_URI);
          assert.deepEqual(params, { error, error_description: description, state: 'state-abc' });
        });
      }
    }

    it('without state, the error is redirected without state', async () => {
      const { target, params } = clientRedirect(await get(authorizeQuery({ state: null })));
      assert.equal(target, REDIRECT_URI);
      assert.deepEqual(params, { error: 'invalid_request', error_description: 'state is missing.' });
    });

    it('with a repeated state, no state is echoed: neither value is known to be the app\'s', async () => {
      const { params } = clientRedirect(await get(authorizeQuery({ state: ['one', 'two'] })));
      assert.deepEqual(params, { error: 'invalid_request', error_description: 'The parameter state is repeated.' });
    });

    it('echoes state byte for byte', async () => {
      const state = 'a b+c/d?e=f&g%h é 🙂';
      const { params } = clientRedirect(await get(authorizeQuery({ state, aud: null })));
      assert.equal(params.state, state);
      assert.equal(params.error, 'invalid_request');
    });

    it('goes to the second registered redirect URI when that is the one named', async () => {
      const { target, params } = clientRedirect(await get(authorizeQuery({ redirect_uri: 'http://localhost:3000/apps/demo/', aud: null })));
      assert.equal(target, 'http://localhost:3000/apps/demo/');
      assert.equal(params.error, 'invalid_request');
    });

    it('carries no code and no Cache-Control other than no-store', async () => {
      const response = await get(authorizeQuery({ code_challenge_method: 'plain' }));
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(new URL(String(response.headers.location)).searchParams.has('code'), false);
    });
  });

  describe('accepted requests', () => {
    it('accepts aud with a trailing slash', async () => {
      const response = await get(authorizeQuery({ aud: `${FHIR_BASE}/` }));
      assert.equal(response.status, 303);
      assert.match(String(response.headers.location), /^\/smart\/auth\/sign-in\?transaction_id=[A-Za-z0-9_-]{22}$/);
    });

    it('drops scopes the client may not request and keeps the rest', async () => {
      const response = await get(authorizeQuery({ scope: 'launch/patient patient/Patient.rs system/*.rs' }));
      assert.equal(response.status, 303);
    });
  });
});
