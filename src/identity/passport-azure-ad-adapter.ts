import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { Strategy } from 'passport';
import { AzureHttpClient, AzureRequestError } from './azure-http-client.ts';

/**
 * The one file that knows passport-azure-ad (pinned at 4.3.5; deprecated upstream). It builds OIDCStrategy
 * instances in authorization-code, query, session mode, and replaces two of their private steps on each
 * instance (never on the prototype, so no other user of the package is affected):
 * - the metadata and signing-key download, and
 * - the authorization code redemption,
 * with `AzureHttpClient`, which has a deadline and can trust an extra CA for these requests alone. The
 * package offers no hook for either (its requests use the process-wide https agent, or a proxy agent).
 */
const requireCjs = createRequire(import.meta.url);
const { OIDCStrategy } = requireCjs('passport-azure-ad') as { OIDCStrategy: new (options: object, verify: Function) => OidcStrategyInternals };

/** The private parts of passport-azure-ad 4.3.5's OIDCStrategy this adapter replaces or reads. */
interface OidcStrategyInternals extends Strategy {
  name: string;
  collectInfoFromReq(params: CollectedParams, req: object, next: (error?: Error) => void, response: unknown): void;
  _getAccessTokenBySecretOrAssertion(code: string, config: RedemptionConfig, next: unknown, callback: (error: Error | null, result?: object) => void): void;
}

interface CollectedParams {
  cachekey: string;
  metadata?: LibraryMetadata;
}

interface LibraryMetadata {
  url: string;
  metadata: unknown;
  oidc: unknown;
  fetch(callback: (error?: Error) => void): void;
}

interface RedemptionConfig {
  token_endpoint: string;
  clientID: string;
  clientSecret: string;
  redirectUrl: string;
  scope: string;
  extraTokenReqQueryParams?: Record<string, string>;
}

export interface AzureStrategyConfig {
  /** The strategy's name on the plugin's Passport instance. */
  name: string;
  metadataUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  /** B2C: the policy comes from the `p` query parameter when the flow starts. */
  isB2C: boolean;
  /** Allows an http redirect URL (development only). */
  allowHttpRedirect: boolean;
  /** How long a started sign-in's state and nonce stay valid. */
  stateLifetimeSeconds: number;
  http: AzureHttpClient;
}

/** Why the strategy could not use Azure AD during this request (recorded on the request, read by the route). */
const UNAVAILABLE = Symbol('smart-ehr-plugin.azure-unavailable');

export function azureUnavailable(req: object): string | undefined {
  return (req as Record<symbol, string | undefined>)[UNAVAILABLE];
}

/**
 * An OIDCStrategy whose verify step hands the validated id_token claims on unchanged: matching them to an
 * EHR user or patient links is the route's business (see `azure-identity.ts`).
 */
export function createAzureStrategy(config: AzureStrategyConfig): Strategy {
  const strategy = new OIDCStrategy({
    identityMetadata: config.metadataUrl,
    clientID: config.clientId,
    clientSecret: config.clientSecret,
    redirectUrl: config.redirectUrl,
    allowHttpForRedirectUrl: config.allowHttpRedirect,
    responseType: 'code',
    responseMode: 'query',
    useCookieInsteadOfSession: false,
    sessionKey: `azure:${config.name}`,
    isB2C: config.isB2C,
    validateIssuer: true,
    passReqToCallback: false,
    scope: config.isB2C ? ['openid', 'offline_access'] : ['openid', 'profile'],
    nonceLifetime: config.stateLifetimeSeconds,
    nonceMaxAmount: 5,
    loggingLevel: 'error',
    loggingNoPII: true,
  }, (_iss: string, _sub: string, _profile: unknown, claims: Record<string, unknown>, _at: unknown, _rt: unknown, _params: unknown,
    done: (error: Error | null, user?: unknown) => void) => done(null, claims));
  strategy.name = config.name;
  replaceDownloads(strategy, config);
  return strategy;
}

function replaceDownloads(strategy: OidcStrategyInternals, config: AzureStrategyConfig): void {
  const collect = strategy.collectInfoFromReq;
  // The package caches metadata per URL in a module-wide cache; this instance's entries are its own.
  const cachePrefix = `${randomBytes(8).toString('hex')} `;
  strategy.collectInfoFromReq = function collectInfo(this: OidcStrategyInternals, params, req, next, response) {
    collect.call(this, params, req, (error?: Error) => {
      if (!error && params.metadata) {
        const metadata = params.metadata;
        params.cachekey = cachePrefix + params.cachekey;
        metadata.fetch = (callback) => {
          loadMetadata(config.http, metadata).then(() => callback(), (failure: Error) => {
            (req as Record<symbol, string>)[UNAVAILABLE] = failure.message;
            callback(failure);
          });
        };
        (this as unknown as Record<symbol, object>)[UNAVAILABLE] = req;
      }
      next(error);
    }, response);
  };
  strategy._getAccessTokenBySecretOrAssertion = function redeem(this: OidcStrategyInternals, code, oauth, _next, callback) {
    const req = (this as unknown as Record<symbol, object | undefined>)[UNAVAILABLE];
    config.http.postForm(oauth.token_endpoint, {
      ...oauth.extraTokenReqQueryParams, grant_type: 'authorization_code', code, client_id: oauth.clientID,
      client_secret: oauth.clientSecret, redirect_uri: oauth.redirectUrl, scope: oauth.scope,
    }).then((result) => callback(null, result), (failure: Error) => {
      if (req && failure instanceof AzureRequestError && !failure.answered) (req as Record<symbol, string>)[UNAVAILABLE] = failure.message;
      callback(failure);
    });
  };
}

/** Fills the package's metadata object as its own `fetch` would: OpenID discovery, then the signing keys. */
async function loadMetadata(http: AzureHttpClient, metadata: LibraryMetadata): Promise<void> {
  const doc = await http.getJson(metadata.url);
  const text = (name: string) => (typeof doc[name] === 'string' ? doc[name] as string : undefined);
  const jwksUri = text('jwks_uri');
  if (!jwksUri || !text('issuer') || !text('authorization_endpoint') || !text('token_endpoint')) {
    throw new AzureRequestError(`${new URL(metadata.url).origin} metadata lacks issuer, endpoints or jwks_uri`, true);
  }
  const jwks = await http.getJson(jwksUri);
  if (!Array.isArray(jwks.keys)) throw new AzureRequestError(`${new URL(jwksUri).origin} key set has no keys`, true);
  metadata.metadata = doc;
  metadata.oidc = {
    algorithms: doc.id_token_signing_alg_values_supported,
    authorization_endpoint: text('authorization_endpoint'),
    end_session_endpoint: text('end_session_endpoint'),
    issuer: text('issuer'),
    token_endpoint: text('token_endpoint'),
    userinfo_endpoint: text('userinfo_endpoint'),
    keys: jwks.keys,
  };
}
