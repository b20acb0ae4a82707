import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startDevIdp, type DevIdp } from '../../samples/dev-idp/server.ts';
import { authorizeUrl, follow, hiddenFields, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { signInAtDevIdp } from '../support/dev-idp-client.ts';

interface Logged { message: string; fields?: Record<string, unknown> }

const NOT_VERIFIED = 'The sign-in could not be verified. Please try again.';
const alert = (message: string) => new RegExp(`<p class="alert" role="alert" id="sign-in-error">${message.replace(/[.()]/g, '\\$&')}</p>`);

/** Every way an Azure AD sign-in must fail: a clear page with an exact status, and a security event. */
describe(`Azure AD sign-in refusals on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let devIdp: DevIdp;
  let server: SmartServer;
  const logged: Logged[] = [];
  const noop = () => undefined;
  const logger = { info: noop, error: noop, warn: (message: string, fields?: Record<string, unknown>) => logged.push({ message, fields }) };
  before(async () => {
    devIdp = await startDevIdp({ testKnobs: true });
    // Only contoso is configured here: fabrikam is a tenant the EHR does not know.
    server = await startSmartServer({ azure: devIdp.azureOptions(['contoso']), logger });
  });
  after(async () => {
    await server?.close();
    await devIdp?.close();
  });

  async function signInPage(agent = request.agent(server.app), scope = 'openid fhirUser user/Patient.rs') {
    const page = await follow(agent, await agent.get(authorizeUrl({ scope })));
    assert.equal(page.status, 200);
    return { agent, tid: hiddenFields(page.text).transaction_id as string, page };
  }
  const lastRefusal = () => logged.filter((entry) => entry.message === 'sign-in refused').at(-1)?.fields;

  it('one tenant: a plain "Sign in with your organization" link; an email of another organization is refused', async () => {
    const { agent, tid, page } = await signInPage();
    assert.match(page.text, new RegExp(`<a class="button secondary" href="/smart/auth/azure/b2b/start\\?transaction_id=${tid}">Sign in with your organization</a>`));
    const refused = await agent.get(`/smart/auth/azure/b2b/start?transaction_id=${tid}&email=bob%40fabrikam.example`);
    assert.equal(refused.status, 403);
    assert.match(refused.text, alert('Your organization is not set up to sign in to this EHR. Sign in with your EHR username and password, or ask your EHR administrator.'));
    assert.match(refused.text, /<h1>Sign in<\/h1>/);
    assert.equal(lastRefusal()?.reason, 'tenant-not-configured');
    assert.doesNotMatch(JSON.stringify(lastRefusal()), /fabrikam|bob/, 'no email in the log');
  });

  it('refuses a token whose tid is a tenant that is not configured', async () => {
    const { agent, tid } = await signInPage();
    const callback = await signInAtDevIdp(devIdp, await agent.get(`/smart/auth/azure/b2b/start?transaction_id=${tid}`), 'alice@contoso.example', 'other-tenant');
    const refused = await agent.get(callback);
    assert.equal(refused.status, 403);
    assert.match(refused.text, alert('Your organization is not set up to sign in to this EHR. Sign in with your EHR username and password, or ask your EHR administrator.'));
    assert.equal(lastRefusal()?.tenantId, '0e4e0000-0000-4000-8000-0000000e4e00');
  });

  it('refuses mallory@contoso.example, whom no EHR user is linked to', async () => {
    const { agent, tid } = await signInPage();
    const callback = await signInAtDevIdp(devIdp, await agent.get(`/smart/auth/azure/b2b/start?transaction_id=${tid}`), 'mallory@contoso.example');
    const refused = await agent.get(callback);
    assert.equal(refused.status, 403);
    assert.match(refused.text, alert('Your organization account is not linked to an EHR user. Ask your EHR administrator to link it.'));
    const { at, ...event } = lastRefusal() ?? {};
    assert.ok(at);
    assert.deepEqual(event, {
      category: 'security', event: 'sign-in-refused', reason: 'no-ehr-user', clientId: 'demo-app', method: 'azure-b2b',
      tenantId: '6f1c2a9e-4b7d-4e3a-9c51-2d8e0f7a1b34', objectId: '3a110000-0000-4000-8000-0000000a1109',
    });
  });

  for (const [tamper, because] of [['issuer', /issuer/], ['audience', /audience/], ['nonce', /nonce/], ['expired', /expired/], ['signature', /signature/]] as const) {
    it(`refuses an id_token with a wrong ${tamper}`, async () => {
      const { agent, tid } = await signInPage();
      const callback = await signInAtDevIdp(devIdp, await agent.get(`/smart/auth/azure/b2b/start?transaction_id=${tid}`), 'alice@contoso.example', tamper);
      const refused = await agent.get(callback);
      assert.equal(refused.status, 400);
      assert.match(refused.text, alert(NOT_VERIFIED));
      assert.equal(lastRefusal()?.reason, 'not-verified');
      assert.match(String(lastRefusal()?.detail), because);
      // The session holds no user: the sign-in page is still where the flow waits.
      const again = await agent.get(`/smart/auth/sign-in?transaction_id=${tid}`);
      assert.equal(again.status, 200);
      assert.match(again.text, /<h1>Sign in<\/h1>/);
    });
  }

  it('refuses a callback whose state this browser never issued, and a replayed callback', async () => {
    const { agent, tid } = await signInPage();
    const callback = await signInAtDevIdp(devIdp, await agent.get(`/smart/auth/azure/b2b/start?transaction_id=${tid}`), 'alice@contoso.example');
    const forged = callback.replace(/state=[^&]+/, 'state=forged-state-000000000000000000');
    for (const path of [forged]) {
      const refused = await agent.get(path);
      assert.equal(refused.status, 400);
      assert.match(refused.text, /<h1>This sign-in has expired<\/h1>\n<p class="alert" role="alert">This sign-in was not started in this browser, has expired or was already completed. Go back to the app and start again.<\/p>/);
      assert.equal(lastRefusal()?.reason, 'unknown-state');
    }
    // The real callback still works once, and only once.
    const signedIn = await agent.get(callback);
    assert.equal(signedIn.status, 303);
    const replayed = await agent.get(callback);
    assert.equal(replayed.status, 400);
    // Another browser cannot use it either.
    assert.equal((await request(server.app).get(callback)).status, 400);
  });

  it('B2C: refuses nobody@example.com, whose email is linked to no chart', async () => {
    const { agent, tid } = await signInPage(undefined, 'openid fhirUser launch/patient patient/Patient.rs');
    const toAzure = await agent.get(`/smart/auth/azure/b2c/start?transaction_id=${tid}&p=B2C_1A_signin`);
    assert.match(String(toAzure.headers.location), /\/b2c_1a_signin\/oauth2\/v2.0\/authorize\?/);
    const refused = await agent.get(await signInAtDevIdp(devIdp, toAzure, 'nobody@example.com'));
    assert.equal(refused.status, 403);
    assert.match(refused.text, alert('No patient record is linked to this email address. Ask the practice to give you access.'));
    assert.equal(lastRefusal()?.reason, 'no-patient-links');
    assert.equal(lastRefusal()?.subject, 'c0ffee00-0000-4000-8000-00000000a0ff');
  });

  it('B2C: refuses a policy that is not configured', async () => {
    const { agent, tid } = await signInPage(undefined, 'openid fhirUser launch/patient patient/Patient.rs');
    const refused = await agent.get(`/smart/auth/azure/b2c/start?transaction_id=${tid}&p=B2C_1_other`);
    assert.equal(refused.status, 400);
    assert.match(refused.text, alert('This patient sign-in is not offered here.'));
  });
});

describe(`Azure AD metadata unreachable on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  const UNAVAILABLE = 'The sign-in service cannot be reached right now. Try again later, or sign in with your EHR username and password.';
  let silent: Server;
  let closedPort: number;
  const sockets = new Set<import('node:net').Socket>();
  before(async () => {
    // A server that accepts connections and never answers (a stalled identity provider), and a port nobody listens on.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  after(() => new Promise<void>((resolve) => {
    silent.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  }));

  for (const [what, port] of [['refuses connections', () => closedPort], ['never answers', () => (silent.address() as AddressInfo).port]] as const) {
    it(`shows a clear 502 page when the identity provider ${what}`, async () => {
      const tenant = {
        name: 'Contoso Health', tenantId: '6f1c2a9e-4b7d-4e3a-9c51-2d8e0f7a1b34', clientId: 'c0de0000-0000-4000-8000-0000000c0de1', clientSecret: 'x',
        metadataUrl: `https://127.0.0.1:${port()}/6f1c2a9e-4b7d-4e3a-9c51-2d8e0f7a1b34/v2.0/.well-known/openid-configuration`,
      };
      const warnings: string[] = [];
      const server = await startSmartServer({
        azure: { b2b: { tenants: [tenant] }, requestTimeoutMs: 500 },
        logger: { info: () => undefined, error: () => undefined, warn: (message) => warnings.push(message) },
      });
      try {
        const agent = request.agent(server.app);
        const page = await follow(agent, await agent.get(authorizeUrl({ scope: 'openid fhirUser user/Patient.rs' })));
        const started = Date.now();
        const refused = await agent.get(`/smart/auth/azure/b2b/start?transaction_id=${hiddenFields(page.text).transaction_id}`);
        assert.ok(Date.now() - started < 5000, 'no hang');
        assert.equal(refused.status, 502);
        assert.match(refused.text, alert(UNAVAILABLE));
        assert.deepEqual(warnings, ['Azure AD unavailable', 'sign-in refused']);
      } finally {
        await server.close();
      }
    });
  }
});
