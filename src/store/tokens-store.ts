import type { Knex } from 'knex';
import { readDate, readOptionalString } from './row-values.ts';
import { newSecret, secretDigest } from './secret-digest.ts';
import type { TableNames } from './table-names.ts';

/** An issued access token's record: what introspection and revocation consult (the JWT is not stored). */
export interface AccessTokenRecord {
  tokenId: string;
  grantId: string | null;
  familyId: string | null;
  clientId: string;
  subjectId: string | null;
  patientId: string | null;
  scope: string[];
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** A refresh token's record; the token itself is kept only as a digest. */
export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  grantId: string;
  clientId: string;
  scope: string[];
  context: Record<string, unknown>;
  issuedAt: Date;
  expiresAt: Date | null;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** Access token records and refresh tokens (rotation families, RFC 6749 §6, OAuth 2.1 §4.3.1). */
export class TokensStore {
  /** Counts revocations made through this instance, so caches of verified tokens know to look again at once. */
  revocations = 0;

  constructor(private readonly knex: Knex, private readonly tables: TableNames) {}

  async recordAccessToken(record: Omit<AccessTokenRecord, 'revokedAt'>): Promise<void> {
    await this.tables.from(this.knex, 'access_tokens').insert({
      token_id: record.tokenId, grant_id: record.grantId, family_id: record.familyId, client_id: record.clientId,
      subject_id: record.subjectId, patient_id: record.patientId, scope: record.scope.join(' '),
      issued_at: record.issuedAt, expires_at: record.expiresAt, revoked_at: null,
    });
  }

  async findAccessToken(tokenId: string): Promise<AccessTokenRecord | undefined> {
    const row = await this.tables.from(this.knex, 'access_tokens').where({ token_id: tokenId }).first();
    return row ? toAccessRecord(row) : undefined;
  }

  async revokeAccessToken(tokenId: string): Promise<boolean> {
    this.revocations += 1;
    const changed = await this.tables.from(this.knex, 'access_tokens').where({ token_id: tokenId }).whereNull('revoked_at')
      .update({ revoked_at: new Date() });
    return Number(changed) > 0;
  }

  /** Issues a refresh token in a family; returns the token (shown to the client once). */
  async issueRefreshToken(record: Omit<RefreshTokenRecord, 'tokenHash' | 'rotatedAt' | 'revokedAt' | 'issuedAt'>): Promise<string> {
    const token = newSecret();
    await this.tables.from(this.knex, 'refresh_tokens').insert({
      token_hash: secretDigest(token), family_id: record.familyId, grant_id: record.grantId, client_id: record.clientId,
      scope: record.scope.join(' '), context: JSON.stringify(record.context), issued_at: new Date(),
      expires_at: record.expiresAt, rotated_at: null, revoked_at: null,
    });
    return token;
  }

  async findRefreshToken(token: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.tables.from(this.knex, 'refresh_tokens').where({ token_hash: secretDigest(token) }).first();
    return row ? toRefreshRecord(row) : undefined;
  }

  /** Marks a refresh token rotated, atomically: false when it was rotated or revoked already. */
  async rotate(tokenHash: string): Promise<boolean> {
    const changed = await this.tables.from(this.knex, 'refresh_tokens').where({ token_hash: tokenHash })
      .whereNull('rotated_at').whereNull('revoked_at').update({ rotated_at: new Date() });
    return Number(changed) > 0;
  }

  async revokeRefreshToken(tokenHash: string): Promise<boolean> {
    const changed = await this.tables.from(this.knex, 'refresh_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at')
      .update({ revoked_at: new Date() });
    return Number(changed) > 0;
  }

  /** Revokes every token of a family (one code exchange and its refreshes). */
  async revokeFamily(familyId: string, trx: Knex | Knex.Transaction = this.knex): Promise<void> {
    this.revocations += 1;
    const now = new Date();
    await this.tables.from(trx, 'access_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: now });
    await this.tables.from(trx, 'refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: now });
  }

  /** Revokes every token issued under a grant. */
  async revokeGrant(grantId: string, trx: Knex | Knex.Transaction = this.knex): Promise<void> {
    this.revocations += 1;
    const now = new Date();
    await this.tables.from(trx, 'access_tokens').where({ grant_id: grantId }).whereNull('revoked_at').update({ revoked_at: now });
    await this.tables.from(trx, 'refresh_tokens').where({ grant_id: grantId }).whereNull('revoked_at').update({ revoked_at: now });
  }
}

function toAccessRecord(row: Record<string, unknown>): AccessTokenRecord {
  return {
    tokenId: String(row.token_id),
    grantId: readOptionalString(row.grant_id),
    familyId: readOptionalString(row.family_id),
    clientId: String(row.client_id),
    subjectId: readOptionalString(row.subject_id),
    patientId: readOptionalString(row.patient_id),
    scope: String(row.scope).split(' ').filter(Boolean),
    issuedAt: readDate(row.issued_at) as Date,
    expiresAt: readDate(row.expires_at) as Date,
    revokedAt: readDate(row.revoked_at),
  };
}

function toRefreshRecord(row: Record<string, unknown>): RefreshTokenRecord {
  return {
    tokenHash: String(row.token_hash),
    familyId: String(row.family_id),
    grantId: String(row.grant_id),
    clientId: String(row.client_id),
    scope: String(row.scope).split(' ').filter(Boolean),
    context: JSON.parse(String(row.context)) as Record<string, unknown>,
    issuedAt: readDate(row.issued_at) as Date,
    expiresAt: readDate(row.expires_at),
    rotatedAt: readDate(row.rotated_at),
    revokedAt: readDate(row.revoked_at),
  };
}
