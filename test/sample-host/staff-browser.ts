import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';

/** A browser with a cookie jar, signed in to the host EHR through its real login form. */
export type Browser = ReturnType<typeof request.agent>;

/** Reads the CSRF token out of a page's form, as a browser would submit it. */
export function csrfTokenIn(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  assert.ok(match?.[1], 'the page has a form with a CSRF token');
  return match[1];
}

/** Opens the login page, then submits the form. Returns the browser and the response to the POST. */
export async function submitLogin(app: Express, username: string, password: string) {
  const browser = request.agent(app);
  const form = await browser.get('/login').expect(200);
  const response = await browser.post('/login').type('form').send({ _csrf: csrfTokenIn(form.text), username, password });
  return { browser, response };
}

/** Signs in and asserts it worked. */
export async function signedInBrowser(app: Express, username: string, password = 'demo-password'): Promise<Browser> {
  const { browser, response } = await submitLogin(app, username, password);
  assert.equal(response.status, 302, `sign-in of ${username} redirects`);
  assert.equal(response.headers.location, '/patients');
  return browser;
}
