import { InvalidGrant, InvalidRequest } from '../../errors/oauth-errors.ts';
import type { RegisteredClient } from '../../store/client-registration.ts';
import { pkceMatches } from '../check-pkce.ts';
import type { CodeContext } from '../grants/authorization-code.ts';
import type { TokenResponse } from '../token-issuer.ts';
import { accessTokenSeconds, refreshTokenSeconds, type ExchangeDeps } from './exchange-deps.ts';

const REPLAYED = 'The authorization code was used already; the tokens it issued are revoked.';

/**
 * grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5): the code is single use; a replayed
 * code revokes every token its first exchange issued (RFC 6749 §10.5), even while that exchange still runs.
 */
export async function exchangeAuthorizationCode(
  deps: ExchangeDeps, client: RegisteredClient, code: string, redirectUri: unknown, body: Record<string, unknown>,
): Promise<TokenResponse> {
  if (typeof redirectUri !== 'string' || !redirectUri) throw new InvalidRequest('redirect_uri is missing.');
  const consumed = await deps.codes.consume(code);
  if (consumed.status === 'unknown') throw new InvalidGrant('The authorization code is not valid.');
  if (consumed.status === 'replayed') {
    await deps.tokens.revokeFamily(consumed.familyId);
    throw new InvalidGrant(REPLAYED);
  }
  const record = consumed.code;
  if (consumed.status === 'expired') throw new InvalidGrant('The authorization code has expired.');
  if (record.clientId !== client.clientId) throw new InvalidGrant('The authorization code was issued to another client.');
  if (record.redirectUri !== redirectUri) throw new InvalidGrant('redirect_uri differs from the authorization request.');
  if (body.code_verifier === undefined) throw new InvalidRequest('code_verifier is missing: PKCE is required.');
  if (!pkceMatches(body.code_verifier, record.codeChallenge)) throw new InvalidGrant('code_verifier does not match the code_challenge.');
  const grant = await deps.grants.get(record.grantId);
  if (!grant || grant.revokedAt) throw new InvalidGrant('The authorization was withdrawn.');
  const context = record.context as unknown as CodeContext;
  const refreshSeconds = refreshTokenSeconds(deps, client, record.scope);
  const refresh = refreshSeconds === undefined ? undefined : {
    token: await deps.tokens.issueRefreshToken({
      familyId: consumed.familyId, grantId: grant.grantId, clientId: client.clientId, scope: record.scope,
      context: context as unknown as Record<string, unknown>, expiresAt: new Date(Date.now() + refreshSeconds * 1000),
    }),
  };
  const response = await deps.issuer.issue({
    clientId: client.clientId, grantId: grant.grantId, familyId: consumed.familyId, subject: context.subject,
    scope: record.scope, accessTokenSeconds: accessTokenSeconds(deps, client), refresh,
    idToken: record.scope.includes('openid'),
    context: {
      patient: context.patient, encounter: context.encounter, fhirUser: context.fhirUser, nonce: context.nonce,
      authTime: context.authTime, needPatientBanner: context.needPatientBanner,
    },
  });
  // A replay marks the code before it revokes the family. Marked now: it may have revoked before these tokens
  // were recorded, so revoke them here. Not marked: its revocation comes later and finds them.
  if (await deps.codes.wasReplayed(code)) {
    await deps.tokens.revokeFamily(consumed.familyId);
    throw new InvalidGrant(REPLAYED);
  }
  return response;
}
