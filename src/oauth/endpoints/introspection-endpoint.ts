import express, { type Request, type Response, type Router } from 'express';
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
 * POST {issuer}/introspect (RFC 7662; SMART App Launch 2.2 token introspection) for confidential clients,
 * e.g. a resource server. The caller authenticates as a registered confidential client, or (SMART 2.2
 * "Authorization to perform Token Introspection") with a bearer access token this server issued to one.
 * An unknown, expired or revoked token is simply `{"active": false}`; an active one reports its scope,
 * client, subject and launch context.
 */
export function introspectionEndpoint(deps: {
  clients: ClientsStore; assertions: ClientAssertionVerifier; verifier: AccessTokenVerifier; logger: PluginLogger; issuer: string;
  styleUrl: string;
}): Router {
  const router = express.Router();
  router.post('/introspect', noStore, express.urlencoded({ extended: false, limit: '32kb' }), requireFormBody,
    asyncRoute(async (req, res) => {
      if (bearerToken(req) !== undefined) {
        if (!(await bearerAllowed(deps, req, res))) return;
      } else {
        const { method } = await authenticateClient(req, deps.clients, deps.assertions);
        if (method === 'none') throw new InvalidClient('Introspection is for authenticated clients.');
      }
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
      if (claims.patient) {
        body.need_patient_banner = claims.need_patient_banner ?? true;
        body.smart_style_url = deps.styleUrl;
      }
      res.json(body);
    }),
    renderOAuthError(deps.logger));
  return router;
}

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header !== undefined && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
}

/**
 * A bearer caller must present an active access token of ours issued to a registered, enabled confidential
 * client: the same clients that may introspect with their own credentials. Public clients' tokens may not.
 * Refusals are RFC 6750 §3 answers (RFC 7662 §2.3), written here since they are not RFC 6749 §5.2 errors.
 */
async function bearerAllowed(
  deps: { clients: ClientsStore; verifier: AccessTokenVerifier }, req: Request, res: Response,
): Promise<boolean> {
  const body = req.body as Record<string, unknown>;
  if (body.client_id !== undefined || body.client_secret !== undefined || body.client_assertion !== undefined) {
    throw new InvalidRequest('Use exactly one client authentication method.');
  }
  const verified = await deps.verifier.verify(bearerToken(req) ?? '');
  const client = verified ? await deps.clients.get(verified.record.clientId) : undefined;
  if (client && !client.disabled && client.authMethod !== 'none') return true;
  const description = client && !client.disabled
    ? 'The bearer token was issued to a public client, which may not introspect.'
    : 'The bearer token is not valid.';
  res.status(401)
    .set('WWW-Authenticate', `Bearer realm="smart-ehr-plugin", error="invalid_token", error_description="${description}"`)
    .json({ error: 'invalid_token', error_description: description });
  return false;
}
