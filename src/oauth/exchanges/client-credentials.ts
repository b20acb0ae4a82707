import { InvalidClient, InvalidGrant, InvalidScope, UnauthorizedClient } from '../../errors/oauth-errors.ts';
import { limitToClient } from '../../smart/client-scope-limits.ts';
import { parseScopes } from '../../smart/parse-scope.ts';
import { limitToPermissions } from '../../smart/permission-scopes.ts';
import type { RegisteredClient } from '../../store/client-registration.ts';
import type { ClientAuthentication } from '../client-authentication.ts';
import type { TokenResponse } from '../token-issuer.ts';
import type { ExchangeDeps } from './exchange-deps.ts';

/**
 * grant_type=client_credentials (RFC 6749 §4.4; SMART Backend Services): the client acts as its
 * configured EHR service user, with `system/` scopes ∩ its registration ∩ that user's permissions.
 * Authenticated by `private_key_jwt`; a client secret only when the host allows that deprecated form.
 */
export async function exchangeClientCredentials(
  deps: ExchangeDeps, client: RegisteredClient, method: ClientAuthentication, requestedScope: string[] | undefined,
  allowSecret: boolean,
): Promise<TokenResponse> {
  if (method === 'none') throw new InvalidClient('Client authentication failed.');
  if (method !== 'private_key_jwt' && !allowSecret) {
    throw new UnauthorizedClient('client_credentials needs private_key_jwt client authentication (client secrets are deprecated for it).');
  }
  if (!client.serviceUserId) throw new UnauthorizedClient('The client has no EHR service user to act as.');
  const user = await deps.directory.findUserById(client.serviceUserId);
  if (!user?.isActive) throw new InvalidGrant('The client\'s EHR service user is missing or inactive.');
  const requested = parseScopes((requestedScope ?? client.scopes).join(' '));
  const systemOnly = { ...requested, resources: requested.resources.filter((s) => s.context === 'system'), nonResource: [] };
  const { allowed } = limitToClient(systemOnly, client.scopes);
  const permissions = await deps.directory.getUserPermissions(user.userId);
  const { granted } = limitToPermissions(allowed, { resources: deps.resources, permissions });
  if (granted.length === 0) throw new InvalidScope('None of the requested system scopes is allowed for this client and its service user.');
  return deps.issuer.issue({
    clientId: client.clientId, grantId: null, familyId: null, subject: user.userId, scope: granted,
    // Backend Services recommends five-minute tokens; a client registered for longer gets its own lifetime.
    accessTokenSeconds: client.accessTokenLifetimeSeconds ?? 300, idToken: false, context: {},
  });
}
