import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express, { type Request, type Response } from 'express';
import smart from 'fhirclient/lib/entry/node.js';
import { demoAppScopes } from '../../samples/host-ehr/demo-clients.ts';
import { closeServer, startLiveServer, type LiveServer } from '../support/live-server.ts';
import { choiceValue, CookieBrowser, formIn, headingOf, type Page } from './cookie-browser.ts';

/**
 * The real `fhirclient` library, through its Node entry, used as a server-side SMART app would use it:
 * a tiny Express app of its own on 127.0.0.1 (another port than the EHR) with an in-memory session
 * storage, registered as a public client with its own redirect URI. A cookie-keeping HTTP client plays
 * the user's browser through the plugin's real sign-in, patient picker and consent pages.
 */

/** fhirclient's Client, as `ready()` resolves it. */
type Client = Awaited<ReturnType<ReturnType<typeof smart>['ready']>>;

const CLIENT_ID = 'e2e-fhirclient-node';
const STANDALONE_SCOPE = 'launch/patient openid fhirUser patient/Patient.rs';
const EHR_LAUNCH_SCOPE = 'launch openid fhirUser patient/Patient.rs';

/** fhirclient's storage contract (`fhirclient.Storage`), one instance per app session. */
interface AppStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  unset(key: string): Promise<boolean>;
}

interface SmartAppServer {
  origin: string;
  redirectUri: string;
  /** The clients `ready()` returned on the redirect URI, in order. */
  readyClients: Client[];
  close(): Promise<void>;
}

/** The SMART app's own server: /standalone and /launch start fhirclient's authorize(), /callback runs ready(). */
async function startSmartApp(fhirBaseUrl: string): Promise<SmartAppServer> {
  const sessions = new Map<string, Map<string, unknown>>();
  const readyClients: Client[] = [];
  const app = express();

  /** The session's storage, keyed by the app's own cookie (created on first visit). */
  function storageOf(req: Request, res: Response): AppStorage {
    const sid = /(?:^|;\s*)app\.sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
    let id = sid !== undefined && sessions.has(sid) ? sid : undefined;
    if (id === undefined) {
      id = randomBytes(16).toString('base64url');
      sessions.set(id, new Map());
      res.setHeader('set-cookie', `app.sid=${id}; Path=/; HttpOnly; SameSite=Lax`);
    }
    const data = sessions.get(id) as Map<string, unknown>;
    return {
      get: async (key) => data.get(key),
      set: async (key, value) => {
        data.set(key, value);
        return value;
      },
      unset: async (key) => data.delete(key),
    };
  }

  let redirectUri = '';
  app.get('/standalone', async (req, res) => {
    await smart(req, res, storageOf(req, res)).authorize({
      iss: fhirBaseUrl, clientId: CLIENT_ID, scope: STANDALONE_SCOPE, redirectUri, pkceMode: 'required',
    });
  });
  // EHR launch: the EHR opens this with ?iss=…&launch=…, which fhirclient reads from the request's URL.
  app.get('/launch', async (req, res) => {
    await smart(req, res, storageOf(req, res)).authorize({
      clientId: CLIENT_ID, scope: EHR_LAUNCH_SCOPE, redirectUri, pkceMode: 'required',
    });
  });
  app.get('/callback', async (req, res) => {
    try {
      const client = await smart(req, res, storageOf(req, res)).ready();
      readyClients.push(client);
      res.type('text/plain').send('ready');
    } catch (error) {
      res.status(500).type('text/plain').send(`ready() failed: ${(error as Error).message}`);
    }
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redirectUri = `${origin}/callback`;
  return { origin, redirectUri, readyClients, close: () => closeServer(server) };
}

/** Signs in on the plugin's sign-in page. */
async function signInOnPlugin(browser: CookieBrowser, page: Page, username: string): Promise<Page> {
  assert.equal(page.status, 200, `the sign-in page (got ${page.status} at ${page.url.href})`);
  assert.equal(headingOf(page), 'Sign in');
  assert.equal(page.url.pathname, '/smart/auth/sign-in');
  return browser.submit(page, formIn(page, 'Sign in'), { username, password: 'demo-password' });
}

/** Approves every scope that is checked on the consent page and returns the page the app answered with. */
async function allowAll(browser: CookieBrowser, page: Page): Promise<Page> {
  assert.equal(page.status, 200, `the consent page (got ${page.status} at ${page.url.href}): ${page.text.slice(0, 300)}`);
  assert.equal(headingOf(page), 'Allow access?');
  return browser.submit(page, formIn(page, 'Allow'), { decision: 'allow' });
}

function scopeSet(scope: unknown): string[] {
  assert.equal(typeof scope, 'string', 'the token response has a scope');
  return String(scope).split(' ').filter(Boolean).sort();
}

describe(`fhirclient (Node entry) against the live sample EHR on ${process.env.TEST_DB ?? 'sqlite'}`, { timeout: 60_000 }, () => {
  let ehr: LiveServer;
  let app: SmartAppServer;
  let leoId: string;
  let providerId: string;
  let providerFhirUser: string;

  before(async () => {
    ehr = await startLiveServer();
    app = await startSmartApp(ehr.plugin.urls.fhirBaseUrl);
    await ehr.plugin.clients.register({
      clientId: CLIENT_ID, name: 'fhirclient Node test app', authMethod: 'none', redirectUris: [app.redirectUri],
      scopes: demoAppScopes, grantTypes: ['authorization_code', 'refresh_token'], launchUrl: `${app.origin}/launch`,
    });
    leoId = await ehr.patientId('Leo Lopez');
    providerId = await ehr.userId('provider');
    const provider: { fhir_user: string | null } | undefined = await ehr.db.knex('smart_host_users').where('user_id', providerId).first('fhir_user');
    assert.match(String(provider?.fhir_user), /^Practitioner\/\d+$/);
    providerFhirUser = String(provider?.fhir_user);
  });
  after(async () => {
    await app?.close();
    await ehr?.close();
  });

  it('standalone launch: authorize() → sign in as provider → pick Leo → allow → ready() holds his context', async () => {
    const browser = new CookieBrowser();
    const signInPage = await browser.get(`${app.origin}/standalone`);
    const authorize = browser.visited.find((url) => url.pathname === '/smart/auth/authorize');
    assert.ok(authorize, 'fhirclient sent the browser to the authorize endpoint it discovered');
    assert.equal(authorize.origin, ehr.origin);
    assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(authorize.searchParams.get('aud'), ehr.plugin.urls.fhirBaseUrl);
    assert.equal(authorize.searchParams.get('redirect_uri'), app.redirectUri);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('code_challenge'), 'PKCE is used (pkceMode required)');

    const picker = await signInOnPlugin(browser, signInPage, 'provider');
    assert.equal(picker.status, 200);
    assert.equal(headingOf(picker), 'Choose a patient');
    const results = await browser.submit(picker, formIn(picker, 'Patient name'), { name: 'lopez' });
    assert.equal(headingOf(results), 'Choose a patient');
    const choices = formIn(results, 'Continue');
    const chosen = choiceValue(choices, 'Leo Lopez (born 9 May 2015)');
    assert.equal(chosen, leoId);
    const consentPage = await browser.submit(results, choices, { patient: chosen });
    assert.match(consentPage.text, /Leo Lopez/, 'the consent page names the chosen patient');

    const done = await allowAll(browser, consentPage);
    assert.equal(done.url.origin + done.url.pathname, app.redirectUri);
    assert.ok(done.url.searchParams.get('code'), 'the redirect URI received a code');
    assert.ok(done.url.searchParams.get('state'), 'and the state fhirclient sent');
    assert.equal(done.status, 200, done.text);
    assert.equal(done.text, 'ready');

    const client = app.readyClients.at(-1);
    assert.ok(client, 'ready() returned a client');
    assert.equal(client.patient.id, leoId);
    const token = client.state.tokenResponse;
    assert.ok(token, 'the client holds the token response');
    assert.equal(typeof token.access_token, 'string');
    assert.ok(String(token.access_token).length > 20);
    assert.equal(token.token_type, 'Bearer');
    assert.deepEqual(scopeSet(token.scope), scopeSet(STANDALONE_SCOPE));
    assert.equal(token.patient, leoId);
    assert.equal(token.need_patient_banner, true, 'a standalone app shows its own patient banner');
    assert.equal(typeof token.id_token, 'string', 'openid fhirUser gives an id_token');
    assert.equal(client.getFhirUser(), providerFhirUser);
    assert.equal(client.getUserType(), 'Practitioner');
  });

  it('EHR launch: plugin.createLaunch → authorize() with launch + iss → host session honoured → ready() holds Leo', async () => {
    const browser = new CookieBrowser();
    // The user is signed in to the EHR itself (its /login form); the plugin asks the host (currentHostUser).
    const login = await browser.get(`${ehr.origin}/login`);
    const signedIn = await browser.submit(login, formIn(login, 'Sign in'), { username: 'provider', password: 'demo-password' });
    assert.equal(signedIn.url.pathname, '/patients', 'signed in to the host EHR');

    const { launch } = await ehr.plugin.createLaunch({ userId: providerId, patientId: leoId, clientId: CLIENT_ID });
    const launchUrl = new URL(`${app.origin}/launch`);
    launchUrl.searchParams.set('iss', ehr.plugin.urls.fhirBaseUrl);
    launchUrl.searchParams.set('launch', launch);
    const consentPage = await browser.get(launchUrl);

    const authorize = browser.visited.find((url) => url.pathname === '/smart/auth/authorize');
    assert.ok(authorize, 'fhirclient sent the browser to the authorize endpoint');
    assert.equal(authorize.searchParams.get('launch'), launch);
    assert.equal(authorize.searchParams.get('aud'), ehr.plugin.urls.fhirBaseUrl);
    assert.ok(!browser.visited.some((url) => url.pathname === '/smart/auth/sign-in'), 'no sign-in page: the host session is honoured');
    assert.ok(!browser.visited.some((url) => url.pathname === '/smart/auth/pick-patient'), 'no picker: the launch carries the patient');
    assert.match(consentPage.text, /Leo Lopez/);

    const before = app.readyClients.length;
    const done = await allowAll(browser, consentPage);
    assert.equal(done.url.origin + done.url.pathname, app.redirectUri);
    assert.equal(done.status, 200, done.text);
    assert.equal(app.readyClients.length, before + 1);
    const client = app.readyClients.at(-1) as Client;
    assert.equal(client.patient.id, leoId);
    const token = client.state.tokenResponse;
    assert.ok(token?.access_token, 'an access token');
    assert.deepEqual(scopeSet(token.scope), scopeSet(EHR_LAUNCH_SCOPE));
    assert.equal(token.need_patient_banner, false, 'the EHR already shows the patient banner');
    assert.equal(client.getFhirUser(), providerFhirUser);

    // The launch id is single use: opening the same launch URL again sends the app an error, and ready() fails.
    const replay = await browser.get(launchUrl);
    assert.equal(replay.url.origin + replay.url.pathname, app.redirectUri, 'the error goes back to the app');
    assert.equal(replay.url.searchParams.get('error'), 'invalid_request');
    assert.ok(replay.url.searchParams.get('state'), 'with the state');
    assert.equal(replay.status, 500);
    assert.match(replay.text, /^ready\(\) failed: invalid_request/);
    assert.equal(app.readyClients.length, before + 1, 'a used launch id gives the app no client');
  });
});
