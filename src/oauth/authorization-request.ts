import type { Request } from 'express';
import { InvalidRequest, InvalidScope, UnsupportedResponseType } from '../errors/oauth-errors.ts';
import { limitToClient } from '../smart/client-scope-limits.ts';
import { formatScopes } from '../smart/format-scope.ts';
import { parseScopes } from '../smart/parse-scope.ts';
import type { RegisteredClient } from '../store/client-registration.ts';
import type { ClientsStore } from '../store/clients-store.ts';

/** An authorization request that passed every check, as the rest of the flow sees it. */
export interface AuthorizationRequest {
  clientId: string;
  /** The client_id exactly as the app sent it (differs from clientId for developer-portal JWT credentials). */
  clientCredential: string;
  redirectUri: string;
  state: string;
  /** The requested scopes the client's registration allows, in the client's own form. */
  scope: string[];
  /** Requested scopes outside the registration, dropped (shown on the consent page). */
  refusedScope: string[];
  codeChallenge: string;
  nonce: string | null;
  /** The opaque EHR launch id, when this is an EHR launch. */
  launch: string | null;
}

/** Where errors may be sent once the client and its redirect URI are known (RFC 6749 §4.1.2.1). */
export interface RedirectTarget {
  redirectUri: string;
  state: string | undefined;
}

/** Authorization endpoint parameters: the query for GET, the form body for POST (SMART 2.2 allows both). */
export function authorizationParams(req: Request): Record<string, unknown> {
  return req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>) : (req.query as Record<string, unknown>);
}

/**
 * The checks that decide whether errors may be redirected at all: a known, enabled client and a
 * redirect_uri equal to one it registered, character for character. Anything else is never redirected to.
 */
export async function findRedirectTarget(
  params: Record<string, unknown>, clients: ClientsStore,
): Promise<{ client: RegisteredClient; target: RedirectTarget } | { problem: string }> {
  const clientId = single(params.client_id);
  const redirectUri = single(params.redirect_uri);
  if (!clientId) return { problem: 'The request does not name a client (client_id).' };
  const client = await clients.get(clientId);
  if (!client || client.disabled || !client.grantTypes.includes('authorization_code')) {
    return { problem: 'The application is not registered with this EHR for sign-in.' };
  }
  if (!redirectUri) return { problem: 'The request does not say where to return (redirect_uri).' };
  if (!client.redirectUris.includes(redirectUri)) {
    return { problem: 'The return address (redirect_uri) is not one the application registered.' };
  }
  return { client, target: { redirectUri, state: single(params.state) } };
}

/** The remaining checks (RFC 6749 §4.1.1, RFC 7636 §4.3, SMART 2.2 "Obtain authorization code"); errors are redirected. */
export function checkAuthorizationRequest(
  params: Record<string, unknown>, client: RegisteredClient, fhirBaseUrl: string,
): AuthorizationRequest {
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) throw new InvalidRequest(`The parameter ${name} is repeated.`);
  }
  if (params.response_type !== 'code') {
    if (!params.response_type) throw new InvalidRequest('response_type is missing.');
    throw new UnsupportedResponseType('Only response_type=code is supported.');
  }
  const state = single(params.state);
  if (!state) throw new InvalidRequest('state is missing.');
  const aud = single(params.aud);
  if (!aud) throw new InvalidRequest('aud is missing: name the FHIR server the token is for.');
  if (aud.replace(/\/+$/, '') !== fhirBaseUrl) throw new InvalidRequest('aud is not the FHIR base URL of this server.');
  const codeChallenge = single(params.code_challenge);
  if (!codeChallenge) throw new InvalidRequest('code_challenge is missing: PKCE is required.');
  if (params.code_challenge_method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256.');
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) throw new InvalidRequest('code_challenge is not a base64url SHA-256 digest.');
  const requested = parseScopes(single(params.scope) ?? '');
  const { allowed, refused } = limitToClient(requested, client.scopes);
  const scope = formatScopes(allowed).split(' ').filter(Boolean);
  if (!scope.some((s) => s.includes('/') && !s.startsWith('launch'))) {
    throw new InvalidScope('None of the requested scopes is a FHIR resource scope this application may request.');
  }
  const launch = single(params.launch) ?? null;
  if (launch && !scope.includes('launch')) throw new InvalidScope('An EHR launch needs the launch scope.');
  if (!launch && scope.includes('launch')) throw new InvalidRequest('The launch scope needs the launch parameter from the EHR.');
  return {
    clientId: client.clientId, clientCredential: String(params.client_id),
    redirectUri: client.redirectUris.find((u) => u === params.redirect_uri) as string,
    state, scope, refusedScope: [...refused, ...requested.unknown], codeChallenge, nonce: single(params.nonce) ?? null, launch,
  };
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
