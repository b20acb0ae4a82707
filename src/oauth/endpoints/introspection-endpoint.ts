import express, { type Router } from 'express';
import type { PluginLogger } from '../../config/options.ts';
import { InvalidClient, InvalidRequest } from '../../errors/oauth-errors.ts';
import { asyncRoute } from '../../http/async-route.ts';
import type { ClientsStore } from '../../store/clients-store.ts';
import type { AccessTokenVerifier } from '../access-token-verifier.ts';
import type { ClientAssertionVerifier } from '../client-assertion.ts';
import { authenticateClient } from '../client-authentication.ts';
import { renderOAuthError } from './render-oauth-error.ts';
import { noStore, requireFormBody } from './token-endpoint.ts';

/**
 * POST {issuer}/introspect (RFC 7662; SMART App Launch 2.2 token introspection) for registered
 * confidential clients, e.g. a resource server. An unknown, expired or revoked token is simply
 * `{"active": false}`; an active one reports its scope, client, subject and launch context.
 */
export function introspectionEndpoint(deps: {
  clients: ClientsStore; assertions: ClientAssertionVerifier; verifier: AccessTokenVerifier; logger: PluginLogger; issuer: string;
}): Router {
  const router = express.Router();
  router.post('/introspect', noStore, express.urlencoded({ extended: false, limit: '32kb' }), requireFormBody,
    asyncRoute(async (req, res) => {
      const { method } = await authenticateClient(req, deps.clients, deps.assertions);
      if (method === 'none') throw new InvalidClient('Introspection is for authenticated clients.');
      const token = req.body.token;
      if (typeof token !== 'string' || !token) throw new InvalidRequest('token is missing.');
      const verified = await deps.verifier.verify(token);
      if (!verified) {
        res.json({ active: false });
        return;
      }
      const { claims } = verified;
      const body: Record<string, unknown> = {
        active: true, scope: claims.scope, client_id: claims.client_id, sub: claims.sub, exp: claims.exp, iat: claims.iat,
        iss: deps.issuer, aud: claims.aud, token_type: 'Bearer',
      };
      for (const name of ['patient', 'encounter', 'fhirUser'] as const) if (claims[name]) body[name] = claims[name];
      res.json(body);
    }),
    renderOAuthError(deps.logger));
  return router;
}
