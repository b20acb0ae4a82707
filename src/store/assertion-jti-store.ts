import type { Knex } from 'knex';
import { isDuplicateKeyError } from './duplicate-key.ts';
import type { TableNames } from './table-names.ts';

/** Client assertion `jti` values already used (RFC 7523 §3, SMART Backend Services): each is accepted once. */
export class AssertionJtiStore {
  constructor(private readonly knex: Knex, private readonly tables: TableNames) {}

  /** Records a jti; false when this client used it before (a replay). */
  async remember(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.tables.from(this.knex, 'client_assertion_jtis').insert({ client_id: clientId, jti, expires_at: expiresAt });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Forgets jtis whose assertions have expired (they can no longer be replayed). */
  async prune(): Promise<number> {
    return Number(await this.tables.from(this.knex, 'client_assertion_jtis').where('expires_at', '<', new Date()).delete());
  }
}
