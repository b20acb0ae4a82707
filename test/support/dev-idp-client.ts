import assert from 'node:assert/strict';
import https from 'node:https';
import type request from 'supertest';
import type { DevIdp } from '../../samples/dev-idp/server.ts';

/** One HTTPS request to the dev-idp, trusting its CA for this request only. */
export function devIdpRequest(devIdp: DevIdp, url: string, form?: Record<string, string>): Promise<{ status: number; location?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = https.request(url, {
      method: form ? 'POST' : 'GET', ca: devIdp.ca, agent: false,
      headers: body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {},
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * From the plugin's redirect to Azure AD, what the user does at the dev-idp: open its page and click the
 * identity `email` (with a test knob when given). Returns the plugin callback path the dev-idp redirects to.
 */
export async function signInAtDevIdp(devIdp: DevIdp, toAzure: request.Response, email: string, tamper?: string): Promise<string> {
  assert.equal(toAzure.status, 302, `redirected to Azure AD (got ${toAzure.status}: ${toAzure.text?.slice(0, 300)})`);
  const authorizeUrl = String(toAzure.headers.location);
  assert.ok(authorizeUrl.startsWith(`${devIdp.origin}/`), `to the dev-idp: ${authorizeUrl}`);
  const page = await devIdpRequest(devIdp, authorizeUrl);
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, new RegExp(`<button type="submit" name="identity" value="${email}">${email}</button>`));
  const fields = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], (m[2] as string).replace(/&amp;/g, '&')]));
  const chosen = await devIdpRequest(devIdp, authorizeUrl.split('?')[0] as string, { ...fields, identity: email, ...(tamper ? { tamper } : {}) });
  assert.equal(chosen.status, 302, chosen.text);
  const callback = new URL(String(chosen.location));
  return `${callback.pathname}${callback.search}`;
}
