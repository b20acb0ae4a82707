import type { Knex } from 'knex';
import { readDate } from './row-values.ts';
import { newSecret, secretDigest } from './secret-digest.ts';
import type { TableNames } from './table-names.ts';

/** What a code carries from the authorization request to the token request. */
export interface CodeRecord {
  clientId: string;
  grantId: string;
  redirectUri: string;
  scope: string[];
  codeChallenge: string;
  context: Record<string, unknown>;
  expiresAt: Date;
}

export type ConsumedCode =
  | { status: 'ok'; code: CodeRecord; familyId: string }
  | { status: 'replayed' | 'expired'; code: CodeRecord; familyId: string }
  | { status: 'unknown' };

/**
 * Authorization codes (RFC 6749 §4.1.2): random, stored as a digest, single use. The token family a code
 * starts is derived from its digest, so a replayed code can revoke exactly what it issued (RFC 6749 §10.5).
 */
export class AuthorizationCodesStore {
  constructor(private readonly knex: Knex, private readonly tables: TableNames) {}

  async create(record: CodeRecord): Promise<string> {
    const code = newSecret();
    await this.tables.from(this.knex, 'authorization_codes').insert({
      code_hash: secretDigest(code), client_id: record.clientId, grant_id: record.grantId, redirect_uri: record.redirectUri,
      scope: record.scope.join(' '), code_challenge: record.codeChallenge, context: JSON.stringify(record.context),
      expires_at: record.expiresAt, used_at: null, created_at: new Date(),
    });
    return code;
  }

  /**
   * Marks a code used, atomically: only the first of two concurrent exchanges gets `ok`. A later one is a
   * replay, and is recorded on the code before the caller revokes anything (see `wasReplayed`).
   */
  async consume(code: string): Promise<ConsumedCode> {
    const hash = secretDigest(code);
    const now = new Date();
    const claimed = Number(await this.row(hash).whereNull('used_at').update({ used_at: now }));
    if (claimed === 0) await this.row(hash).whereNull('replayed_at').update({ replayed_at: now });
    const row = await this.row(hash).first();
    if (!row) return { status: 'unknown' };
    const record = toRecord(row);
    const familyId = secretDigest(`family:${hash}`).slice(0, 43);
    if (claimed === 0) return { status: 'replayed', code: record, familyId };
    if (record.expiresAt <= new Date()) return { status: 'expired', code: record, familyId };
    return { status: 'ok', code: record, familyId };
  }

  /**
   * Whether a replay of the code has come (RFC 6749 §10.5). The first exchange asks once its tokens are
   * recorded: a replay that came earlier revoked the family before those tokens existed.
   */
  async wasReplayed(code: string): Promise<boolean> {
    const row = await this.row(secretDigest(code)).first('replayed_at');
    return row?.replayed_at !== null && row?.replayed_at !== undefined;
  }

  private row(hash: string): Knex.QueryBuilder {
    return this.tables.from(this.knex, 'authorization_codes').where({ code_hash: hash });
  }
}

function toRecord(row: Record<string, unknown>): CodeRecord {
  return {
    clientId: String(row.client_id),
    grantId: String(row.grant_id),
    redirectUri: String(row.redirect_uri),
    scope: String(row.scope).split(' ').filter(Boolean),
    codeChallenge: String(row.code_challenge),
    context: JSON.parse(String(row.context)) as Record<string, unknown>,
    expiresAt: readDate(row.expires_at) as Date,
  };
}
