/**
 * OAuth 2.0 errors, one class per code, each with the HTTP status RFC 6749 §5.2 (token endpoint),
 * §4.1.2.1 (authorization endpoint, redirected), RFC 6750 §3.1 (resource server) and RFC 7009 give it.
 * `description` is written for the client developer and must never carry secrets, tokens or PHI.
 * Rendered in exactly one place: `oauth/endpoints/render-oauth-error.ts`.
 */
export abstract class OAuthError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  constructor(readonly description: string) {
    super(description);
  }
}

export class InvalidRequest extends OAuthError {
  override readonly name = 'InvalidRequest';
  readonly code = 'invalid_request';
  readonly status = 400;
}

/** The only error answered with 401, with a WWW-Authenticate challenge (RFC 6749 §5.2). */
export class InvalidClient extends OAuthError {
  override readonly name = 'InvalidClient';
  readonly code = 'invalid_client';
  readonly status = 401;
}

export class InvalidGrant extends OAuthError {
  override readonly name = 'InvalidGrant';
  readonly code = 'invalid_grant';
  readonly status = 400;
}

export class UnauthorizedClient extends OAuthError {
  override readonly name = 'UnauthorizedClient';
  readonly code = 'unauthorized_client';
  readonly status = 400;
}

export class UnsupportedGrantType extends OAuthError {
  override readonly name = 'UnsupportedGrantType';
  readonly code = 'unsupported_grant_type';
  readonly status = 400;
}

export class InvalidScope extends OAuthError {
  override readonly name = 'InvalidScope';
  readonly code = 'invalid_scope';
  readonly status = 400;
}

/** Authorization endpoint only: the user or the server denied the request. */
export class AccessDenied extends OAuthError {
  override readonly name = 'AccessDenied';
  readonly code = 'access_denied';
  readonly status = 403;
}

export class UnsupportedResponseType extends OAuthError {
  override readonly name = 'UnsupportedResponseType';
  readonly code = 'unsupported_response_type';
  readonly status = 400;
}

/** RFC 7009 §2.2.1: revocation of a token type the server does not support. */
export class UnsupportedTokenType extends OAuthError {
  override readonly name = 'UnsupportedTokenType';
  readonly code = 'unsupported_token_type';
  readonly status = 400;
}

export class ServerError extends OAuthError {
  override readonly name = 'ServerError';
  readonly code = 'server_error';
  readonly status = 500;
}

export class TemporarilyUnavailable extends OAuthError {
  override readonly name = 'TemporarilyUnavailable';
  readonly code = 'temporarily_unavailable';
  readonly status = 503;
}

const BY_CODE: Record<string, new (description: string) => OAuthError> = {
  invalid_request: InvalidRequest,
  invalid_client: InvalidClient,
  invalid_grant: InvalidGrant,
  unauthorized_client: UnauthorizedClient,
  unsupported_grant_type: UnsupportedGrantType,
  invalid_scope: InvalidScope,
  access_denied: AccessDenied,
  unsupported_response_type: UnsupportedResponseType,
  server_error: ServerError,
  temporarily_unavailable: TemporarilyUnavailable,
};

/**
 * Maps whatever reached an OAuth error handler to one of our classes: ours pass through; oauth2orize's
 * (which carry RFC codes but non-RFC statuses) and body-parser's are translated; anything else is a
 * server_error whose message is not shown.
 */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const e = error as { code?: unknown; message?: unknown; status?: unknown; type?: unknown };
  if (typeof e?.code === 'string' && BY_CODE[e.code] && isOauth2orizeError(error)) {
    return new (BY_CODE[e.code] as new (d: string) => OAuthError)(String(e.message ?? ''));
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new InvalidRequest('The request body could not be read.');
  }
  return new ServerError('The server could not complete the request.');
}

function isOauth2orizeError(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'AuthorizationError' || name === 'TokenError' || name === 'OAuth2Error';
}
