import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDevIdp, type DevIdp } from '../../samples/dev-idp/server.ts';
import { chromiumUnavailable, launchChromium } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

const skip = chromiumUnavailable();
const STEP_TIMEOUT_MS = 15_000;

/**
 * Azure AD sign-in in real headless Chromium: the sample app's standalone launch on the sample EHR, the
 * dev-idp's account page over HTTPS (Chromium trusts the dev-idp's key alone, by its SPKI hash), back to the
 * plugin's picker and consent, and the app's token exchange.
 */
describe(`Azure AD sign-in in headless Chromium on ${process.env.TEST_DB ?? 'sqlite'}`, { timeout: 180_000 }, () => {
  let devIdp: DevIdp;
  let ehr: LiveServer;
  let browser: Browser;
  before(async () => {
    if (skip) return;
    devIdp = await startDevIdp();
    ehr = await startLiveServer({ azure: devIdp.azureOptions(['contoso', 'fabrikam']) });
    browser = await launchChromium([`--ignore-certificate-errors-spki-list=${devIdp.spkiSha256}`]);
  }, { timeout: 45_000 });
  after(async () => {
    await browser?.close();
    await ehr?.close();
    await devIdp?.close();
  }, { timeout: 30_000 });

  async function withPage(run: (page: Page, token: Promise<Record<string, unknown>>) => Promise<void>): Promise<void> {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const token = page.waitForResponse((r) => r.url().endsWith('/smart/auth/token') && r.request().method() === 'POST', { timeout: 50_000 })
        .then((response) => response.json() as Promise<Record<string, unknown>>);
      token.catch(() => undefined);
      try {
        await run(page, token);
      } catch (error) {
        await page.screenshot({ path: '/tmp/azure-browser-failure.png' }).catch(() => undefined);
        throw new Error(`${(error as Error).message} at ${page.url()}`);
      }
    } finally {
      await context.close();
    }
  }

  it('B2C: Maria signs in as a patient, chooses Leo among her charts, allows all but one scope, and the app shows Leo', { skip, timeout: 60_000 }, async () => {
    await withPage(async (page, token) => {
      await page.goto(`${ehr.origin}/apps/demo/standalone`);
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Sign in as a patient', exact: true }).click();
      await page.waitForURL((url) => url.origin === devIdp.origin);
      await page.getByRole('button', { name: 'maria@example.com', exact: true }).click();
      await page.waitForURL(/\/smart\/auth\/pick-patient\?/);
      assert.equal(await page.getByLabel('Patient name').count(), 0, 'a representative does not search the EHR');
      const choices = await page.getByRole('radio').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).labels?.[0]?.textContent?.trim()));
      assert.deepEqual(choices.sort(), ['Leo Lopez (born 9 May 2015)', 'Maria Lopez (born 22 July 1986)', 'Mia Lopez (born 30 November 2020)']);
      await page.getByLabel('Leo Lopez (born 9 May 2015)', { exact: true }).check();
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await page.getByRole('heading', { name: 'Allow access?', level: 1 }).waitFor();
      await page.getByLabel('Keep access after you close the app (until you revoke it)').uncheck();
      await page.getByRole('button', { name: 'Allow', exact: true }).click();
      const body = await token;
      assert.equal(body.patient, await ehr.patientId('Leo Lopez'));
      assert.equal(body.refresh_token, undefined, 'offline_access was unchecked');
      assert.deepEqual(String(body.scope).split(' ').sort(), ['fhirUser', 'launch/patient', 'openid', 'patient/Condition.rs', 'patient/Patient.rs']);
      // The demo app reads Leo through the FHIR API with Maria's token.
      await page.locator('h1#patient-name', { hasText: 'Leo Lopez' }).waitFor();
      await page.locator('#conditions li').first().waitFor();
    });
  });

  it('B2B: alice@contoso.example signs in with her organization as the EHR provider and picks Pat', { skip, timeout: 60_000 }, async () => {
    await withPage(async (page, token) => {
      await page.goto(`${ehr.origin}/apps/demo/standalone`);
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      await page.getByLabel('Work email', { exact: true }).fill('alice@contoso.example');
      await page.getByRole('button', { name: 'Sign in with your organization', exact: true }).click();
      await page.waitForURL((url) => url.origin === devIdp.origin);
      await page.getByRole('button', { name: 'alice@contoso.example', exact: true }).click();
      await page.getByRole('heading', { name: 'Choose a patient', level: 1 }).waitFor();
      await page.getByLabel('Patient name', { exact: true }).fill('Jones');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('radio').first().check();
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await page.getByRole('heading', { name: 'Allow access?', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Allow', exact: true }).click();
      const body = await token;
      assert.equal(body.patient, await ehr.patientId('Pat Jones'));
      const idToken = JSON.parse(Buffer.from(String(body.id_token).split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
      const provider = await ehr.db.knex('smart_host_users').where({ login_name: 'provider' }).first('fhir_user');
      assert.equal(idToken.fhirUser, provider.fhir_user);
    });
  });
});
