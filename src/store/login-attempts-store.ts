import type { Knex } from 'knex';
import type { SignInLimits } from '../config/options.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { readDate } from './row-values.ts';
import type { TableNames } from './table-names.ts';

/**
 * Failed sign-in counters per account and per source address (DESIGN §4), with a lockout. A counter
 * counts failures within a window; reaching the limit locks the key until `lockoutSeconds` pass.
 */
export class LoginAttemptsStore {
  constructor(private readonly knex: Knex, private readonly tables: TableNames, private readonly limits: SignInLimits) {}

  /** When the key is locked, until when. */
  async lockedUntil(key: string): Promise<Date | undefined> {
    const row = await this.tables.from(this.knex, 'login_attempts').where({ attempt_key: key }).first('locked_until');
    const until = readDate(row?.locked_until);
    return until && until > new Date() ? until : undefined;
  }

  /** Counts a failure; returns true when this failure locked the key. */
  async recordFailure(key: string, limit: number): Promise<boolean> {
    const now = new Date();
    const row = await this.tables.from(this.knex, 'login_attempts').where({ attempt_key: key }).first();
    const windowStart = readDate(row?.window_started_at);
    const inWindow = windowStart && now.getTime() - windowStart.getTime() < this.limits.windowSeconds * 1000;
    const failures = inWindow ? Number(row.failures) + 1 : 1;
    const locked = failures >= limit ? new Date(now.getTime() + this.limits.lockoutSeconds * 1000) : null;
    const values = { failures, window_started_at: inWindow ? windowStart : now, locked_until: locked, updated_at: now };
    if (row) {
      await this.tables.from(this.knex, 'login_attempts').where({ attempt_key: key }).update(values);
    } else {
      try {
        await this.tables.from(this.knex, 'login_attempts').insert({ attempt_key: key, ...values });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return this.recordFailure(key, limit);
      }
    }
    return locked !== null;
  }

  /** A successful sign-in clears the account's counter (never the address's). */
  async clear(key: string): Promise<void> {
    await this.tables.from(this.knex, 'login_attempts').where({ attempt_key: key }).delete();
  }
}
