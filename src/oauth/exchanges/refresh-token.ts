import { InvalidGrant, InvalidScope } from '../../errors/oauth-errors.ts';
import { parseScopes } from '../../smart/parse-scope.ts';
import { limitToPermissions } from '../../smart/permission-scopes.ts';
import type { RegisteredClient } from '../../store/client-registration.ts';
import type { CodeContext } from '../grants/authorization-code.ts';
import type { TokenResponse } from '../token-issuer.ts';
import { accessTokenSeconds, refreshTokenSeconds, type ExchangeDeps } from './exchange-deps.ts';

/**
 * grant_type=refresh_token (RFC 6749 §6, SMART App Launch 2.2 "Refresh access token"). Refresh tokens
 * rotate: each use issues a new one and retires the old; presenting a retired one means it leaked, so the
 * whole grant is revoked (OAuth 2.1 §4.3.1). Scopes may only shrink, and shrink further when the user's
 * EHR permissions did.
 */
export async function exchangeRefreshToken(
  deps: ExchangeDeps, client: RegisteredClient, refreshToken: string, requestedScope: string[] | undefined,
): Promise<TokenResponse> {
  const record = await deps.tokens.findRefreshToken(refreshToken);
  if (!record || record.clientId !== client.clientId) throw new InvalidGrant('The refresh token is not valid.');
  if (record.revokedAt) throw new InvalidGrant('The refresh token was revoked.');
  if (record.rotatedAt || !(await deps.tokens.rotate(record.tokenHash))) {
    await deps.grants.revoke(record.grantId, 'refresh-token-reuse');
    await deps.tokens.revokeGrant(record.grantId);
    throw new InvalidGrant('The refresh token was used already; the authorization is revoked.');
  }
  if (record.expiresAt && record.expiresAt <= new Date()) throw new InvalidGrant('The refresh token has expired.');
  const grant = await deps.grants.get(record.grantId);
  if (!grant || grant.revokedAt) throw new InvalidGrant('The authorization was withdrawn.');
  const scope = requestedScope ?? record.scope;
  const widened = scope.filter((s) => !record.scope.includes(s));
  if (widened.length > 0) throw new InvalidScope('A refresh may not add scopes the original authorization did not grant.');
  const context = record.context as unknown as CodeContext;
  const current = await currentScope(deps, context, scope);
  const refreshSeconds = refreshTokenSeconds(deps, client, current);
  const refresh = refreshSeconds === undefined ? undefined : {
    token: await deps.tokens.issueRefreshToken({
      familyId: record.familyId, grantId: record.grantId, clientId: client.clientId, scope: current,
      context: record.context, expiresAt: new Date(Date.now() + refreshSeconds * 1000),
    }),
  };
  return deps.issuer.issue({
    clientId: client.clientId, grantId: record.grantId, familyId: record.familyId, subject: context.subject, scope: current,
    accessTokenSeconds: accessTokenSeconds(deps, client), refresh, idToken: false,
    context: { patient: context.patient, encounter: context.encounter, fhirUser: context.fhirUser, needPatientBanner: context.needPatientBanner },
  });
}

/** The scopes still allowed by the subject's EHR permissions now (a revocation shows at the next refresh). */
async function currentScope(deps: ExchangeDeps, context: CodeContext, scope: string[]): Promise<string[]> {
  if (context.userKind === 'staff' && !(await deps.directory.findUserById(context.subject))?.isActive) {
    throw new InvalidGrant('The user account is no longer active.');
  }
  if (context.apiServerUser && !(await deps.directory.getUserRoles(context.subject)).has(deps.roles.apiServerUser)) {
    throw new InvalidGrant('The service user no longer holds the API Server User role.');
  }
  const permissions = context.userKind === 'staff'
    ? await deps.directory.getUserPermissions(context.subject)
    : await deps.directory.getRolePermissions(deps.roles.patient);
  return limitToPermissions(parseScopes(scope.join(' ')), { resources: deps.resources, permissions }).granted;
}
