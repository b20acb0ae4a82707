import type { Knex } from 'knex';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { readDate } from './row-values.ts';
import type { TableNames } from './table-names.ts';

/**
 * Sign-in sessions in the plugin's `sessions` table, so a flow survives a request landing on another
 * instance. Only sign-in state lives here (who signed in, pending authorization transactions); never
 * tokens or PHI.
 */
export class SessionsStore {
  constructor(private readonly knex: Knex, private readonly tables: TableNames) {}

  async load(sessionId: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.tables.from(this.knex, 'sessions').where({ session_id: sessionId }).first('data', 'expires_at');
    if (!row || (readDate(row.expires_at) as Date) <= new Date()) return undefined;
    return JSON.parse(String(row.data)) as Record<string, unknown>;
  }

  /** Update, then insert; a concurrent insert of the same id becomes an update (no onConflict on SQL Server). */
  async save(sessionId: string, data: Record<string, unknown>, expiresAt: Date): Promise<void> {
    const row = { data: JSON.stringify(data), expires_at: expiresAt };
    const updated = await this.tables.from(this.knex, 'sessions').where({ session_id: sessionId }).update(row);
    if (Number(updated) > 0) return;
    try {
      await this.tables.from(this.knex, 'sessions').insert({ session_id: sessionId, ...row });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.tables.from(this.knex, 'sessions').where({ session_id: sessionId }).update(row);
    }
  }

  /**
   * Records that `key` was used, once: true for the first caller, false for any later one, on any
   * instance. Kept as a row beside the sessions (its id has a `:`, which no session id has, so it is
   * never loaded as one) and pruned with them when it expires.
   */
  async claimOnce(key: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.tables.from(this.knex, 'sessions').insert({ session_id: `once:${key}`, data: '{}', expires_at: expiresAt });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async destroy(sessionId: string): Promise<void> {
    await this.tables.from(this.knex, 'sessions').where({ session_id: sessionId }).delete();
  }

  /** Deletes expired sessions; returns how many. */
  async prune(): Promise<number> {
    return Number(await this.tables.from(this.knex, 'sessions').where('expires_at', '<=', new Date()).delete());
  }
}
