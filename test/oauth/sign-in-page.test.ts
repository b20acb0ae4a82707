import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { authorizeUrl, follow, hiddenFields, signIn, startSmartServer, type Agent, type SmartServer } from '../support/smart-server.ts';

const SCOPE = 'launch/patient openid fhirUser patient/Patient.rs';
const BAD_CREDENTIALS = 'The username or password is not correct.';
const LOCKED = 'Too many failed sign-ins. This account or computer is locked for a while; try again later or ask your EHR administrator.';

/** The sign-in page of a new authorization request in this browser. */
async function signInPage(agent: Agent): Promise<request.Response> {
  const page = await follow(agent, await agent.get(authorizeUrl({ scope: SCOPE })));
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Sign in<\/h1>/);
  return page;
}

function postSignIn(agent: Agent, page: request.Response, fields: Record<string, string>) {
  return agent.post('/smart/auth/sign-in').type('form').send({ ...hiddenFields(page.text), ...fields });
}

function assertSignInRefused(response: request.Response, status: number, message: string, username: string): void {
  assert.equal(response.status, status);
  assert.match(response.text, /<h1>Sign in<\/h1>/);
  assert.ok(response.text.includes(`<p class="alert" role="alert" id="sign-in-error">${message}</p>`), response.text);
  assert.ok(response.text.includes(`name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${username}"`));
  assert.doesNotMatch(response.text, /demo-password|wrong-password/, 'the password is never echoed');
  assert.equal(response.headers['x-frame-options'], 'DENY');
  assert.equal(response.headers['cache-control'], 'no-store');
}

function sessionCookie(response: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return cookies.find((cookie) => cookie.startsWith('smart_sid='));
}

describe(`sign-in page on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('re-renders with 401 and a message on a wrong password, then accepts the right one', async () => {
    const agent = request.agent(server.app);
    const page = await signInPage(agent);
    const refused = await postSignIn(agent, page, { username: 'provider', password: 'wrong-password' });
    assertSignInRefused(refused, 401, BAD_CREDENTIALS, 'provider');
    const picker = await follow(agent, await postSignIn(agent, refused, { username: 'provider', password: 'demo-password' }));
    assert.equal(picker.status, 200);
    assert.match(picker.text, /<h1>Choose a patient<\/h1>/);
  });

  it('gives an unknown username the same answer as a wrong password', async () => {
    const agent = request.agent(server.app);
    assertSignInRefused(await postSignIn(agent, await signInPage(agent), { username: 'nobody', password: 'demo-password' }), 401, BAD_CREDENTIALS, 'nobody');
  });

  it('refuses an empty password as bad credentials', async () => {
    const agent = request.agent(server.app);
    assertSignInRefused(await postSignIn(agent, await signInPage(agent), { username: 'provider', password: '' }), 401, BAD_CREDENTIALS, 'provider');
  });

  it('refuses an inactive user with the right password', async () => {
    const agent = request.agent(server.app);
    const refused = await postSignIn(agent, await signInPage(agent), { username: 'retired', password: 'demo-password' });
    assertSignInRefused(refused, 401, 'This account is inactive. Ask your EHR administrator.', 'retired');
  });

  it('locks the account after 5 failures; then even the right password is refused', async () => {
    const agent = request.agent(server.app);
    let page = await signInPage(agent);
    for (let failure = 1; failure <= 4; failure += 1) {
      page = await postSignIn(agent, page, { username: 'admin', password: 'wrong-password' });
      assertSignInRefused(page, 401, BAD_CREDENTIALS, 'admin');
    }
    page = await postSignIn(agent, page, { username: 'admin', password: 'wrong-password' });
    assertSignInRefused(page, 401, LOCKED, 'admin');
    assertSignInRefused(await postSignIn(agent, page, { username: 'admin', password: 'demo-password' }), 401, LOCKED, 'admin');
    // The lock is the account's, whatever the letter case, and holds in a fresh browser too.
    const other = request.agent(server.app);
    assertSignInRefused(await postSignIn(other, await signInPage(other), { username: 'ADMIN', password: 'demo-password' }), 401, LOCKED, 'ADMIN');
  });

  it('refuses a missing or wrong CSRF token with 403 and does not sign in', async () => {
    const agent = request.agent(server.app);
    const page = await signInPage(agent);
    const fields = hiddenFields(page.text);
    const missing = await agent.post('/smart/auth/sign-in').type('form')
      .send({ transaction_id: fields.transaction_id, username: 'provider', password: 'demo-password' });
    assertSignInRefused(missing, 403, 'The form expired. Please sign in again.', 'provider');
    const wrong = await postSignIn(agent, page, { csrf_token: 'x'.repeat(43), username: 'provider', password: 'demo-password' });
    assertSignInRefused(wrong, 403, 'The form expired. Please sign in again.', 'provider');
    // Still not signed in: the sign-in page is shown again.
    const again = await agent.get(`/smart/auth/sign-in?transaction_id=${fields.transaction_id}`);
    assert.equal(again.status, 200);
    assert.match(again.text, /<h1>Sign in<\/h1>/);
  });

  it('refuses a transaction this browser did not start with the "expired" page', async () => {
    const owner = request.agent(server.app);
    const page = await signInPage(owner);
    const fields = hiddenFields(page.text);
    const stranger = request.agent(server.app);
    await stranger.get(authorizeUrl({ scope: SCOPE }));
    for (const response of [
      await stranger.get(`/smart/auth/sign-in?transaction_id=${fields.transaction_id}`),
      await stranger.post('/smart/auth/sign-in').type('form').send({ ...fields, username: 'provider', password: 'demo-password' }),
      await stranger.get(`/smart/auth/consent?transaction_id=${fields.transaction_id}`),
      await stranger.get(`/smart/auth/pick-patient?transaction_id=${fields.transaction_id}`),
    ]) {
      assert.equal(response.status, 400);
      assert.equal(response.headers.location, undefined);
      assert.match(response.text, /<h1>This sign-in has expired<\/h1>/);
      assert.equal(response.headers['x-frame-options'], 'DENY');
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.match(response.text, /This sign-in request has expired or was already completed\. Go back to the app and start again\./);
    }
    // The owner's flow is unharmed.
    assert.equal((await signIn(owner, page, 'provider')).status, 200);
  });

  it('shows the "expired" page for a missing or malformed transaction id', async () => {
    const agent = request.agent(server.app);
    await signInPage(agent);
    for (const path of ['/smart/auth/sign-in', '/smart/auth/sign-in?transaction_id=nope', '/smart/auth/consent?transaction_id=']) {
      const response = await agent.get(path);
      assert.equal(response.status, 400, path);
      assert.match(response.text, /<h1>This sign-in has expired<\/h1>/);
    }
  });

  it('keeps the session in an HttpOnly, SameSite=Lax cookie on the auth path, renewed at sign-in', async () => {
    const agent = request.agent(server.app);
    const start = await agent.get(authorizeUrl({ scope: SCOPE }));
    const before = sessionCookie(start);
    assert.ok(before, 'the authorization request starts a session');
    const attributes = before.split(';').map((part) => part.trim());
    assert.ok(attributes.includes('Path=/smart/auth'), before);
    assert.ok(attributes.includes('HttpOnly'), before);
    assert.ok(attributes.includes('SameSite=Lax'), before);
    assert.ok(attributes.includes('Max-Age=900'), before);
    const page = await follow(agent, start);
    const signedIn = await postSignIn(agent, page, { username: 'provider', password: 'demo-password' });
    assert.equal(signedIn.status, 303);
    const after = sessionCookie(signedIn);
    assert.ok(after, 'sign-in sets a new cookie');
    assert.notEqual(after.split(';')[0], before.split(';')[0], 'the session id changes at sign-in (session fixation)');
    assert.ok(after.includes('HttpOnly') && after.includes('SameSite=Lax') && after.includes('Path=/smart/auth'));
    // The pre-sign-in id is dead: whoever planted or saw it holds nothing.
    const fixated = await request(server.app).get(`/smart/auth/pick-patient?transaction_id=${hiddenFields(page.text).transaction_id}`)
      .set('Cookie', before.split(';')[0] as string);
    assert.equal(fixated.status, 400);
    assert.match(fixated.text, /<h1>This sign-in has expired<\/h1>/);
  });

  it('takes no sign-in once the flow has moved on, so nobody else can take over its context', async () => {
    const agent = request.agent(server.app);
    const page = await signInPage(agent);
    const picker = await follow(agent, await postSignIn(agent, page, { username: 'provider', password: 'demo-password' }));
    assert.match(picker.text, /<h1>Choose a patient<\/h1>/);
    const tid = hiddenFields(page.text).transaction_id;
    const again = await postSignIn(agent, picker, { username: 'sensitive-provider', password: 'demo-password' });
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, `/smart/auth/pick-patient?transaction_id=${tid}`);
    assert.equal((await agent.get(`/smart/auth/sign-in?transaction_id=${tid}`)).headers.location, `/smart/auth/pick-patient?transaction_id=${tid}`);
    // Still the provider: the sensitive chart is not offered.
    const search = await agent.get(`/smart/auth/pick-patient?transaction_id=${tid}&name=rivera`);
    assert.match(search.text, /No patients match\./);
  });

  it('keeps the newest 8 pending authorizations of a browser', async () => {
    const agent = request.agent(server.app);
    const pages: request.Response[] = [];
    for (let i = 0; i < 9; i += 1) pages.push(await signInPage(agent));
    const [oldest, ...newer] = pages as [request.Response, ...request.Response[]];
    const gone = await agent.get(`/smart/auth/sign-in?transaction_id=${hiddenFields(oldest.text).transaction_id}`);
    assert.equal(gone.status, 400);
    for (const page of newer) {
      assert.equal((await agent.get(`/smart/auth/sign-in?transaction_id=${hiddenFields(page.text).transaction_id}`)).status, 200);
    }
  });

  it('does not ask a signed-in user again for the next authorization', async () => {
    const agent = request.agent(server.app);
    await signIn(agent, await signInPage(agent), 'sensitive-provider');
    const next = await agent.get(authorizeUrl({ scope: SCOPE }));
    assert.equal(next.status, 303);
    assert.match(String(next.headers.location), /^\/smart\/auth\/pick-patient\?transaction_id=/);
  });
});
