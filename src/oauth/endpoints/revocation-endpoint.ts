import express, { type Router } from 'express';
import type { PluginLogger } from '../../config/options.ts';
import { InvalidRequest } from '../../errors/oauth-errors.ts';
import { asyncRoute } from '../../http/async-route.ts';
import type { ClientsStore } from '../../store/clients-store.ts';
import type { TokensStore } from '../../store/tokens-store.ts';
import type { AccessTokenVerifier } from '../access-token-verifier.ts';
import type { ClientAssertionVerifier } from '../client-assertion.ts';
import { authenticateClient } from '../client-authentication.ts';
import { renderOAuthError } from './render-oauth-error.ts';
import { noStore, requireFormBody } from './token-endpoint.ts';

/**
 * POST {issuer}/revoke (RFC 7009). A client revokes its own access or refresh token; revoking a refresh
 * token also revokes the access tokens of its family (§2.1). The answer is 200 whether or not the token
 * was known, so nothing is learnt about other clients' tokens.
 */
export function revocationEndpoint(deps: {
  clients: ClientsStore; assertions: ClientAssertionVerifier; verifier: AccessTokenVerifier; tokens: TokensStore; logger: PluginLogger;
}): Router {
  const router = express.Router();
  router.post('/revoke', noStore, express.urlencoded({ extended: false, limit: '32kb' }), requireFormBody,
    asyncRoute(async (req, res) => {
      const { client } = await authenticateClient(req, deps.clients, deps.assertions);
      const token = req.body.token;
      if (typeof token !== 'string' || !token) throw new InvalidRequest('token is missing.');
      const refresh = await deps.tokens.findRefreshToken(token);
      if (refresh && refresh.clientId === client.clientId) {
        await deps.tokens.revokeFamily(refresh.familyId);
      } else {
        const access = await deps.verifier.verify(token);
        if (access && access.record.clientId === client.clientId) await deps.tokens.revokeAccessToken(access.record.tokenId);
      }
      res.status(200).end();
    }),
    renderOAuthError(deps.logger));
  return router;
}
