import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Express } from 'express';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { createHostApp } from '../../samples/host-ehr/app.ts';
import { signedInBrowser } from './staff-browser.ts';

let db: TestDatabase;
let app: Express;
const patientIds = new Map<string, string>();

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  app = createHostApp({ knex: db.knex, secureCookies: false });
  const rows: Array<{ patient_id: unknown; display_name: string }> = await db.knex('smart_host_patients').select('patient_id', 'display_name');
  for (const row of rows) patientIds.set(row.display_name, String(row.patient_id));
});
after(async () => {
  await db.drop();
});

const chartOf = (name: string) => `/patients/${patientIds.get(name)!}`;
const clinicalHeadings = ['Problems and health concerns', 'Allergies', 'Medications', 'Immunizations', 'Vital signs',
  'Lab results', 'Procedures', 'Implanted devices', 'Care plans', 'Encounters', 'Documents'];

describe('host EHR patient chart', () => {
  it('shows a provider demographics and every clinical section', async () => {
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get(chartOf('Pat Jones')).expect(200);
    assert.match(page.text, /<h1>Pat Jones/);
    assert.match(page.text, /<th scope="row">MRN<\/th><td>MRN-1001<\/td>/);
    for (const heading of clinicalHeadings) assert.ok(page.text.includes(`>${heading}</h2>`), heading);
    assert.match(page.text, /Essential \(primary\) hypertension \(I10\)/);
    assert.match(page.text, /138\/86 mm\[Hg\]/);
    assert.match(page.text, /Cholesterol in LDL \[Mass\/volume\] in Serum or Plasma by Direct assay<\/td><td>134 mg\/dL<\/td><td>H<\/td>/);
    assert.match(page.text, /Annual visit progress note/);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['x-frame-options'], 'DENY');
  });

  it('shows a provider the Genetic Counseling note through the Provider role', async () => {
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get(chartOf('Pat Jones')).expect(200);
    assert.match(page.text, /Genetic counseling consult <small>\(Genetic Counseling,/);
  });

  it('shows front desk staff demographics and appointments but no clinical section', async () => {
    const browser = await signedInBrowser(app, 'frontdesk');
    const page = await browser.get(chartOf('Maria Lopez')).expect(200);
    assert.match(page.text, /<th scope="row">Address<\/th><td>48 Oak Avenue, Springfield, IL 62704<\/td>/);
    assert.match(page.text, />Appointments<\/h2>/);
    assert.match(page.text, /Asthma review/);
    assert.match(page.text, /Clinical information requires the View Charts permission\./);
    for (const heading of clinicalHeadings) assert.equal(page.text.includes(`>${heading}</h2>`), false, heading);
    assert.equal(page.text.includes('J45.909'), false);
  });

  it('refuses a provider without Sensitive Charts on the sensitive chart with 403', async () => {
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get(chartOf('Sam Rivera')).expect(403);
    assert.match(page.text, /<h1>Restricted chart<\/h1>/);
    assert.match(page.text, /requires the Sensitive Charts permission/);
    for (const secret of ['MRN-1005', 'Major depressive disorder', 'Behavioral health follow-up', 'sertraline']) {
      assert.equal(page.text.includes(secret), false, secret);
    }
  });

  it('refuses front desk staff on the sensitive chart too', async () => {
    const browser = await signedInBrowser(app, 'frontdesk');
    await browser.get(chartOf('Sam Rivera')).expect(403);
  });

  it('shows sensitive-provider the sensitive chart with its Behavioral Health note', async () => {
    const browser = await signedInBrowser(app, 'sensitive-provider');
    const page = await browser.get(chartOf('Sam Rivera')).expect(200);
    assert.match(page.text, /<span class="badge">Sensitive chart<\/span>/);
    assert.match(page.text, /Behavioral health follow-up <small>\(Behavioral Health, 2026-09-29, Dr\. Daniel Okafor\)<\/small>/);
    assert.match(page.text, /PHQ-9 today 11/);
    assert.match(page.text, /Major depressive disorder, single episode, moderate \(F32\.1\)/);
    assert.match(page.text, /sertraline 50 MG Oral Tablet/);
  });

  it('hides the Behavioral Health note and what was recorded in it from users without that document type', async () => {
    // Sensitive Charts alone opens the chart; the confidential document type is a separate right.
    await db.knex('ehr_user_document_types').delete();
    try {
      const browser = await signedInBrowser(app, 'sensitive-provider');
      const page = await browser.get(chartOf('Sam Rivera')).expect(200);
      assert.match(page.text, /Annual visit progress note/);
      assert.match(page.text, /Obstructive hypertrophic cardiomyopathy/);
      for (const hidden of ['Behavioral health follow-up', 'PHQ-9', 'F32.1', 'F41.1', 'sertraline', 'Depression treatment plan']) {
        assert.equal(page.text.includes(hidden), false, hidden);
      }
    } finally {
      const [user] = await db.knex('ehr_users').where('login_name', 'sensitive-provider').select('id');
      const [type] = await db.knex('ehr_document_types').where('code', 'BH').select('id');
      await db.knex('ehr_user_document_types').insert({ user_id: user.id, document_type_id: type.id });
    }
  });

  it('refuses staff without Registration or View Charts with 403', async () => {
    const browser = await signedInBrowser(app, 'admin');
    const list = await browser.get('/patients').expect(403);
    assert.match(list.text, /does not have access to patient records/);
    await browser.get(chartOf('Pat Jones')).expect(403);
  });

  it('answers 404 for a chart that does not exist or a malformed id', async () => {
    const browser = await signedInBrowser(app, 'provider');
    await browser.get('/patients/999999').expect(404);
    const page = await browser.get('/patients/1%20or%201=1').expect(404);
    assert.match(page.text, /Patient not found/);
  });

  it('escapes database content in pages', async () => {
    await db.knex('ehr_patients').where('mrn', 'MRN-1001').update({ address_line: '<script>alert(1)</script>' });
    try {
      const browser = await signedInBrowser(app, 'frontdesk');
      const page = await browser.get(chartOf('Pat Jones')).expect(200);
      assert.equal(page.text.includes('<script>'), false);
      assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    } finally {
      await db.knex('ehr_patients').where('mrn', 'MRN-1001').update({ address_line: '12 Elm Street' });
    }
  });
});
