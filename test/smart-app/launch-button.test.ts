import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { createHostApp } from '../../samples/host-ehr/app.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { csrfTokenIn, signedInBrowser } from '../sample-host/staff-browser.ts';

type LaunchInput = { userId: string; patientId?: string; encounterId?: string; clientId?: string };

const fhirBaseUrl = 'http://localhost:3000/smart/fhir';
const launchUrl = 'http://localhost:3000/apps/demo/launch';
const expiresAt = new Date(Date.now() + 300_000);

let db: TestDatabase;
let app: Express;
let appWithoutLaunch: Express;
/** Every call of the createLaunch the EHR was given, in order. */
let launches: LaunchInput[] = [];
let launchId = 'x';
const patientIds = new Map<string, string>();
const userIds = new Map<string, string>();

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  app = createHostApp({
    knex: db.knex, secureCookies: false,
    launchDemoApp: {
      createLaunch: async (input) => {
        launches.push(input);
        return { launch: launchId, expiresAt };
      },
      fhirBaseUrl, launchUrl,
    },
  });
  appWithoutLaunch = createHostApp({ knex: db.knex, secureCookies: false });
  const patients: Array<{ patient_id: unknown; display_name: string }> = await db.knex('smart_host_patients').select('patient_id', 'display_name');
  for (const row of patients) patientIds.set(row.display_name, String(row.patient_id));
  const users: Array<{ user_id: unknown; login_name: string }> = await db.knex('smart_host_users').select('user_id', 'login_name');
  for (const row of users) userIds.set(row.login_name, String(row.user_id));
});
beforeEach(() => {
  launches = [];
  launchId = 'x';
});
after(async () => {
  await db.drop();
});

const chartOf = (name: string) => `/patients/${patientIds.get(name)!}`;
const launchPathOf = (name: string) => `${chartOf(name)}/launch-demo-app`;

/** The launch form on a chart page, or undefined; asserts its shape when present. */
function launchFormIn(page: string, patient: string): { csrf: string } | undefined {
  const form = /<form method="post" action="([^"]+)" class="inline">\s*<input type="hidden" name="_csrf" value="([^"]+)">\s*<button type="submit">Launch demo app<\/button>\s*<\/form>/.exec(page);
  if (!form) {
    assert.equal(page.includes('Launch demo app'), false, 'no launch button text outside the form');
    assert.equal(page.includes('launch-demo-app'), false, 'no launch form');
    return undefined;
  }
  assert.equal(form[1], launchPathOf(patient));
  return { csrf: form[2]! };
}

describe('sample EHR: "Launch demo app" on the chart', () => {
  it('shows the button to a provider on Leo Lopez\'s chart, in a POST form with the session CSRF token', async () => {
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get(chartOf('Leo Lopez')).expect(200);
    assert.match(page.text, /<h1>Leo Lopez/);
    const form = launchFormIn(page.text, 'Leo Lopez');
    assert.ok(form, 'the chart offers the launch');
    assert.equal(form.csrf, csrfTokenIn(page.text), 'the same token as the page\'s other forms');
  });

  it('does not show it to front desk staff, who see Leo\'s demographics but not his clinical chart', async () => {
    const browser = await signedInBrowser(app, 'frontdesk');
    const page = await browser.get(chartOf('Leo Lopez')).expect(200);
    assert.match(page.text, /<h1>Leo Lopez/);
    assert.match(page.text, />Demographics<\/h2>/);
    assert.match(page.text, /Clinical information requires the View Charts permission\./);
    assert.equal(launchFormIn(page.text, 'Leo Lopez'), undefined);
  });

  it('shows it on a sensitive chart only to a user who may open that chart', async () => {
    const sensitive = await signedInBrowser(app, 'sensitive-provider');
    const page = await sensitive.get(chartOf('Sam Rivera')).expect(200);
    assert.ok(launchFormIn(page.text, 'Sam Rivera'));
    const provider = await signedInBrowser(app, 'provider');
    const refused = await provider.get(chartOf('Sam Rivera')).expect(403);
    assert.equal(launchFormIn(refused.text, 'Sam Rivera'), undefined);
  });

  it('has no button and no route when the EHR was not given launchDemoApp', async () => {
    const browser = await signedInBrowser(appWithoutLaunch, 'provider');
    const page = await browser.get(chartOf('Leo Lopez')).expect(200);
    assert.equal(launchFormIn(page.text, 'Leo Lopez'), undefined);
    await browser.post(launchPathOf('Leo Lopez')).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(404);
  });
});

describe('sample EHR: POST /patients/:id/launch-demo-app', () => {
  it('refuses a post without the CSRF token, or with a wrong one, with 403 and creates no launch', async () => {
    const browser = await signedInBrowser(app, 'provider');
    await browser.get(chartOf('Leo Lopez')).expect(200);
    const missing = await browser.post(launchPathOf('Leo Lopez')).type('form').send({}).expect(403);
    assert.match(missing.text, /role="alert"/);
    assert.equal(missing.headers.location, undefined);
    await browser.post(launchPathOf('Leo Lopez')).type('form').send({ _csrf: 'not-the-token' }).expect(403);
    await browser.post(launchPathOf('Leo Lopez')).expect(403);
    assert.deepEqual(launches, []);
  });

  it('creates a launch for the signed-in user, Leo and demo-app, and sends the browser to the app with iss and launch (303)', async () => {
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get(chartOf('Leo Lopez')).expect(200);
    const form = launchFormIn(page.text, 'Leo Lopez')!;
    const response = await browser.post(launchPathOf('Leo Lopez')).type('form').send({ _csrf: form.csrf }).expect(303);
    assert.equal(response.headers.location,
      'http://localhost:3000/apps/demo/launch?iss=http%3A%2F%2Flocalhost%3A3000%2Fsmart%2Ffhir&launch=x');
    assert.deepEqual(launches, [{ userId: userIds.get('provider'), patientId: patientIds.get('Leo Lopez'), clientId: 'demo-app' }]);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  it('encodes the launch id into the URL', async () => {
    launchId = 'a/b+c=d&e';
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get(chartOf('Leo Lopez')).expect(200);
    const response = await browser.post(launchPathOf('Leo Lopez')).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(303);
    assert.equal(response.headers.location, `${launchUrl}?iss=${encodeURIComponent(fhirBaseUrl)}&launch=a%2Fb%2Bc%3Dd%26e`);
  });

  it('refuses front desk staff (no View Charts) with 403 even with a valid CSRF token', async () => {
    const browser = await signedInBrowser(app, 'frontdesk');
    const page = await browser.get(chartOf('Leo Lopez')).expect(200);
    const response = await browser.post(launchPathOf('Leo Lopez')).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(403);
    assert.match(response.text, /requires the View Charts permission/);
    assert.deepEqual(launches, []);
  });

  it('refuses a provider on a sensitive chart with 403, and answers 404 for a chart that does not exist', async () => {
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get(chartOf('Leo Lopez')).expect(200);
    const csrf = csrfTokenIn(page.text);
    await browser.post(launchPathOf('Sam Rivera')).type('form').send({ _csrf: csrf }).expect(403);
    await browser.post('/patients/999999/launch-demo-app').type('form').send({ _csrf: csrf }).expect(404);
    await browser.post('/patients/1%20or%201=1/launch-demo-app').type('form').send({ _csrf: csrf }).expect(404);
    assert.deepEqual(launches, []);
  });

  it('lets sensitive-provider launch on the sensitive chart', async () => {
    const browser = await signedInBrowser(app, 'sensitive-provider');
    const page = await browser.get(chartOf('Sam Rivera')).expect(200);
    await browser.post(launchPathOf('Sam Rivera')).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(303);
    assert.deepEqual(launches, [{ userId: userIds.get('sensitive-provider'), patientId: patientIds.get('Sam Rivera'), clientId: 'demo-app' }]);
  });

  it('sends a browser that is not signed in to the sign-in page and creates no launch', async () => {
    const response = await request(app).post(launchPathOf('Leo Lopez')).type('form').send({ _csrf: 'x' }).expect(302);
    assert.match(String(response.headers.location), /^\/login\?returnTo=/);
    assert.deepEqual(launches, []);
  });
});
