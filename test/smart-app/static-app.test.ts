import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { createHostApp } from '../../samples/host-ehr/app.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const appCsp = "default-src 'self'; connect-src 'self'; frame-ancestors 'none'";
const fhirBaseUrl = 'http://localhost:3000/smart/fhir';

let db: TestDatabase;
let app: Express;
let appWithoutLaunch: Express;

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  app = createHostApp({
    knex: db.knex, secureCookies: false,
    launchDemoApp: {
      createLaunch: () => Promise.reject(new Error('not used here')),
      fhirBaseUrl, launchUrl: 'http://localhost:3000/apps/demo/launch',
    },
  });
  appWithoutLaunch = createHostApp({ knex: db.knex, secureCookies: false });
});
after(async () => {
  await db.drop();
});

/** Every <script> has a src, and there is no inline style or event handler: the CSP allows neither. */
function assertNoInlineCode(page: string): void {
  for (const tag of page.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\ssrc="[^"]+"/, `external script: ${tag}`);
  assert.doesNotMatch(page, /<script\b[^>]*>[^<]/, 'no inline script body');
  assert.doesNotMatch(page, /<style\b/i);
  assert.doesNotMatch(page, /\sstyle=/i);
  assert.doesNotMatch(page, /\son[a-z]+=/i);
}

function assertAppHeaders(response: request.Response, contentType: RegExp): void {
  assert.equal(response.headers['content-security-policy'], appCsp);
  assert.match(String(response.headers['content-type']), contentType);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['x-frame-options'], 'DENY');
  assert.equal(response.headers['referrer-policy'], 'no-referrer');
}

describe('demo SMART app: static files served by the sample EHR', () => {
  it('serves the redirect page at /apps/demo/ with its own CSP, fhirclient and app.js, and the conditions list', async () => {
    const page = await request(app).get('/apps/demo/').expect(200);
    assertAppHeaders(page, /^text\/html; charset=utf-8$/);
    assert.match(page.text, /<script src="vendor\/fhir-client\.js" defer><\/script>\s*<script src="page-messages\.js" defer><\/script>\s*<script src="app\.js" defer><\/script>/);
    assert.match(page.text, /<h1 id="patient-name">/);
    assert.match(page.text, /<ul id="conditions" aria-label="Conditions"><\/ul>/);
    assert.match(page.text, /role="alert"/);
    assertNoInlineCode(page.text);
  });

  it('serves the EHR launch page at /apps/demo/launch, asking for the demo-app scopes with PKCE required', async () => {
    const page = await request(app).get('/apps/demo/launch').expect(200);
    assertAppHeaders(page, /^text\/html/);
    assert.match(page.text, /<script src="launch\.js" defer><\/script>/);
    assertNoInlineCode(page.text);
    const script = await request(app).get('/apps/demo/launch.js').expect(200);
    assertAppHeaders(script, /^text\/javascript/);
    assert.match(script.text, /FHIR\.oauth2\.authorize\(\{/);
    assert.match(script.text, /clientId: 'demo-app'/);
    assert.match(script.text, /scope: 'launch openid fhirUser patient\/Patient\.rs patient\/Condition\.rs'/);
    assert.match(script.text, /redirectUri: '\.\/'/);
    assert.match(script.text, /pkceMode: 'required'/);
  });

  it('serves the standalone page with the EHR FHIR base in <meta name="fhir-base">', async () => {
    const page = await request(app).get('/apps/demo/standalone').expect(200);
    assertAppHeaders(page, /^text\/html/);
    assert.ok(page.text.includes(`<meta name="fhir-base" content="${fhirBaseUrl}">`));
    assert.match(page.text, /<script src="standalone\.js" defer><\/script>/);
    assertNoInlineCode(page.text);
    const script = await request(app).get('/apps/demo/standalone.js').expect(200);
    assert.match(script.text, /scope: 'launch\/patient openid fhirUser patient\/Patient\.rs patient\/Condition\.rs offline_access'/);
    assert.match(script.text, /pkceMode: 'required'/);
  });

  it('leaves the fhir-base meta empty when the EHR has no launch configured (the page then reads ?iss=)', async () => {
    const page = await request(appWithoutLaunch).get('/apps/demo/standalone').expect(200);
    assert.ok(page.text.includes('<meta name="fhir-base" content="">'));
  });

  it('serves the fhirclient browser bundle from node_modules with a JavaScript content type', async () => {
    const response = await request(app).get('/apps/demo/vendor/fhir-client.js').expect(200);
    assertAppHeaders(response, /^text\/javascript/);
    const bundle = await readFile(createRequire(import.meta.url).resolve('fhirclient/build/fhir-client.min.js'), 'utf8');
    assert.equal(response.text, bundle);
    assert.match(response.text, /window\.FHIR=/);
  });

  it('serves app.js and app.css with their content types', async () => {
    const script = await request(app).get('/apps/demo/app.js').expect(200);
    assertAppHeaders(script, /^text\/javascript/);
    assert.match(script.text, /FHIR\.oauth2\.ready\(\)/);
    assert.match(script.text, /client\.patient\.read\(\)/);
    const style = await request(app).get('/apps/demo/app.css').expect(200);
    assertAppHeaders(style, /^text\/css/);
    const messages = await request(app).get('/apps/demo/page-messages.js').expect(200);
    assertAppHeaders(messages, /^text\/javascript/);
    assert.match(messages.text, /window\.demoAppMessages = /);
  });

  it('redirects /apps/demo to /apps/demo/, keeping the query', async () => {
    const response = await request(app).get('/apps/demo?code=abc&state=xyz').expect(301);
    assert.equal(response.headers.location, '/apps/demo/?code=abc&state=xyz');
  });

  it('answers 404 for other paths under /apps/demo/ and serves nothing else from the app folder', async () => {
    for (const path of ['/apps/demo/nope', '/apps/demo/routes.ts', '/apps/demo/index.html', '/apps/demo/vendor/', '/apps/demo/../host-ehr/app.ts']) {
      await request(app).get(path).expect(404);
    }
  });
});
