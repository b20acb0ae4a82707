import express, { type Request, type Response, type Router } from 'express';
import type { Knex } from 'knex';
import { isTrue } from '../database/boolean-column.ts';
import { html, renderPage } from '../pages/html-template.ts';
import { unknownUserHash, verifyPassword } from './password-hash.ts';
import {
  csrfTokenOf, hasValidCsrfToken, sessionCookieName, signedInStaffUserId, signIn, signOut,
} from './staff-session.ts';

// Parsers are installed on these routes only: the plugin, mounted beside them, must not depend on them.
const parseForm = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

const messages = {
  badCredentials: 'Incorrect username or password.',
  inactive: 'This account is inactive. Ask your EHR administrator to reactivate it.',
  staleForm: 'The sign-in form expired or did not come from this site. Please try again.',
} as const;

/**
 * The EHR's own staff sign-in: GET/POST /login and POST /logout, with a synchronizer CSRF token.
 * No lockout or throttling here; a production EHR adds both (and the plugin throttles its own login).
 */
export function staffLoginRoutes(knex: Knex): Router {
  const router = express.Router();

  router.get('/login', (req, res) => {
    const returnTo = localPath(req.query.returnTo);
    if (signedInStaffUserId(req)) return res.redirect(302, returnTo ?? '/patients');
    res.send(loginPage(req, { returnTo }));
  });

  router.post('/login', parseForm, async (req, res) => {
    const username = formField(req, 'username').trim();
    const returnTo = localPath(formField(req, 'returnTo'));
    if (!hasValidCsrfToken(req)) return refuse(req, res, 403, messages.staleForm, username, returnTo);
    const user = username ? await findLogin(knex, username) : undefined;
    // Always run scrypt, so an unknown username takes as long to refuse as a wrong password.
    const passwordMatches = await verifyPassword(formField(req, 'password'), user?.password_hash ?? unknownUserHash);
    if (!user || !passwordMatches) return refuse(req, res, 401, messages.badCredentials, username, returnTo);
    if (!isTrue(user.is_active)) return refuse(req, res, 403, messages.inactive, username, returnTo);
    await signIn(req, String(user.id));
    res.redirect(302, returnTo ?? '/patients');
  });

  router.post('/logout', parseForm, async (req, res) => {
    if (!hasValidCsrfToken(req)) {
      return res.status(403).send(renderPage('Sign out failed', html`<h1>Sign out failed</h1>
<p class="error" role="alert">${messages.staleForm}</p><p><a href="/patients">Back to patients</a></p>`));
    }
    await signOut(req);
    res.clearCookie(sessionCookieName, { path: '/' });
    res.redirect(302, '/login');
  });

  return router;
}

interface LoginRow {
  id: number | string;
  password_hash: string | null;
  is_active: unknown;
}

function findLogin(knex: Knex, username: string): Promise<LoginRow | undefined> {
  // Login names compare case-insensitively, as in most EHRs.
  return knex('ehr_users')
    .select('id', 'password_hash', 'is_active')
    .whereRaw('LOWER(login_name) = ?', [username.toLowerCase()])
    .orderBy('id')
    .first();
}

function refuse(req: Request, res: Response, status: number, error: string, username: string, returnTo?: string) {
  res.status(status).send(loginPage(req, { error, username, returnTo }));
}

function loginPage(req: Request, state: { error?: string; username?: string; returnTo?: string | undefined }): string {
  return renderPage('Sign in', html`<h1>Sign in</h1>
${state.error ? html`<p class="error" role="alert">${state.error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${csrfTokenOf(req)}">
${state.returnTo ? html`<input type="hidden" name="returnTo" value="${state.returnTo}">` : ''}
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required value="${state.username ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p>
</form>`);
}

function formField(req: Request, name: string): string {
  const body: unknown = req.body;
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Accepts only a path on this site, so `returnTo` cannot send a signed-in user elsewhere. */
function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  return /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : undefined;
}
