import { randomBytes } from 'node:crypto';
import { InvalidGrant, InvalidRequest, InvalidScope } from '../../errors/oauth-errors.ts';
import { limitToClient } from '../../smart/client-scope-limits.ts';
import { formatScopes } from '../../smart/format-scope.ts';
import { parseScopes } from '../../smart/parse-scope.ts';
import { limitToPermissions } from '../../smart/permission-scopes.ts';
import type { RegisteredClient } from '../../store/client-registration.ts';
import type { Grant } from '../../store/grants-store.ts';
import type { CodeContext } from '../grants/authorization-code.ts';
import type { TokenResponse } from '../token-issuer.ts';
import { accessTokenSeconds, refreshTokenSeconds, type ExchangeDeps } from './exchange-deps.ts';

/**
 * grant_type=password for service applications (RFC 6749 §4.3; the seed's "Application Service
 * Authentication"): all four of client_id, client_secret, username and password, and the user must hold
 * the "API Server User" role. The organisation approved the application offline, so there is no consent
 * page; the token carries the requested scopes ∩ the client's registration ∩ the user's permissions.
 */
export async function exchangePassword(
  deps: ExchangeDeps, client: RegisteredClient, username: string, password: string,
  requestedScope: string[] | undefined, sourceAddress: string,
): Promise<TokenResponse> {
  if (!username || !password) throw new InvalidRequest('username and password are both required.');
  const result = await deps.signIn.verify(username, password, sourceAddress);
  if (!result.ok) {
    throw new InvalidGrant(result.reason === 'locked' ? 'The account or address is locked after repeated failures; try again later.'
      : result.reason === 'inactive' ? 'The user account is inactive.' : 'The username or password is not correct.');
  }
  const user = result.user;
  if (!(await deps.directory.getUserRoles(user.userId)).has(deps.roles.apiServerUser)) {
    throw new InvalidGrant(`The password grant is for service users with the "${deps.roles.apiServerUser}" role.`);
  }
  const requested = parseScopes((requestedScope ?? client.scopes).join(' '));
  const { allowed } = limitToClient(requested, client.scopes);
  const permissions = await deps.directory.getUserPermissions(user.userId);
  const withoutLaunch = { ...allowed, nonResource: allowed.nonResource.filter((s) => !s.startsWith('launch')) };
  const { granted } = limitToPermissions(withoutLaunch, { resources: deps.resources, permissions });
  if (!granted.some((s) => s.includes('/'))) {
    throw new InvalidScope(`None of the requested scopes is allowed for this client and user (${formatScopes(requested) || 'none requested'}).`);
  }
  const grant = await recordGrant(deps, client.clientId, user.userId, granted);
  const context: CodeContext = {
    subject: user.userId, userKind: 'staff', fhirUser: user.fhirUser, patient: null, encounter: null, nonce: null,
    authTime: Math.floor(Date.now() / 1000), needPatientBanner: false, dropped: [], apiServerUser: true,
  };
  // Each sign-in is its own token family, so revoking one instance's refresh token leaves the others alone.
  const familyId = randomBytes(16).toString('base64url');
  const refreshSeconds = refreshTokenSeconds(deps, client, granted);
  const refresh = refreshSeconds === undefined ? undefined : {
    token: await deps.tokens.issueRefreshToken({
      familyId, grantId: grant.grantId, clientId: client.clientId, scope: granted,
      context: context as unknown as Record<string, unknown>, expiresAt: new Date(Date.now() + refreshSeconds * 1000),
    }),
  };
  return deps.issuer.issue({
    clientId: client.clientId, grantId: grant.grantId, familyId, subject: user.userId, scope: granted,
    accessTokenSeconds: accessTokenSeconds(deps, client), refresh,
    idToken: granted.includes('openid'), context: { fhirUser: user.fhirUser },
  });
}

/** The organisation's standing approval of this client for this service user, widened to what is granted now. */
async function recordGrant(deps: ExchangeDeps, clientId: string, userId: string, granted: string[]): Promise<Grant> {
  const existing = (await deps.grants.listActive('user', userId, clientId)).find((g) => g.patientId === null);
  if (!existing) return deps.grants.create({ clientId, subjectType: 'user', subjectId: userId, patientId: null, scope: granted });
  const union = [...new Set([...existing.scope, ...granted])];
  if (union.length !== existing.scope.length) await deps.grants.widen(existing.grantId, union);
  return existing;
}
