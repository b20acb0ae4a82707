import { html } from '../host-ehr/pages/html-template.ts';
import type { DevTenant } from './directory.ts';
import { TAMPERS } from './id-token.ts';

const FORWARDED = ['client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce'];

/** "Pick an account": one button per seeded identity of the tenant, labelled with its email. */
export function authorizePage(tenant: DevTenant, query: Record<string, string>, testKnobs: boolean): string {
  const title = tenant.b2c ? 'Riverside patient portal (Azure AD B2C stand-in)' : `${tenant.key} (Azure AD stand-in)`;
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in: ${title}</title></head>
<body><main>
<h1>Sign in to ${title}</h1>
<p>Local stand-in for Azure AD: pick a test identity. No password, demo only.</p>
<form method="post">
${FORWARDED.filter((name) => typeof query[name] === 'string').map((name) => html`<input type="hidden" name="${name}" value="${query[name]}">
`)}${testKnobs ? html`<label>Test knob <select name="tamper"><option value="">none</option>${TAMPERS.map((t) => html`<option>${t}</option>`)}</select></label>
` : ''}<ul>
${tenant.identities.map((identity) => html`<li><button type="submit" name="identity" value="${identity.email}">${identity.email}</button></li>
`)}</ul>
</form>
</main></body></html>`.toString();
}

export function problemPage(message: string): string {
  return html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>dev-idp: bad request</title></head>
<body><h1>Bad request</h1><p>${message}</p></body></html>`.toString();
}
