import jwt from 'jsonwebtoken';
import type { ClientsStore } from '../store/clients-store.ts';
import type { GrantsStore } from '../store/grants-store.ts';
import type { SigningKeyStore } from '../store/signing-keys.ts';
import type { AccessTokenRecord, TokensStore } from '../store/tokens-store.ts';

/** A valid, unrevoked access token: its claims and its record. */
export interface VerifiedAccessToken {
  claims: jwt.JwtPayload & {
    client_id: string; scope: string; patient?: string; encounter?: string; fhirUser?: string; need_patient_banner?: boolean;
  };
  record: AccessTokenRecord;
  /** Who the token acts for: an EHR user (staff, service user, backend service) or a patient-portal identity. */
  subjectType: 'user' | 'portal';
}

/**
 * Checks an access token the way the resource server and introspection must: our signature (any
 * published key), issuer, audience, expiry, and the server-side record (revoked token or grant).
 */
export class AccessTokenVerifier {
  constructor(
    private readonly keys: SigningKeyStore,
    private readonly tokens: TokensStore,
    private readonly grants: GrantsStore,
    private readonly urls: { issuer: string; fhirBaseUrl: string },
    private readonly clients: Pick<ClientsStore, 'get'>,
  ) {}

  async verify(token: string): Promise<VerifiedAccessToken | undefined> {
    const decoded = jwt.decode(token, { complete: true });
    const kid = decoded && typeof decoded === 'object' ? decoded.header.kid : undefined;
    if (!kid) return undefined;
    const key = (await this.keys.published()).find((k) => k.kid === kid) ?? (await this.keys.published(true)).find((k) => k.kid === kid);
    if (!key) return undefined;
    let claims: VerifiedAccessToken['claims'];
    try {
      claims = jwt.verify(token, key.publicKey, {
        algorithms: ['RS256'], issuer: this.urls.issuer, audience: this.urls.fhirBaseUrl,
      }) as VerifiedAccessToken['claims'];
    } catch {
      return undefined;
    }
    if (typeof claims.jti !== 'string') return undefined;
    const record = await this.tokens.findAccessToken(claims.jti);
    if (!record || record.revokedAt || record.expiresAt <= new Date()) return undefined;
    let subjectType: VerifiedAccessToken['subjectType'] = 'user';
    if (record.grantId) {
      const grant = await this.grants.get(record.grantId);
      if (!grant || grant.revokedAt) return undefined;
      subjectType = grant.subjectType;
    }
    // A client that was disabled or removed loses its tokens at once. Portal-issued (vendor) clients have
    // no row to disable: their credentials expire instead.
    if (!record.clientId.startsWith('vendor:')) {
      const client = await this.clients.get(record.clientId);
      if (!client || client.disabled) return undefined;
    }
    return { claims, record, subjectType };
  }
}
