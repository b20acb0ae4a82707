import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** The EHR user signed in to this browser session, as a string like every id the plugin sees. */
    staffUserId?: string;
    /** Synchronizer token that every state-changing form must echo back. */
    csrfToken?: string;
  }
}

/** Name of the EHR's session cookie. */
export const sessionCookieName = 'ehr.sid';

export interface StaffSessionOptions {
  secret: string;
  secureCookies: boolean;
}

/**
 * The host's own browser session for staff sign-in.
 *
 * MemoryStore (express-session's default) keeps sessions in this process only: they are lost on
 * restart and not shared between processes. That is acceptable for a single-process demo; a real EHR
 * uses a shared store (e.g. connect-session-knex on its own database).
 * SameSite=Lax rather than Strict: a SMART app sends the browser to the EHR by top-level navigation,
 * and the EHR must still recognise its signed-in user then. The cookie expires after 30 minutes
 * without activity, the usual automatic log-off for screens showing PHI.
 */
export function staffSession(options: StaffSessionOptions): RequestHandler {
  return session({
    name: sessionCookieName,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: 30 * 60 * 1000, path: '/' },
  });
}

/**
 * Who is signed in to the EHR in this browser, or undefined. This is the function the plugin's
 * "who is signed in to the host" hook will call, so that staff already signed in to the EHR are not
 * asked for their password again when a SMART app is launched.
 */
export function signedInStaffUserId(req: Request): string | undefined {
  return req.session?.staffUserId;
}

/** The session's CSRF token, created on first use. */
export function csrfTokenOf(req: Request): string {
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

/** True when the posted `_csrf` field matches the session's token (constant-time comparison). */
export function hasValidCsrfToken(req: Request): boolean {
  const expected = req.session?.csrfToken;
  const body: unknown = req.body;
  const posted = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined;
  if (typeof expected !== 'string' || typeof posted !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(posted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Replaces the session (a fresh id defeats session fixation) and signs the user in. */
export function signIn(req: Request, userId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((regenerateError) => {
      if (regenerateError) return reject(regenerateError as Error);
      req.session.staffUserId = userId;
      req.session.csrfToken = randomBytes(32).toString('base64url');
      req.session.save((saveError) => (saveError ? reject(saveError as Error) : resolve()));
    });
  });
}

export function signOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.destroy((error) => (error ? reject(error as Error) : resolve()));
  });
}
