import type { NextFunction, Request, Response } from 'express';
import oauth2orize from 'oauth2orize';
import type { RegisteredClient } from '../store/client-registration.ts';
import type { AuthenticatedClient } from './client-authentication.ts';
import { exchangeAuthorizationCode } from './exchanges/authorization-code.ts';
import { exchangeClientCredentials } from './exchanges/client-credentials.ts';
import type { ExchangeDeps } from './exchanges/exchange-deps.ts';
import { exchangePassword } from './exchanges/password.ts';
import { exchangeRefreshToken } from './exchanges/refresh-token.ts';
import { issueAuthorizationCode, type CodeIssueDeps } from './grants/authorization-code.ts';
import type { TokenResponse } from './token-issuer.ts';
import type { SessionTransactionStore } from './transaction-store.ts';

/** Request properties the plugin's OAuth routes set, kept off `req.user` (which the host may use). */
export const CLIENT_PROPERTY = 'smartClient';
export const USER_PROPERTY = 'smartUser';

/* eslint-disable @typescript-eslint/no-explicit-any -- oauth2orize dispatches callbacks by arity, which its types cannot express. */

/** Where a token request came from and how its client authenticated, for the grant handlers. */
export interface TokenAuthInfo {
  method: AuthenticatedClient['method'];
  sourceAddress: string;
}

type Done = (error: unknown, accessToken?: string, refreshToken?: string, params?: Record<string, unknown>) => void;

/** oauth2orize's callback shape for a full token response of ours. */
function respond(done: Done) {
  return (response: TokenResponse) => {
    const { access_token: accessToken, refresh_token: refreshToken, ...params } = response;
    done(null, String(accessToken), refreshToken === undefined ? undefined : String(refreshToken), params);
  };
}

/**
 * The oauth2orize server of one plugin instance: the authorization code grant (front channel, RFC 6749
 * §4.1) and the token exchanges (back channel), registered explicitly; implicit is never offered.
 */
export function createOAuth2Server(deps: {
  store: SessionTransactionStore; codes: CodeIssueDeps; exchanges: ExchangeDeps; allowClientCredentialsWithSecret: boolean;
  requestParser: (req: Request) => Record<string, unknown>;
}) {
  const server = oauth2orize.createServer({ store: deps.store });
  const code = oauth2orize.grant.code(issueAuthorizationCode(deps.codes) as unknown as oauth2orize.IssueGrantCodeFunction);
  // Our own request parser reads GET and POST alike (oauth2orize's reads only the query string).
  server.grant({ name: 'code', request: deps.requestParser, response: (code as any).response, error: (code as any).error } as any);

  const options = { userProperty: CLIENT_PROPERTY };
  server.exchange(oauth2orize.exchange.code(options, ((client: RegisteredClient, value: string, redirectUri: string, body: Record<string, unknown>, _info: unknown, done: Done) => {
    exchangeAuthorizationCode(deps.exchanges, client, value, redirectUri, body).then(respond(done), done);
  }) as any));
  server.exchange(oauth2orize.exchange.refreshToken(options, ((client: RegisteredClient, token: string, scope: string[] | undefined, _body: unknown, _info: unknown, done: Done) => {
    exchangeRefreshToken(deps.exchanges, client, token, scope).then(respond(done), done);
  }) as any));
  server.exchange(oauth2orize.exchange.password(options, ((client: RegisteredClient, username: string, password: string, scope: string[] | undefined, _body: unknown, info: TokenAuthInfo, done: Done) => {
    exchangePassword(deps.exchanges, client, username, password, scope, info.sourceAddress).then(respond(done), done);
  }) as any));
  server.exchange('client_credentials', ((req: Request, res: Response, next: NextFunction) => {
    const client = (req as unknown as Record<string, RegisteredClient>)[CLIENT_PROPERTY] as RegisteredClient;
    const info = (req as unknown as { authInfo: TokenAuthInfo }).authInfo;
    const scope = typeof req.body?.scope === 'string' ? String(req.body.scope).split(' ').filter(Boolean) : undefined;
    // DESIGN §3: while the secret form is allowed, every answer to it says it is deprecated, refusals included.
    if (deps.allowClientCredentialsWithSecret && info.method !== 'private_key_jwt') res.set('Deprecation', '@1767225600');
    exchangeClientCredentials(deps.exchanges, client, info.method, scope, deps.allowClientCredentialsWithSecret).then((response) => {
      res.status(200).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(response);
    }, next);
  }) as any);
  return server;
}
