import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { createHostApp } from '../../samples/host-ehr/app.ts';
import { csrfTokenIn, signedInBrowser, submitLogin } from './staff-browser.ts';

let db: TestDatabase;
let app: Express;

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  app = createHostApp({ knex: db.knex, secureCookies: false, sessionSecret: 'test-session-secret' });
});
after(async () => {
  await db.drop();
});

describe('host EHR staff sign-in', () => {
  it('sends visitors who are not signed in to the login form', async () => {
    const home = await request(app).get('/').expect(302);
    assert.equal(home.headers.location, '/login');
    const patients = await request(app).get('/patients').expect(302);
    assert.equal(patients.headers.location, '/login?returnTo=%2Fpatients');
  });

  it('shows a labelled form with security headers', async () => {
    const page = await request(app).get('/login').expect(200);
    assert.match(page.text, /<label for="username">Username<\/label>/);
    assert.match(page.text, /<label for="password">Password<\/label>/);
    assert.match(page.text, /<button type="submit">Sign in<\/button>/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(String(page.headers['set-cookie']), /^ehr\.sid=[^;]+;.*HttpOnly; SameSite=Lax/);
  });

  it('signs in provider with demo-password and lists the patients', async () => {
    const browser = await signedInBrowser(app, 'provider');
    const page = await browser.get('/patients').expect(200);
    assert.match(page.text, /Signed in as Dr\. Alice Chen/);
    for (const name of ['Pat Jones', 'Maria Lopez', 'Leo Lopez', 'Mia Lopez', 'Sam Rivera']) assert.ok(page.text.includes(name), name);
    assert.match(page.text, /Sam Rivera<\/a> <span class="badge">Restricted<\/span>/);
    assert.equal(page.headers['cache-control'], 'no-store');
    const home = await browser.get('/').expect(302);
    assert.equal(home.headers.location, '/patients');
  });

  it('accepts the login name in any case', async () => {
    const { response } = await submitLogin(app, 'Provider', 'demo-password');
    assert.equal(response.status, 302);
  });

  it('refuses a wrong password with 401 and a clear message, keeping no session', async () => {
    const { browser, response } = await submitLogin(app, 'provider', 'not-the-password');
    assert.equal(response.status, 401);
    assert.match(response.text, /<p class="error" role="alert">Incorrect username or password\.<\/p>/);
    assert.match(response.text, /value="provider"/, 'the username is kept in the form');
    await browser.get('/patients').expect(302);
  });

  it('refuses an unknown user with the same message as a wrong password', async () => {
    const { response } = await submitLogin(app, 'nobody', 'demo-password');
    assert.equal(response.status, 401);
    assert.match(response.text, /Incorrect username or password\./);
  });

  it('refuses an inactive user even with the right password', async () => {
    const { browser, response } = await submitLogin(app, 'retired', 'demo-password');
    assert.equal(response.status, 403);
    assert.match(response.text, /This account is inactive\. Ask your EHR administrator to reactivate it\./);
    await browser.get('/patients').expect(302);
  });

  it('refuses a sign-in without the CSRF token with 403', async () => {
    const browser = request.agent(app);
    await browser.get('/login').expect(200);
    const response = await browser.post('/login').type('form').send({ username: 'provider', password: 'demo-password' });
    assert.equal(response.status, 403);
    assert.match(response.text, /The sign-in form expired or did not come from this site\./);
    await browser.get('/patients').expect(302);
  });

  it('refuses a sign-in whose CSRF token belongs to another session', async () => {
    const other = await request(app).get('/login').expect(200);
    const browser = request.agent(app);
    await browser.get('/login').expect(200);
    const response = await browser.post('/login').type('form')
      .send({ _csrf: csrfTokenIn(other.text), username: 'provider', password: 'demo-password' });
    assert.equal(response.status, 403);
  });

  it('returns to a local page after sign-in, and never to another site', async () => {
    const browser = request.agent(app);
    const local = await browser.get('/login?returnTo=%2Fpatients%2F1').expect(200);
    const response = await browser.post('/login').type('form').send({
      _csrf: csrfTokenIn(local.text), username: 'provider', password: 'demo-password', returnTo: '/patients/1',
    });
    assert.equal(response.headers.location, '/patients/1');
    const form = await request(app).get('/login?returnTo=//evil.example/').expect(200);
    assert.equal(form.text.includes('evil.example'), false);
    const other = request.agent(app);
    const page = await other.get('/login').expect(200);
    const offsite = await other.post('/login').type('form').send({
      _csrf: csrfTokenIn(page.text), username: 'provider', password: 'demo-password', returnTo: '//evil.example/',
    });
    assert.equal(offsite.headers.location, '/patients');
  });

  it('signs out with POST /logout and the CSRF token, ending the session', async () => {
    const browser = await signedInBrowser(app, 'frontdesk');
    const page = await browser.get('/patients').expect(200);
    await browser.post('/logout').type('form').send({}).expect(403);
    const out = await browser.post('/logout').type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(302);
    assert.equal(out.headers.location, '/login');
    await browser.get('/patients').expect(302);
  });

  it('ends the session of a user deactivated while signed in', async () => {
    const browser = await signedInBrowser(app, 'svc-portal');
    await browser.get('/patients').expect(200);
    await db.knex('ehr_users').where('login_name', 'svc-portal').update({ is_active: false });
    try {
      const response = await browser.get('/patients').expect(302);
      assert.equal(response.headers.location, '/login?returnTo=%2Fpatients');
    } finally {
      await db.knex('ehr_users').where('login_name', 'svc-portal').update({ is_active: true });
    }
  });
});
