import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { deriveKey } from '../../src/store/key-protection.ts';
import { chromiumUnavailable, launchChromium } from '../support/browser.ts';
import { LIVE_SECRET, startLiveServer, type LiveServer } from '../support/live-server.ts';

const skip = chromiumUnavailable();
const STEP_TIMEOUT_MS = 15_000;

/**
 * Maria, a mother with three linked charts, in real headless Chromium: the sample app's standalone launch,
 * the picker (she chooses Leo) and consent with one scope unchecked. Azure AD B2C sign-in comes with issue 5;
 * until then the browser starts with the plugin session B2C will create (cookie signed with the plugin key).
 */
describe(`representative in headless Chromium on ${process.env.TEST_DB ?? 'sqlite'}`, { timeout: 120_000 }, () => {
  let ehr: LiveServer;
  let browser: Browser;
  before(async () => {
    if (skip) return;
    ehr = await startLiveServer();
    browser = await launchChromium();
  }, { timeout: 45_000 });
  after(async () => {
    await browser?.close();
    await ehr?.close();
  }, { timeout: 30_000 });

  it('Maria chooses Leo among her charts and allows all but one scope', { skip, timeout: 60_000 }, async () => {
    const id = randomBytes(32).toString('base64url');
    const user = { kind: 'portal', identity: 'maria@example.com', method: 'azure-b2c', authTime: Math.floor(Date.now() / 1000) };
    await ehr.db.knex('smart_sessions').insert({ session_id: id, data: JSON.stringify({ user }), expires_at: new Date(Date.now() + 600_000) });
    const mac = createHmac('sha256', deriveKey(Buffer.from(LIVE_SECRET, 'utf8'), 'session-cookie')).update(id).digest('base64url');
    const context = await browser.newContext();
    await context.addCookies([{ name: 'smart_sid', value: `${id}.${mac}`, url: `${ehr.origin}/smart/auth/`, httpOnly: true, sameSite: 'Lax' }]);
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const tokenResponse = page.waitForResponse((r) => r.url().endsWith('/smart/auth/token') && r.request().method() === 'POST');
      await page.goto(`${ehr.origin}/apps/demo/standalone`);
      await page.waitForURL(/\/smart\/auth\/pick-patient\?/);
      assert.equal(await page.getByLabel('Patient name').count(), 0, 'a representative does not search the EHR');
      const choices = (await page.getByRole('radio').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).labels?.[0]?.textContent?.trim())));
      assert.deepEqual(choices.sort(), ['Leo Lopez (born 9 May 2015)', 'Maria Lopez (born 22 July 1986)', 'Mia Lopez (born 30 November 2020)']);
      await page.getByLabel('Leo Lopez (born 9 May 2015)').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/smart\/auth\/consent\?/);
      await page.getByLabel('Keep access after you close the app (until you revoke it)').uncheck();
      await page.getByRole('button', { name: 'Allow' }).click();
      const token = await (await tokenResponse).json() as Record<string, unknown>;
      assert.equal(token.patient, await ehr.patientId('Leo Lopez'));
      assert.equal(token.refresh_token, undefined, 'offline_access was unchecked');
      assert.deepEqual(String(token.scope).split(' ').sort(), ['fhirUser', 'launch/patient', 'openid', 'patient/Condition.rs', 'patient/Patient.rs']);
    } finally {
      await context.close();
    }
  });
});
