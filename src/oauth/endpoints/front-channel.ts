import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { PluginLogger } from '../../config/options.ts';
import { OAuthError, toOAuthError } from '../../errors/oauth-errors.ts';
import type { HostDirectory } from '../../host/host-directory.ts';
import { pluginSession, type SignedInUser } from '../../http/plugin-session.ts';
import type { RedirectTarget } from '../authorization-request.ts';
import { checkFlowUser } from '../interaction.ts';
import { USER_PROPERTY } from '../oauth2-server.ts';
import { errorPage } from '../pages/index.ts';
import { TransactionNotFound, type FlowInfo, type SessionTransactionStore } from '../transaction-store.ts';
import { loggableError } from '../../errors/loggable-error.ts';

/** The pending transaction as oauth2orize's loader puts it on `req.oauth2`. */
export interface LoadedTransaction {
  transactionID: string;
  client: { clientId: string; name: string };
  redirectURI: string;
  req: { state?: string; smart: import('../authorization-request.ts').AuthorizationRequest };
  info?: FlowInfo;
  user?: SignedInUser;
}

export function transactionOf(req: Request): LoadedTransaction {
  return (req as unknown as { oauth2: LoadedTransaction }).oauth2;
}

/** Loads the transaction a page names from this browser's session onto `req.oauth2`. */
export function loadTransaction(store: SessionTransactionStore): RequestHandler {
  return (req, _res, next) => {
    store.load(req, (error, txn) => {
      if (error) return next(error);
      (req as unknown as { oauth2: unknown }).oauth2 = txn;
      next();
    });
  };
}

/** Headers of every sign-in, picker and consent page: no framing, no caching, a strict CSP. */
export function pageHeaders(formTargets: (req: Request) => string[] = () => []): RequestHandler {
  return (req, res, next) => {
    setPageHeaders(res, formTargets(req));
    next();
  };
}

function setPageHeaders(res: Response, formTargets: string[] = []): void {
  const targets = formTargets.join(' ');
  res.set({
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'${targets ? ` ${targets}` : ''}; frame-ancestors 'none'; base-uri 'none'`,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
}

/** The origin (or private scheme) a redirect after a form post goes to: browsers check it against form-action. */
export function redirectOrigin(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

/** CSRF token of a transaction in this session: an HMAC, so nothing extra is stored. */
export function csrfToken(key: Buffer, req: Request, transactionId: string): string {
  return createHmac('sha256', key).update(`${pluginSession(req).id}:${transactionId}`).digest('base64url');
}

export function csrfMatches(key: Buffer, req: Request, transactionId: string): boolean {
  const given = Buffer.from(String((req.body as Record<string, unknown> | undefined)?.csrf_token ?? ''));
  const expected = Buffer.from(csrfToken(key, req, transactionId));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Puts the signed-in user on `req.smartUser`. The host EHR's own session wins: a user signed in to the
 * EHR is not asked again, and a different person at the EHR replaces an older plugin sign-in.
 */
export function loadSignedInUser(
  directory: HostDirectory, currentHostUser: ((req: Request) => string | undefined | Promise<string | undefined>) | undefined,
): RequestHandler {
  return (req, _res, next) => {
    const load = async () => {
      const session = pluginSession(req);
      const hostUserId = currentHostUser ? await currentHostUser(req) : undefined;
      const current = session.data.user;
      if (hostUserId && !(current?.kind === 'staff' && current.userId === hostUserId)) {
        const user = await directory.findUserById(hostUserId);
        if (user?.isActive) {
          session.data.user = { kind: 'staff', userId: user.userId, method: 'host-session', authTime: Math.floor(Date.now() / 1000) };
          await session.regenerate();
        }
      }
      (req as unknown as Record<string, unknown>)[USER_PROPERTY] = session.data.user;
    };
    load().then(() => next(), next);
  };
}

/**
 * Lets a page serve only the step its transaction waits on; any other step is sent to the right page.
 * Without it a consent posted while the picker waits would issue a code with no patient, and a
 * sign-in posted at consent would hand one user's launch context to another.
 */
export function requireStep(authPath: string, step: NonNullable<FlowInfo['step']>): RequestHandler {
  return (req, res, next) => {
    const txn = transactionOf(req);
    const waitsOn = txn.info?.step ?? 'sign-in';
    if (waitsOn === step) return next();
    redirectToStep(res, authPath, waitsOn, txn.transactionID);
  };
}

/** After `loadSignedInUser`: a flow whose user changed (see `checkFlowUser`) ends with invalid_request. */
export function requireFlowUser(): RequestHandler {
  return (req, _res, next) => {
    const user = (req as unknown as Record<string, SignedInUser | undefined>)[USER_PROPERTY];
    try {
      if (user) checkFlowUser(transactionOf(req).info ?? {}, user);
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The user signed in to this flow, if any. */
export function signedIn(req: Request): SignedInUser | undefined {
  return (req as unknown as Record<string, SignedInUser | undefined>)[USER_PROPERTY];
}

/** Pages after sign-in send a browser without a signed-in user back to the sign-in page. */
export function requireUser(deps: { authPath: string }): RequestHandler {
  return (req, res, next) => {
    if (signedIn(req)) return next();
    redirectToStep(res, deps.authPath, 'sign-in', transactionOf(req).transactionID);
  };
}

/** Sends the browser to the page the flow waits on. */
export function redirectToStep(res: Response, authPath: string, step: string, transactionId: string): void {
  res.redirect(303, `${authPath}/${step}?transaction_id=${encodeURIComponent(transactionId)}`);
}

/**
 * Errors of the front channel (RFC 6749 §4.1.2.1): once the client and its exact redirect URI are known
 * the error goes back to the app with `state`; before that (unknown client or redirect URI, or a
 * transaction this browser does not hold) the user sees a page and nothing is redirected.
 */
export function frontChannelErrors(logger: PluginLogger, assetsPath: string): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    // An error can come before the page's own headers ran (a step's transaction is loaded first);
    // redirects and error pages must not be cached or framed either.
    setPageHeaders(res);
    if (error instanceof TransactionNotFound) {
      res.status(400).send(errorPage({ assetsPath }, {
        status: 400, title: 'This sign-in has expired',
        message: 'This sign-in request has expired or was already completed. Go back to the app and start again.',
      }));
      return;
    }
    const target = redirectTargetOf(req, res);
    const oauth = toOAuthError(error);
    if (oauth.status >= 500) logger.error('authorization flow failed', loggableError(error));
    if (target && (error instanceof OAuthError || oauth.status < 500 || oauth.code === 'server_error')) {
      const url = new URL(target.redirectUri);
      url.searchParams.set('error', oauth.code);
      url.searchParams.set('error_description', oauth.description);
      if (target.state) url.searchParams.set('state', target.state);
      res.redirect(302, url.href);
      return;
    }
    res.status(oauth.status >= 500 ? 500 : 400).send(errorPage({ assetsPath }, {
      status: oauth.status, title: 'The app\'s sign-in request cannot be used', message: oauth.description,
    }));
  };
}

const TARGET = Symbol('smart-ehr-plugin.redirect-target');

export function setRedirectTarget(res: Response, target: RedirectTarget): void {
  (res.locals as Record<symbol, RedirectTarget>)[TARGET] = target;
}

function redirectTargetOf(req: Request, res: Response): RedirectTarget | undefined {
  const early = (res.locals as Record<symbol, RedirectTarget | undefined>)[TARGET];
  if (early) return early;
  const txn = (req as unknown as { oauth2?: LoadedTransaction }).oauth2;
  return txn?.redirectURI ? { redirectUri: txn.redirectURI, state: txn.req?.smart?.state ?? txn.req?.state } : undefined;
}
