import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page, Request as BrowserRequest, Response as BrowserResponse } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/**
 * Real headless Chromium against the live sample EHR (createHostApp with the plugin at /smart and the
 * chart's "Launch demo app"), and the sample SMART app (samples/smart-app, fhirclient's browser build).
 * The FHIR API does not exist yet, so the app's own patient read fails after sign-in: these tests assert
 * everything up to and including the token exchange, in the browser and in the database.
 */

const CONSENT_SCREENSHOT = '/tmp/consent.png';
const OFFLINE_ACCESS_LINE = 'Keep access after you close the app (until you revoke it)';
/** What samples/smart-app/standalone.js and launch.js ask for. */
const STANDALONE_SCOPE = 'launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs offline_access';
const EHR_LAUNCH_SCOPE = 'launch openid fhirUser patient/Patient.rs patient/Condition.rs';
const STEP_TIMEOUT_MS = 15_000;

interface AccessTokenRow {
  token_id: string;
  client_id: string;
  subject_id: unknown;
  patient_id: unknown;
  scope: string;
}

/** One browser tab with everything it navigated to (redirect hops included) and its script errors. */
interface Tab {
  context: BrowserContext;
  page: Page;
  navigations: URL[];
  scriptErrors: string[];
}

const sorted = (scope: string) => scope.split(' ').filter(Boolean).sort();

/** Without Chromium each test is reported as skipped, with the reason (the summary counts them). */
const skip = chromiumUnavailable();

describe(`browser flows in headless Chromium on ${process.env.TEST_DB ?? 'sqlite'}`, { timeout: 120_000 }, () => {
  let ehr: LiveServer;
  let browser: Browser;
  let leoId: string;
  let providerId: string;

  before(async () => {
    if (skip) return;
    ehr = await startLiveServer();
    browser = await launchChromium();
    leoId = await ehr.patientId('Leo Lopez');
    providerId = await ehr.userId('provider');
  }, { timeout: 45_000 });
  after(async () => {
    await browser?.close();
    await ehr?.close();
  }, { timeout: 30_000 });

  async function openTab(): Promise<Tab> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    const tab: Tab = { context, page, navigations: [], scriptErrors: [] };
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) tab.navigations.push(new URL(request.url()));
    });
    page.on('pageerror', (error) => tab.scriptErrors.push(error.message));
    return tab;
  }

  const at = (tab: Tab, pathname: string) => tab.page.waitForURL((url) => url.pathname === pathname);
  const isToken = (response: BrowserResponse) => response.url() === `${ehr.origin}/smart/auth/token` && response.request().method() === 'POST';
  const isCodeArrival = (request: BrowserRequest) => {
    const url = new URL(request.url());
    return request.isNavigationRequest() && url.origin === ehr.origin && url.pathname === '/apps/demo/' && url.searchParams.has('code');
  };

  /**
   * What the app shows once fhirclient's ready() is done: Leo's name from `Patient/{id}` and his conditions from a
   * `Condition?patient=` search, both through the plugin's FHIR API with the token the app just received.
   */
  async function expectAppPastReady(tab: Tab): Promise<void> {
    const alert = tab.page.locator('#error');
    const leoHeading = tab.page.locator('h1#patient-name', { hasText: 'Leo Lopez' });
    const conditions = tab.page.locator('#conditions li');
    // Whichever comes first: the app's error, or the rendered list (the hidden error paragraph precedes it in the page).
    await tab.page.locator('#error:visible, #conditions li:visible').first().waitFor({ state: 'visible' });
    assert.equal(await alert.isVisible(), false, `the app failed: ${await alert.textContent()} ${tab.scriptErrors.join(' | ')}`);
    assert.equal(await leoHeading.isVisible(), true);
    const expected = await ehr.db.knex('ehr_problems as p').join('ehr_patients as pt', 'pt.id', 'p.patient_id')
      .where({ 'pt.given_name': 'Leo', 'pt.family_name': 'Lopez' }).orderBy('p.display').pluck('p.display');
    assert.deepEqual((await conditions.allTextContents()).map((text) => text.trim()).sort(), [...expected].sort());
  }

  async function accessTokensOf(clientId: string): Promise<AccessTokenRow[]> {
    return ehr.db.knex('smart_access_tokens').where({ client_id: clientId }).select('token_id', 'client_id', 'subject_id', 'patient_id', 'scope');
  }

  it('standalone: sign in, pick Leo, deselect one scope, allow; the app receives a code and exchanges it', { skip, timeout: 60_000 }, async () => {
    const tab = await openTab();
    const { page } = tab;
    try {
      await page.goto(`${ehr.origin}/apps/demo/standalone`);
      // fhirclient discovers the endpoints and sends the browser to the plugin's authorize endpoint.
      await at(tab, '/smart/auth/sign-in');
      const authorize = tab.navigations.find((url) => url.pathname === '/smart/auth/authorize');
      assert.ok(authorize, 'the app went to the authorize endpoint');
      assert.equal(authorize.searchParams.get('client_id'), 'demo-app');
      assert.equal(authorize.searchParams.get('redirect_uri'), `${ehr.origin}/apps/demo/`);
      assert.equal(authorize.searchParams.get('aud'), ehr.plugin.urls.fhirBaseUrl);
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

      await page.getByLabel('Username', { exact: true }).fill('provider');
      await page.getByLabel('Password', { exact: true }).fill('demo-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();

      await at(tab, '/smart/auth/pick-patient');
      await page.getByRole('heading', { name: 'Choose a patient', level: 1 }).waitFor();
      await page.getByLabel('Patient name', { exact: true }).fill('Lopez');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/smart/auth/pick-patient' && url.searchParams.get('name') === 'Lopez');
      const leo = page.getByLabel('Leo Lopez (born 9 May 2015)', { exact: true });
      assert.equal(await leo.getAttribute('value'), leoId);
      await leo.check();
      await page.getByRole('button', { name: 'Continue', exact: true }).click();

      await at(tab, '/smart/auth/consent');
      await page.getByRole('heading', { name: 'Allow access?', level: 1 }).waitFor();
      assert.match(await page.locator('main').innerText(), /Patient: Leo Lopez/);
      const offline = page.getByLabel(OFFLINE_ACCESS_LINE, { exact: true });
      assert.equal(await offline.isChecked(), true, 'offline_access is offered, checked');
      assert.equal(await offline.getAttribute('value'), 'offline_access');
      await page.screenshot({ path: CONSENT_SCREENSHOT, fullPage: true });
      await offline.uncheck();

      const codeArrival = page.waitForRequest(isCodeArrival);
      const tokenExchange = page.waitForResponse(isToken);
      await page.getByRole('button', { name: 'Allow', exact: true }).click();

      const arrived = new URL((await codeArrival).url());
      assert.ok(arrived.searchParams.get('code'), 'the redirect URI got a code');
      assert.ok(arrived.searchParams.get('state'), 'and fhirclient\'s state');
      const token = await tokenExchange;
      assert.equal(token.status(), 200, 'fhirclient\'s token exchange succeeded');
      const body = await token.json() as Record<string, unknown>;
      assert.equal(body.patient, leoId);
      assert.equal(body.need_patient_banner, true);
      assert.deepEqual(sorted(String(body.scope)), sorted(STANDALONE_SCOPE.replace(' offline_access', '')), 'everything but the deselected scope');
      assert.equal(body.refresh_token, undefined, 'no refresh token without offline_access');

      await expectAppPastReady(tab);
      assert.ok(!tab.navigations.some((url) => url.searchParams.has('error')), 'no OAuth error on the way');

      const rows = (await accessTokensOf('demo-app')).filter((row) => String(row.patient_id) === leoId);
      assert.equal(rows.length, 1, 'one access token for demo-app on Leo\'s chart');
      const row = rows[0] as AccessTokenRow;
      assert.equal(String(row.subject_id), providerId);
      assert.ok(!sorted(row.scope).includes('offline_access'), `the stored scope lacks the deselected scope: ${row.scope}`);
      assert.ok(sorted(row.scope).includes('patient/Patient.rs'));
    } finally {
      await tab.context.close();
    }
  });

  it('EHR launch: signed in to the EHR, "Launch demo app" on Leo\'s chart goes to consent without a second sign-in', { skip, timeout: 60_000 }, async () => {
    const tab = await openTab();
    const { page } = tab;
    try {
      await page.goto(`${ehr.origin}/login`);
      await page.getByLabel('Username', { exact: true }).fill('provider');
      await page.getByLabel('Password', { exact: true }).fill('demo-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await at(tab, '/patients');
      await page.getByRole('link', { name: 'Leo Lopez', exact: true }).click();
      await at(tab, `/patients/${leoId}`);
      const earlier = new Set((await accessTokensOf('demo-app')).map((row) => row.token_id));

      await page.getByRole('button', { name: 'Launch demo app', exact: true }).click();
      // Wait for wherever the flow stops: consent, the app, or (a failure, asserted below) the sign-in page.
      await page.waitForURL((url) => ['/smart/auth/consent', '/apps/demo/', '/smart/auth/sign-in'].includes(url.pathname));
      const launchPage = tab.navigations.find((url) => url.pathname === '/apps/demo/launch');
      assert.ok(launchPage, 'the EHR opened the app\'s launch URL');
      assert.equal(launchPage.searchParams.get('iss'), ehr.plugin.urls.fhirBaseUrl);
      assert.ok(launchPage.searchParams.get('launch'), 'with a launch id');
      const authorize = tab.navigations.find((url) => url.pathname === '/smart/auth/authorize');
      assert.equal(authorize?.searchParams.get('launch'), launchPage.searchParams.get('launch'));
      assert.ok(!tab.navigations.some((url) => url.pathname === '/smart/auth/sign-in'),
        `the plugin showed no sign-in page (host session honoured): ${tab.navigations.map((url) => url.pathname).join(' → ')}`);
      assert.ok(!tab.navigations.some((url) => url.pathname === '/smart/auth/pick-patient'), 'no patient picker: the launch names Leo');

      assert.equal(new URL(page.url()).pathname, '/smart/auth/consent', 'the first launch of the app asks consent');
      await page.getByRole('heading', { name: 'Allow access?', level: 1 }).waitFor();
      assert.match(await page.locator('main').innerText(), /Patient: Leo Lopez/);

      const codeArrival = page.waitForRequest(isCodeArrival);
      const tokenExchange = page.waitForResponse(isToken);
      await page.getByRole('button', { name: 'Allow', exact: true }).click();
      await codeArrival;
      const token = await tokenExchange;
      assert.equal(token.status(), 200);
      const body = await token.json() as Record<string, unknown>;
      assert.equal(body.patient, leoId);
      assert.equal(body.need_patient_banner, false, 'launched from the chart: the EHR shows the banner');
      assert.deepEqual(sorted(String(body.scope)), sorted(EHR_LAUNCH_SCOPE));

      await expectAppPastReady(tab);
      const rows = (await accessTokensOf('demo-app')).filter((row) => !earlier.has(row.token_id));
      assert.equal(rows.length, 1, 'one more access token for demo-app');
      const row = rows[0] as AccessTokenRow;
      assert.deepEqual(sorted(row.scope), sorted(EHR_LAUNCH_SCOPE));
      assert.equal(String(row.patient_id), leoId);
      assert.equal(String(row.subject_id), providerId);
    } finally {
      await tab.context.close();
    }
  });
});
