import express, { type Router } from 'express';
import { asyncRoute } from '../../http/async-route.ts';
import { openCors } from '../../http/cors.ts';
import type { SigningKeyStore } from '../../store/signing-keys.ts';

/** The authorization server's URLs, all derived from the configured public URL. */
export interface AuthUrls {
  issuer: string;
  fhirBaseUrl: string;
}

export const SCOPES_SUPPORTED = [
  'openid', 'fhirUser', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access',
  'patient/*.rs', 'user/*.rs', 'system/*.rs', 'patient/*.read', 'user/*.read', 'system/*.read',
];

/** SMART App Launch 2.2 conformance §"Metadata": only capabilities this server really has. */
export function smartConfiguration(urls: AuthUrls): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    jwks_uri: `${urls.issuer}/jwks`,
    authorization_endpoint: `${urls.issuer}/authorize`,
    token_endpoint: `${urls.issuer}/token`,
    introspection_endpoint: `${urls.issuer}/introspect`,
    revocation_endpoint: `${urls.issuer}/revoke`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'password', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: SCOPES_SUPPORTED,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-ehr', 'launch-standalone', 'authorize-post', 'client-public', 'client-confidential-symmetric',
      'client-confidential-asymmetric', 'context-banner', 'context-style', 'context-ehr-patient', 'context-ehr-encounter',
      'context-standalone-patient', 'sso-openid-connect', 'permission-offline',
      'permission-patient', 'permission-user', 'permission-v1', 'permission-v2',
    ],
  };
}

/** OpenID Connect Discovery 1.0 §3 for the same issuer. */
export function openidConfiguration(urls: AuthUrls): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    authorization_endpoint: `${urls.issuer}/authorize`,
    token_endpoint: `${urls.issuer}/token`,
    jwks_uri: `${urls.issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: SCOPES_SUPPORTED,
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'auth_time', 'nonce', 'fhirUser'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'password', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    code_challenge_methods_supported: ['S256'],
  };
}

/**
 * The EHR's look for embedded apps (SMART App Launch 2.2 "Styling"): a calm default a host may replace
 * by serving its own document at this path in front of the plugin.
 */
export const SMART_STYLE = {
  color_background: '#f6f7f9',
  color_error: '#b3261e',
  color_highlight: '#1d5fbf',
  color_modal_backdrop: 'rgba(16, 24, 40, 0.45)',
  color_success: '#1e7b34',
  color_text: '#1f2328',
  dim_border_radius: '6px',
  dim_font_size: '16px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  font_family_heading: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

/** GET {issuer}/jwks, {issuer}/smart-style.json and {issuer}/.well-known/openid-configuration. */
export function authDiscoveryRoutes(urls: AuthUrls, keys: SigningKeyStore): Router {
  const router = express.Router();
  const cors = openCors('GET');
  router.route('/.well-known/openid-configuration').options(cors).get(cors, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json(openidConfiguration(urls));
  });
  router.route('/smart-style.json').options(cors).get(cors, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json(SMART_STYLE);
  });
  router.route('/jwks').options(cors).get(cors, asyncRoute(async (_req, res) => {
    const published = await keys.published();
    // Make sure there is a key to publish before the first token is signed.
    const keysToPublish = published.length > 0 ? published : [await keys.signingKey()];
    res.set('Cache-Control', 'public, max-age=300').json({ keys: keysToPublish.map((k) => k.publicJwk) });
  }));
  return router;
}

/** GET {fhirBase}/.well-known/smart-configuration. */
export function smartDiscoveryRoute(urls: AuthUrls): Router {
  const router = express.Router();
  const cors = openCors('GET');
  router.route('/.well-known/smart-configuration').options(cors).get(cors, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json(smartConfiguration(urls));
  });
  return router;
}
