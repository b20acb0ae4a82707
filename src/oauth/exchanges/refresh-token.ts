import { InvalidGrant, InvalidScope } from '../../errors/oauth-errors.ts';
import { limitToClient } from '../../smart/client-scope-limits.ts';
import { parseScopes } from '../../smart/parse-scope.ts';
import { limitToPermissions } from '../../smart/permission-scopes.ts';
import type { RegisteredClient } from '../../store/client-registration.ts';
import type { RefreshTokenRecord } from '../../store/tokens-store.ts';
import type { CodeContext } from '../grants/authorization-code.ts';
import type { TokenResponse } from '../token-issuer.ts';
import { accessTokenSeconds, refreshTokenSeconds, type ExchangeDeps } from './exchange-deps.ts';

const REUSED = 'The refresh token was used already; the authorization is revoked.';

/**
 * grant_type=refresh_token (RFC 6749 §6, SMART App Launch 2.2 "Refresh access token"). Refresh tokens
 * rotate: each use issues a new one and retires the old; presenting a retired one means it leaked, so the
 * whole grant is revoked (OAuth 2.1 §4.3.1). The access token's scopes may only shrink, and shrink further
 * when the user withdrew them from the grant or lost the EHR permissions for them (DESIGN §4); the new
 * refresh token keeps the old one's scope (RFC 6749 §6), so what comes back later is given back.
 */
export async function exchangeRefreshToken(
  deps: ExchangeDeps, client: RegisteredClient, refreshToken: string, requestedScope: string[] | undefined,
): Promise<TokenResponse> {
  const record = await deps.tokens.findRefreshToken(refreshToken);
  if (!record || record.clientId !== client.clientId) throw new InvalidGrant('The refresh token is not valid.');
  if (record.revokedAt) throw new InvalidGrant('The refresh token was revoked.');
  if (record.rotatedAt) await revokeForReuse(deps, record);
  // Every refusal a client can correct comes before rotation, so it does not spend the token.
  if (record.expiresAt && record.expiresAt <= new Date()) throw new InvalidGrant('The refresh token has expired.');
  const grant = await deps.grants.get(record.grantId);
  if (!grant || grant.revokedAt) throw new InvalidGrant('The authorization was withdrawn.');
  const scope = requestedScope?.filter(Boolean) ?? record.scope;
  if (scope.some((s) => !record.scope.includes(s))) {
    throw new InvalidScope('A refresh may not add scopes the original authorization did not grant.');
  }
  const context = record.context as unknown as CodeContext;
  const current = await currentScope(deps, context, scope, grant.scope);
  // Only the first of two concurrent refreshes rotates; the other is a reuse.
  if (!(await deps.tokens.rotate(record.tokenHash))) await revokeForReuse(deps, record);
  const refreshSeconds = refreshTokenSeconds(deps, client, record.scope);
  const refresh = refreshSeconds === undefined ? undefined : {
    token: await deps.tokens.issueRefreshToken({
      familyId: record.familyId, grantId: record.grantId, clientId: client.clientId, scope: record.scope,
      context: record.context, expiresAt: new Date(Date.now() + refreshSeconds * 1000),
    }),
  };
  return deps.issuer.issue({
    clientId: client.clientId, grantId: record.grantId, familyId: record.familyId, subject: context.subject, scope: current,
    accessTokenSeconds: accessTokenSeconds(deps, client), refresh, idToken: false,
    context: { patient: context.patient, encounter: context.encounter, fhirUser: context.fhirUser, needPatientBanner: context.needPatientBanner },
  });
}

async function revokeForReuse(deps: ExchangeDeps, record: RefreshTokenRecord): Promise<never> {
  await deps.grants.revoke(record.grantId, 'refresh-token-reuse');
  await deps.tokens.revokeGrant(record.grantId);
  throw new InvalidGrant(REUSED);
}

/** The scopes the grant still approves and the subject's EHR permissions still allow (both may change). */
async function currentScope(deps: ExchangeDeps, context: CodeContext, scope: string[], approved: string[]): Promise<string[]> {
  if (context.userKind === 'staff' && !(await deps.directory.findUserById(context.subject))?.isActive) {
    throw new InvalidGrant('The user account is no longer active.');
  }
  if (context.apiServerUser && !(await deps.directory.getUserRoles(context.subject)).has(deps.roles.apiServerUser)) {
    throw new InvalidGrant('The service user no longer holds the API Server User role.');
  }
  // A representative reaches a chart only through its link, which the EHR may remove (e.g. a child came of age).
  if (context.userKind === 'portal' && context.patient
    && !(await deps.directory.findPatientLinks(context.subject)).some((link) => link.patientId === context.patient)) {
    throw new InvalidGrant('This identity is no longer linked to the patient\'s chart.');
  }
  const permissions = context.userKind === 'staff'
    ? await deps.directory.getUserPermissions(context.subject)
    : await deps.directory.getRolePermissions(deps.roles.patient);
  // A chart marked sensitive since, or a Sensitive Charts permission withdrawn since, ends the access.
  if (context.patient && (await deps.directory.getPatient(context.patient))?.isSensitive
    && !deps.sensitiveChartPermissions.some((p) => permissions.has(p))) {
    throw new InvalidGrant('The patient\'s chart is restricted and this user may no longer open it.');
  }
  const stillApproved = limitToClient(parseScopes(scope.join(' ')), approved).allowed;
  return limitToPermissions(stillApproved, { resources: deps.resources, permissions }).granted;
}
