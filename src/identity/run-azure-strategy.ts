import type { Request } from 'express';
import type { Passport } from 'passport';
import type { PluginSession } from '../http/plugin-session.ts';
import { azureUnavailable } from './passport-azure-ad-adapter.ts';

/** What an Azure AD strategy concluded for one request. */
export type AzureOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'verified'; claims: Record<string, unknown> }
  /** The response could not be verified (state, signature, issuer, audience, nonce, expiry, policy…). */
  | { kind: 'refused'; reason: string }
  /** Azure AD could not be reached, or its metadata was unusable. */
  | { kind: 'unavailable'; reason: string };

/**
 * Runs a strategy of the plugin's own Passport instance and reports its outcome instead of letting it write
 * the response: the route must save the plugin session before the browser is sent to Azure AD.
 *
 * passport-azure-ad keeps each started sign-in's state and nonce on `req.session`. The plugin installs no
 * session middleware, so for the duration of the run `req.session` is a plain object backed by the plugin
 * session's `azure` slot; whatever the host had there is put back afterwards.
 */
export async function runAzureStrategy(
  passport: InstanceType<typeof Passport>, name: string, req: Request, session: PluginSession, options: Record<string, unknown> = {},
): Promise<AzureOutcome> {
  const own = Object.getOwnPropertyDescriptor(req, 'session');
  const bag = (session.data.azure ??= {});
  const stateBag = ((bag.strategies as Record<string, unknown> | undefined) ??= {});
  bag.strategies = stateBag;
  Object.defineProperty(req, 'session', { value: stateBag, configurable: true, writable: true, enumerable: true });
  try {
    return await new Promise<AzureOutcome>((resolve, reject) => {
      const capture = {
        statusCode: 200,
        setHeader(header: string, value: string) {
          if (header.toLowerCase() === 'location') resolve({ kind: 'redirect', url: value });
        },
        end() {},
      };
      passport.authenticate(name, { session: false, ...options }, (error: unknown, user: unknown, challenge: unknown) => {
        if (error) return reject(error);
        if (user) return resolve({ kind: 'verified', claims: user as Record<string, unknown> });
        const unavailable = azureUnavailable(req);
        resolve(unavailable ? { kind: 'unavailable', reason: unavailable } : { kind: 'refused', reason: String(challenge ?? 'unknown') });
      })(req, capture, (error?: unknown) => reject(error ?? new Error(`strategy ${name} passed`)));
    });
  } finally {
    if (own) Object.defineProperty(req, 'session', own);
    else delete (req as unknown as Record<string, unknown>).session;
  }
}
