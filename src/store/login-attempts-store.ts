import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { SignInLimits } from '../config/options.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { readDate } from './row-values.ts';
import type { TableNames } from './table-names.ts';

/** One attempt counted against a key: the count it was given, and whether the key refuses it. */
export interface CountedAttempt {
  failures: number;
  refused: boolean;
}

/**
 * Sign-in attempt counters per account and per source address (DESIGN §4), with a lockout. An attempt is
 * counted before its password is checked, so guesses sent at the same moment cannot all be checked: a key
 * refuses once its count passes the limit within the window, and a failure that reaches the limit locks it
 * until `lockoutSeconds` pass. A window or lock that has run out starts the count again.
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

  /**
   * Counts an attempt and reads its count back in one transaction: the increment happens in the database,
   * so attempts sent at the same moment each get their own count. Past the limit the attempt is refused,
   * and the key locked if no failure has locked it yet.
   */
  async countAttempt(key: string, limit: number): Promise<CountedAttempt> {
    key = storedKey(key);
    // Two first attempts may both try to create the row; the loser counts again on the row the winner made.
    for (let tries = 1; ; tries += 1) {
      try {
        return await this.knex.transaction((trx) => this.countIn(trx, key, limit));
      } catch (error) {
        if (!isDuplicateKeyError(error) || tries >= 3) throw error;
      }
    }
  }

  /** A failed password check that reached the limit locks the key. */
  async lock(key: string): Promise<void> {
    await this.row(this.knex, storedKey(key)).update({ locked_until: this.lockEnd(new Date()) });
  }

  /** A successful sign-in clears the account's counter (never the address's). */
  async clear(key: string): Promise<void> {
    await this.row(this.knex, storedKey(key)).delete();
  }

  /** Takes back one counted attempt that turned out not to be a failure; a count never goes below zero. */
  async takeBack(key: string): Promise<void> {
    await this.row(this.knex, storedKey(key)).where('failures', '>', 0)
      .update({ failures: this.knex.raw('?? - 1', ['failures']), updated_at: new Date() });
  }

  private async countIn(trx: Knex.Transaction, key: string, limit: number): Promise<CountedAttempt> {
    const now = new Date();
    const windowOpen = new Date(now.getTime() - this.limits.windowSeconds * 1000);
    const counted = Number(await this.row(trx, key).where('window_started_at', '>', windowOpen)
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '>', now))
      .update({ failures: trx.raw('?? + 1', ['failures']), updated_at: now }))
      || Number(await this.row(trx, key).where((q) => q.where('window_started_at', '<=', windowOpen).orWhere('locked_until', '<=', now))
        .update({ failures: 1, window_started_at: now, locked_until: null, updated_at: now }));
    if (!counted) {
      await this.tables.from(trx, 'login_attempts')
        .insert({ attempt_key: key, failures: 1, window_started_at: now, locked_until: null, updated_at: now });
    }
    // The update above holds the row until commit, so this reads this attempt's own count.
    const row = await this.row(trx, key).first('failures', 'locked_until');
    const failures = Number(row?.failures);
    const lockedUntil = readDate(row?.locked_until);
    if (lockedUntil && lockedUntil > now) return { failures, refused: true };
    if (failures <= limit) return { failures, refused: false };
    await this.row(trx, key).update({ locked_until: this.lockEnd(now) });
    return { failures, refused: true };
  }

  private row(knex: Knex | Knex.Transaction, key: string): Knex.QueryBuilder {
    return this.tables.from(knex, 'login_attempts').where({ attempt_key: key });
  }

  private lockEnd(now: Date): Date {
    return new Date(now.getTime() + this.limits.lockoutSeconds * 1000);
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
