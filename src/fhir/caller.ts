import type { Request } from 'express';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../oauth/access-token-verifier.ts';
import { parseScopes } from '../smart/parse-scope.ts';
import type { ResourceScope } from '../smart/parse-scope.ts';
import { bearerChallenge, type FhirHttpError } from './operation-outcome.ts';

/** The authenticated caller of one FHIR request, from its access token. */
export interface Caller {
  tokenId: string;
  clientId: string;
  /** `staff` covers every EHR user: providers, staff, service users and backend services' users. */
  kind: 'staff' | 'portal';
  /** EHR user id, or the portal identity (B2C email). */
  subject: string;
  /** The patient in context (`patient` launch context), if any. */
  patientId: string | undefined;
  scopes: readonly ResourceScope[];
  /** When the token expires (ms since the epoch). */
  expiresAt: number;
}

/** Revocations this instance made; a change means cached verifications must be redone. */
export interface RevocationCounters {
  tokens: { revocations: number };
  grants: { revocations: number };
}

/**
 * Authenticates FHIR requests (RFC 6750). Every token is fully verified (signature, audience, expiry, its
 * record, grant and client) by the authorization server's own verifier, then remembered for `ttlMs` so a burst
 * of requests does not repeat the look-ups. A revocation through this instance takes effect at once; one
 * through another instance (or an administrator's SQL) within `ttlMs`.
 */
export class CallerAuthenticator {
  private readonly cache = new Map<string, { caller: Caller; checkedAt: number; epoch: number }>();

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly counters: RevocationCounters,
    private readonly realm: string,
    private readonly ttlMs: number,
  ) {}

  async authenticate(req: Request): Promise<Caller> {
    const header = req.get('authorization');
    if (header === undefined) throw this.challenge(undefined, 'An access token is required (Authorization: Bearer).');
    // The header itself keys the cache (it lives in this process's memory only, as the request did), so a
    // repeated token costs one look-up.
    const now = Date.now();
    const epoch = this.counters.tokens.revocations + this.counters.grants.revocations;
    const hit = this.cache.get(header);
    if (hit && hit.epoch === epoch && now - hit.checkedAt < this.ttlMs && hit.caller.expiresAt > now) return hit.caller;
    const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (!match?.[1]) throw this.challenge('invalid_request', 'The Authorization header must be "Bearer" and an access token.');
    const key = header;
    const verified = await this.verifier.verify(match[1]);
    if (!verified) {
      this.cache.delete(key);
      throw this.challenge('invalid_token', 'The access token is invalid, expired or revoked.');
    }
    const caller = toCaller(verified);
    if (this.ttlMs > 0) {
      if (this.cache.size >= 10_000) this.evict(now);
      this.cache.set(key, { caller, checkedAt: now, epoch });
    }
    return caller;
  }

  private challenge(error: 'invalid_request' | 'invalid_token' | undefined, message: string): FhirHttpError {
    return bearerChallenge(this.realm, error, message);
  }

  private evict(now: number): void {
    for (const [key, entry] of this.cache) if (now - entry.checkedAt >= this.ttlMs) this.cache.delete(key);
    if (this.cache.size >= 10_000) this.cache.clear();
  }
}

function toCaller({ claims, record, subjectType }: VerifiedAccessToken): Caller {
  return {
    tokenId: record.tokenId,
    clientId: record.clientId,
    kind: subjectType === 'portal' ? 'portal' : 'staff',
    subject: record.subjectId ?? String(claims.sub),
    patientId: record.patientId ?? undefined,
    scopes: parseScopes(record.scope.join(' ')).resources,
    expiresAt: record.expiresAt.getTime(),
  };
}
