import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AUTH_METHODS, GRANT_TYPES, type AuthMethod, type GrantType, type RegisteredClient } from '../store/client-registration.ts';

/** How the vendor's developer portal signs the credentials it hands out (the seed's "Obtaining Application Credentials"). */
export interface VendorCredentialSettings {
  publicKey: KeyObject;
  issuer: string;
}

const ALGORITHMS: jwt.Algorithm[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'];

/** A JWT has three base64url parts; a registered client id never looks like that. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}

/**
 * Reads a client registration from a client id issued as a JWT by the vendor's developer portal: signed
 * by the vendor's certificate, `token_use` "client_id", the application id in `sub`, and the registration
 * in the claims (`client_name`, `redirect_uris`, `scope`, `grant_types`, `token_endpoint_auth_method`,
 * `launch_uri`). Tampered, expired or foreign tokens give undefined.
 */
export function clientFromVendorJwt(settings: VendorCredentialSettings, clientIdJwt: string): RegisteredClient | undefined {
  const claims = verify(settings, clientIdJwt, 'client_id');
  if (!claims || typeof claims.sub !== 'string' || !/^[A-Za-z0-9._~-]{1,100}$/.test(claims.sub)) return undefined;
  const authMethod = (claims.token_endpoint_auth_method ?? 'client_secret_basic') as AuthMethod;
  const grantTypes = (Array.isArray(claims.grant_types) ? claims.grant_types : ['authorization_code', 'refresh_token']) as GrantType[];
  const redirectUris = Array.isArray(claims.redirect_uris) ? claims.redirect_uris.filter((u): u is string => typeof u === 'string') : [];
  if (!AUTH_METHODS.includes(authMethod) || authMethod === 'private_key_jwt' || !grantTypes.every((g) => GRANT_TYPES.includes(g))) return undefined;
  return {
    clientId: `vendor:${claims.sub}`,
    name: typeof claims.client_name === 'string' ? claims.client_name : claims.sub,
    authMethod,
    hasSecret: authMethod !== 'none',
    redirectUris,
    scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
    grantTypes,
    launchUrl: typeof claims.launch_uri === 'string' ? claims.launch_uri : null,
    jwks: null,
    jwksUri: null,
    serviceUserId: null,
    accessTokenLifetimeSeconds: null,
    refreshTokenLifetimeSeconds: null,
    disabled: false,
    createdAt: new Date((claims.iat ?? 0) * 1000),
  };
}

/** True when `secretJwt` is a vendor-signed client secret for exactly this vendor client. */
export function vendorSecretMatches(settings: VendorCredentialSettings, clientId: string, secretJwt: string): boolean {
  if (!clientId.startsWith('vendor:') || !looksLikeJwt(secretJwt)) return false;
  const claims = verify(settings, secretJwt, 'client_secret');
  return Boolean(claims) && `vendor:${claims?.sub}` === clientId;
}

function verify(settings: VendorCredentialSettings, token: string, use: string): jwt.JwtPayload | undefined {
  try {
    const claims = jwt.verify(token, settings.publicKey, { algorithms: ALGORITHMS, issuer: settings.issuer }) as jwt.JwtPayload;
    return claims.token_use === use ? claims : undefined;
  } catch {
    return undefined;
  }
}
