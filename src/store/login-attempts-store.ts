import { createHash } from 'node:crypto';
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
    key = storedKey(key);
    const row = await this.tables.from(this.knex, 'login_attempts').where({ attempt_key: key }).first('locked_until');
    const until = readDate(row?.locked_until);
    return until && until > new Date() ? until : undefined;
  }

  /** Counts a failure; returns true when this failure locked the key. */
  async recordFailure(key: string, limit: number): Promise<boolean> {
    key = storedKey(key);
    const now = new Date();
    const windowOpen = new Date(now.getTime() - this.limits.windowSeconds * 1000);
    const row = () => this.tables.from(this.knex, 'login_attempts').where({ attempt_key: key });
    // An increment in the database, not read-then-write: failures sent at the same moment all count.
    const counted = Number(await row().where('window_started_at', '>', windowOpen)
      .update({ failures: this.knex.raw('?? + 1', ['failures']), updated_at: now }))
      || Number(await row().where('window_started_at', '<=', windowOpen)
        .update({ failures: 1, window_started_at: now, locked_until: null, updated_at: now }));
    if (!counted) {
      try {
        await this.tables.from(this.knex, 'login_attempts')
          .insert({ attempt_key: key, failures: 1, window_started_at: now, locked_until: null, updated_at: now });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return this.recordFailure(key, limit);
      }
    }
    const failures = Number((await row().first('failures'))?.failures);
    if (failures < limit) return false;
    await row().update({ locked_until: new Date(now.getTime() + this.limits.lockoutSeconds * 1000) });
    return true;
  }

  /** A successful sign-in clears the account's counter (never the address's). */
  async clear(key: string): Promise<void> {
    key = storedKey(key);
    await this.tables.from(this.knex, 'login_attempts').where({ attempt_key: key }).delete();
  }
}

const KEY_COLUMN_LENGTH = 300;

/**
 * A caller chooses the login name it sends (the password grant does not cut it short), so a key longer than
 * the column is stored as a digest: still counted, never a database error.
 */
function storedKey(key: string): string {
  if (key.length <= KEY_COLUMN_LENGTH) return key;
  const kind = key.slice(0, key.indexOf(':') + 1);
  return `${kind}sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
