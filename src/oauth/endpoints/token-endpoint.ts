import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { PluginLogger } from '../../config/options.ts';
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from '../../errors/oauth-errors.ts';
import { asyncRoute } from '../../http/async-route.ts';
import type { ClientsStore } from '../../store/clients-store.ts';
import { GRANT_TYPES, type GrantType } from '../../store/client-registration.ts';
import type { ClientAssertionVerifier } from '../client-assertion.ts';
import { authenticateClient } from '../client-authentication.ts';
import { CLIENT_PROPERTY, type TokenAuthInfo } from '../oauth2-server.ts';
import { renderOAuthError } from './render-oauth-error.ts';

/**
 * POST {issuer}/token (RFC 6749 §3.2), as small steps: no caching, a form body, a known grant type,
 * client authentication, the client's permission for that grant type, then oauth2orize's exchange.
 */
export function tokenEndpoint(deps: {
  clients: ClientsStore; assertions: ClientAssertionVerifier; logger: PluginLogger;
  exchange: (req: Request, res: Response, next: NextFunction) => void;
}): Router {
  const router = express.Router();
  router.post('/token',
    noStore,
    express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 }),
    requireFormBody,
    supportedGrantType,
    asyncRoute(async (req, _res, next) => {
      const { client, method } = await authenticateClient(req, deps.clients, deps.assertions);
      if (!client.grantTypes.includes(req.body.grant_type as GrantType)) {
        throw new UnauthorizedClient(`This client is not registered for the ${String(req.body.grant_type)} grant.`);
      }
      (req as unknown as Record<string, unknown>)[CLIENT_PROPERTY] = client;
      const authInfo: TokenAuthInfo = { method, sourceAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
      (req as unknown as { authInfo: TokenAuthInfo }).authInfo = authInfo;
      next();
    }),
    deps.exchange,
    renderOAuthError(deps.logger));
  return router;
}

export const noStore = (_req: Request, res: Response, next: NextFunction): void => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  next();
};

/** The body must be application/x-www-form-urlencoded (RFC 6749 §3.2); a JSON body is refused plainly. */
export function requireFormBody(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/x-www-form-urlencoded')) {
    next(new InvalidRequest('Send the parameters as application/x-www-form-urlencoded.'));
    return;
  }
  req.body ??= {};
  for (const [name, value] of Object.entries(req.body as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      next(new InvalidRequest(`The parameter ${name} is repeated.`));
      return;
    }
  }
  next();
}

function supportedGrantType(req: Request, _res: Response, next: NextFunction): void {
  const type = req.body.grant_type;
  if (typeof type !== 'string' || !type) next(new InvalidRequest('grant_type is missing.'));
  else if (!GRANT_TYPES.includes(type as GrantType)) next(new UnsupportedGrantType(`The ${type} grant is not supported.`));
  else next();
}
