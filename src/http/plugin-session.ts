import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { SessionsStore } from '../store/sessions-store.ts';

/** Who is signed in to the plugin's sign-in flow. */
export type SignedInUser =
  | { kind: 'staff'; userId: string; method: 'password' | 'host-session' | 'azure-b2b'; authTime: number }
  | { kind: 'portal'; identity: string; method: 'azure-b2c'; authTime: number };

export interface PluginSessionData {
  user?: SignedInUser;
  /** Pending authorization requests, by transaction id (see `oauth/transaction-store.ts`). */
  transactions?: Record<string, unknown>;
  /** Azure AD sign-ins under way, by OAuth `state` (see `identity/azure-sign-in.ts` and `identity/run-azure-strategy.ts`). */
  azure?: Record<string, unknown>;
}

/** The plugin's own sign-in session: kept apart from any session the host app has on `req.session`. */
export interface PluginSession {
  readonly id: string;
  data: PluginSessionData;
  save(): Promise<void>;
  /** True the first time `key` is claimed, false ever after, whichever instance asks (see `SessionsStore.claimOnce`). */
  claimOnce(key: string): Promise<boolean>;
  /** A new id for the same data, after sign-in (session fixation defence). */
  regenerate(): Promise<void>;
  destroy(): Promise<void>;
}

const SESSION = Symbol('smart-ehr-plugin.session');

export function pluginSession(req: Request): PluginSession {
  const session = (req as unknown as Record<symbol, PluginSession | undefined>)[SESSION];
  if (!session) throw new Error('plugin session middleware did not run');
  return session;
}

export interface SessionCookieOptions {
  store: SessionsStore;
  signingKey: Buffer;
  cookiePath: string;
  secure: boolean;
  lifetimeSeconds: number;
}

const COOKIE = 'smart_sid';

/**
 * Loads (or starts) the plugin session from a signed, HttpOnly, SameSite=Lax cookie scoped to the
 * plugin's auth path. Sessions are saved explicitly by the handlers that change them.
 */
export function pluginSessionMiddleware(options: SessionCookieOptions): RequestHandler {
  const sign = (id: string) => createHmac('sha256', options.signingKey).update(id).digest('base64url');
  const verified = (value: string): string | undefined => {
    const [id, mac] = value.split('.');
    if (!id || !mac || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const expected = Buffer.from(sign(id));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
  };
  return (req, res, next) => {
    const load = async () => {
      const candidates = cookieValues(req.headers.cookie, COOKIE).map(verified).filter((id): id is string => Boolean(id));
      for (const id of candidates) {
        const data = await options.store.load(id);
        if (data) return attach(req, res, options, sign, id, data as PluginSessionData, false);
      }
      return attach(req, res, options, sign, newId(), {}, true);
    };
    load().then(() => next(), next);
  };
}

function attach(
  req: Request, res: Response, options: SessionCookieOptions, sign: (id: string) => string,
  initialId: string, data: PluginSessionData, isNew: boolean,
): void {
  let id = initialId;
  let cookieSent = !isNew;
  const setCookie = () => {
    res.cookie(COOKIE, `${id}.${sign(id)}`, {
      path: options.cookiePath, httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge: options.lifetimeSeconds * 1000,
    });
    cookieSent = true;
  };
  const session: PluginSession = {
    get id() { return id; },
    data,
    async save() {
      await options.store.save(id, session.data as Record<string, unknown>, new Date(Date.now() + options.lifetimeSeconds * 1000));
      if (!cookieSent) setCookie();
    },
    claimOnce(key) {
      return options.store.claimOnce(key, new Date(Date.now() + options.lifetimeSeconds * 1000));
    },
    async regenerate() {
      const old = id;
      id = newId();
      await session.save();
      setCookie();
      await options.store.destroy(old);
    },
    async destroy() {
      await options.store.destroy(id);
      res.clearCookie(COOKIE, { path: options.cookiePath });
    },
  };
  (req as unknown as Record<symbol, PluginSession>)[SESSION] = session;
}

function newId(): string {
  return randomBytes(32).toString('base64url');
}

/** Every value of one cookie in a Cookie header (a browser may send several with different paths). */
function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  return header.split(';').map((part) => part.trim()).filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
}
