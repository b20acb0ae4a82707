import { InvalidRegistrationError } from '../errors/invalid-registration-error.ts';

export const AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'password', 'client_credentials'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
export type GrantType = (typeof GRANT_TYPES)[number];

/** What a host or the CLI submits to register a client (RFC 7591 metadata, in our words). */
export interface ClientRegistrationInput {
  clientId: string;
  name?: string;
  /** `none` for public apps; a secret method for confidential ones; `private_key_jwt` for asymmetric ones. */
  authMethod: AuthMethod;
  /** For secret methods: the secret to store (hashed). Omit to have a random one generated and returned once. */
  clientSecret?: string;
  redirectUris?: string[];
  /** Scopes the client may request; a request outside them is refused. */
  scopes: string[];
  grantTypes: GrantType[];
  launchUrl?: string;
  jwks?: { keys: Record<string, unknown>[] };
  jwksUri?: string;
  /** The EHR user a backend service acts as (client_credentials). */
  serviceUserId?: string;
  accessTokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
}

/** A registered client as the plugin sees it; never carries the secret. */
export interface RegisteredClient {
  clientId: string;
  name: string;
  authMethod: AuthMethod;
  hasSecret: boolean;
  redirectUris: string[];
  scopes: string[];
  grantTypes: GrantType[];
  launchUrl: string | null;
  jwks: { keys: Record<string, unknown>[] } | null;
  jwksUri: string | null;
  serviceUserId: string | null;
  accessTokenLifetimeSeconds: number | null;
  refreshTokenLifetimeSeconds: number | null;
  disabled: boolean;
  createdAt: Date;
}

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Checks a registration and fills defaults; throws InvalidRegistrationError naming the field. */
export function checkRegistration(input: ClientRegistrationInput): Required<Pick<ClientRegistrationInput, 'name' | 'redirectUris'>> & ClientRegistrationInput {
  if (typeof input.clientId !== 'string' || !CLIENT_ID.test(input.clientId)) {
    throw new InvalidRegistrationError('clientId', 'use 1 to 128 letters, digits, ".", "_", "~" or "-"');
  }
  if (!AUTH_METHODS.includes(input.authMethod)) {
    throw new InvalidRegistrationError('authMethod', `must be one of ${AUTH_METHODS.join(', ')}`);
  }
  if (!Array.isArray(input.grantTypes) || input.grantTypes.length === 0 || !input.grantTypes.every((g) => GRANT_TYPES.includes(g))) {
    throw new InvalidRegistrationError('grantTypes', `must be a non-empty list of ${GRANT_TYPES.join(', ')}`);
  }
  if (!Array.isArray(input.scopes) || !input.scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw new InvalidRegistrationError('scopes', 'must be a list of scope tokens (RFC 6749 §3.3)');
  }
  const redirectUris = input.redirectUris ?? [];
  redirectUris.forEach((uri, i) => checkRedirectUri(`redirectUris[${i}]`, uri));
  if (input.grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new InvalidRegistrationError('redirectUris', 'the authorization_code grant needs at least one redirect URI');
  }
  if (input.authMethod === 'none' && input.grantTypes.some((g) => g === 'password' || g === 'client_credentials')) {
    throw new InvalidRegistrationError('grantTypes', 'a public client (authMethod none) cannot use the password or client_credentials grant');
  }
  if (input.authMethod === 'none' && input.clientSecret !== undefined) {
    throw new InvalidRegistrationError('clientSecret', 'a public client has no secret');
  }
  if (input.clientSecret !== undefined && (typeof input.clientSecret !== 'string' || input.clientSecret.length < 16)) {
    throw new InvalidRegistrationError('clientSecret', 'must be at least 16 characters');
  }
  if (input.authMethod === 'private_key_jwt') checkKeys(input);
  if (input.grantTypes.includes('client_credentials') && !input.serviceUserId) {
    throw new InvalidRegistrationError('serviceUserId', 'a client_credentials client acts as an EHR service user; name it');
  }
  if (input.launchUrl !== undefined) checkAbsoluteUrl('launchUrl', input.launchUrl);
  checkLifetime('accessTokenLifetimeSeconds', input.accessTokenLifetimeSeconds);
  checkLifetime('refreshTokenLifetimeSeconds', input.refreshTokenLifetimeSeconds);
  return { ...input, name: input.name?.trim() || input.clientId, redirectUris };
}

/** Redirect URIs are matched exactly later; here we refuse what can never be safe (RFC 6749 §3.1.2, RFC 8252). */
function checkRedirectUri(field: string, uri: string): void {
  const url = checkAbsoluteUrl(field, uri);
  if (url.hash) throw new InvalidRegistrationError(field, 'must not contain a fragment');
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  const privateScheme = !['http:', 'https:'].includes(url.protocol) && url.protocol.slice(0, -1).includes('.');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback) && !privateScheme) {
    throw new InvalidRegistrationError(field, 'must use https (http only for loopback, or a reverse-domain private scheme)');
  }
}

function checkAbsoluteUrl(field: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new InvalidRegistrationError(field, 'must be an absolute URL');
  }
}

function checkKeys(input: ClientRegistrationInput): void {
  if (!input.jwks && !input.jwksUri) throw new InvalidRegistrationError('jwks', 'private_key_jwt needs jwks or jwksUri');
  if (input.jwks && (!Array.isArray(input.jwks.keys) || input.jwks.keys.length === 0)) {
    throw new InvalidRegistrationError('jwks', 'must be a JWK Set with at least one key');
  }
  if (input.jwks?.keys.some((k) => 'd' in k || 'p' in k || 'k' in k)) {
    throw new InvalidRegistrationError('jwks', 'must hold public keys only');
  }
  if (input.jwksUri !== undefined && checkAbsoluteUrl('jwksUri', input.jwksUri).protocol !== 'https:') {
    throw new InvalidRegistrationError('jwksUri', 'must be an https URL');
  }
}

function checkLifetime(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 60 || value > 31_536_000) {
    throw new InvalidRegistrationError(field, 'must be whole seconds from 60 to 31536000');
  }
}
