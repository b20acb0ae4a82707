/**
 * Child process: the peer, oidc-provider 8.x standalone on 127.0.0.1 with its in-memory adapter, set up
 * for the same three grants and clients as the plugin:
 * - authorization_code with PKCE required (S256 only), and an id_token (openid fhirUser);
 * - refresh_token with rotation on every use (`rotateRefreshToken: true`);
 * - client_credentials for backend-client, authenticated by private_key_jwt (RS384, the demo public key);
 * - access tokens as RS256-signed JWTs for the FHIR base, through resource indicators (RFC 8707).
 * Interactions (login, consent) are answered at once for the demo user: the benchmark times only /token.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Provider, errors, type InteractionDetails } from 'oidc-provider';
import { listenOnLoopback, shutDownWithParent } from '../support/child-server.ts';
import {
  ACCESS_TOKEN_SECONDS, BACKEND_ACCESS_TOKEN_SECONDS, BACKEND_CLIENT, CODE_SECONDS, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
  REDIRECT_URI, type ServerReady,
} from './bench-clients.ts';
import { liftMemoryAdapterCap } from './oidc-provider-storage.ts';

const ACCOUNT = 'provider';
const RESOURCE_SCOPES = 'user/Patient.rs user/Condition.rs system/Patient.rs';

let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
// The port must be known before the Provider (its issuer is the origin), so requests go through `handle`.
const { server, origin } = await listenOnLoopback((req, res) => handle(req, res));
const fhirBaseUrl = `${origin}/fhir`;

await liftMemoryAdapterCap();
const provider = new Provider(origin, await configuration());
provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
const callback = provider.callback();
handle = (req, res) => {
  if (req.url?.startsWith('/interaction/')) answerInteraction(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  else callback(req, res);
};

shutDownWithParent(server);
const ready: ServerReady = { ready: true, origin, tokenPath: '/token', authorizePath: '/auth', fhirBaseUrl, tokenEndpoint: `${origin}/token` };
process.send?.(ready);

async function configuration(): Promise<Record<string, unknown>> {
  const backendJwk = JSON.parse(await readFile(new URL('../../samples/keys/backend-client.public.jwk.json', import.meta.url), 'utf8')) as object;
  // The same kind of key the plugin signs with: RSA 2048, RS256.
  const signing = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'peer-1', alg: 'RS256', use: 'sig' };
  return {
    clients: [
      {
        client_id: CONFIDENTIAL_CLIENT, client_secret: CONFIDENTIAL_SECRET, token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
      },
      {
        client_id: BACKEND_CLIENT, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'RS384',
        jwks: { keys: [backendJwk] }, grant_types: ['client_credentials'], response_types: [], redirect_uris: [],
      },
    ],
    jwks: { keys: [signing] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, fhirUser: 'Practitioner/1' }) }),
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    pkce: { methods: ['S256'], required: () => true },
    rotateRefreshToken: true,
    enabledJWA: { clientAuthSigningAlgValues: ['RS384', 'ES384'] },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBaseUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => {
          if (resource !== fhirBaseUrl) throw new errors.InvalidTarget();
          return {
            scope: RESOURCE_SCOPES, audience: fhirBaseUrl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } },
            accessTokenTTL: client.clientId === BACKEND_CLIENT ? BACKEND_ACCESS_TOKEN_SECONDS : ACCESS_TOKEN_SECONDS,
          };
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS, AuthorizationCode: CODE_SECONDS, ClientCredentials: BACKEND_ACCESS_TOKEN_SECONDS,
      IdToken: ACCESS_TOKEN_SECONDS, RefreshToken: 90 * 24 * 3600, Grant: 90 * 24 * 3600, Interaction: 3600, Session: 24 * 3600,
    },
  };
}

/** Login as the demo user; consent to whatever the request is missing (the package's documented Grant API). */
async function answerInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: ACCOUNT } }, { mergeWithLastSubmission: false });
    return;
  }
  const grantId = await grantFor(details);
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function grantFor(details: InteractionDetails): Promise<string> {
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined)
    ?? new provider.Grant({ accountId: details.session?.accountId ?? ACCOUNT, clientId: details.params.client_id });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  return grant.save();
}
