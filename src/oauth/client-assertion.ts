import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { InvalidClient } from '../errors/oauth-errors.ts';
import type { AssertionJtiStore } from '../store/assertion-jti-store.ts';
import type { RegisteredClient } from '../store/client-registration.ts';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_LIFETIME_SECONDS = 300;
/** The jti column's width: a longer jti could not be remembered, so it could be replayed. */
const MAX_JTI_LENGTH = 255;

/**
 * Verifies a `private_key_jwt` client assertion (RFC 7523 §3, SMART App Launch 2.2
 * client-confidential-asymmetric): RS384 or ES384, signed by a key of the client's JWKS,
 * iss = sub = client_id, aud = the token endpoint, exp at most five minutes ahead, jti never reused.
 * The header must name its key (`kid`) and say `typ: JWT`, as SMART requires: a key is never guessed.
 */
export class ClientAssertionVerifier {
  private readonly remoteSets = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly jtis: AssertionJtiStore, private readonly audiences: string[]) {}

  async verify(client: RegisteredClient, assertion: string): Promise<void> {
    const invalid = () => new InvalidClient('The client assertion is not valid for this client and token endpoint.');
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      verified = await jwtVerify(assertion, this.keySet(client), {
        algorithms: ['RS384', 'ES384'], issuer: client.clientId, subject: client.clientId, typ: 'JWT',
        audience: this.audiences, requiredClaims: ['exp', 'jti'], clockTolerance: 30,
      });
    } catch {
      throw invalid();
    }
    const { payload, protectedHeader } = verified;
    if (typeof protectedHeader.kid !== 'string' || typeof payload.jti !== 'string' || payload.jti.length > MAX_JTI_LENGTH) throw invalid();
    // SMART: a `jku` header must name the JWKS URL the client registered; keys are never fetched from elsewhere.
    if (protectedHeader.jku !== undefined && protectedHeader.jku !== client.jwksUri) {
      throw new InvalidClient('The client assertion names a key set (jku) the client did not register.');
    }
    const now = Math.floor(Date.now() / 1000);
    if ((payload.exp as number) > now + MAX_LIFETIME_SECONDS + 30) {
      throw new InvalidClient('The client assertion expires more than five minutes ahead.');
    }
    if (!(await this.jtis.remember(client.clientId, payload.jti, new Date((payload.exp as number) * 1000)))) {
      throw new InvalidClient('The client assertion was used before (jti replay).');
    }
  }

  private keySet(client: RegisteredClient): JWTVerifyGetKey {
    if (client.jwks) return createLocalJWKSet(client.jwks as Parameters<typeof createLocalJWKSet>[0]);
    if (!client.jwksUri) throw new InvalidClient('The client has no registered keys.');
    let set = this.remoteSets.get(client.jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(client.jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      this.remoteSets.set(client.jwksUri, set);
    }
    return set;
  }
}
