import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LoginAttemptsStore } from '../../src/store/login-attempts-store.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { TableNames } from '../../src/store/table-names.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const LIMITS = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowSeconds: 900, lockoutSeconds: 600 };

describe(`login attempts store on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let db: TestDatabase;
  let store: LoginAttemptsStore;
  const stored = (key: string) => db.knex('smart_login_attempts').where({ attempt_key: key }).first();
  before(async () => {
    db = await createTestDatabase();
    await migrateToLatest(db.knex, new TableNames('smart_', undefined));
    store = new LoginAttemptsStore(db.knex, new TableNames('smart_', undefined), LIMITS);
  });
  after(() => db.drop());

  it('gives attempts sent at the same moment each their own count, and refuses those past the limit', async () => {
    const counted = await Promise.all(Array.from({ length: 20 }, () => store.countAttempt('account:burst', 5)));
    assert.deepEqual(counted.map((c) => c.failures).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    for (const attempt of counted) assert.equal(attempt.refused, attempt.failures > 5, `attempt ${attempt.failures}`);
    const until = await store.lockedUntil('account:burst');
    assert.ok(until && until.getTime() > Date.now() + 590_000, 'an attempt past the limit locks the key for lockoutSeconds');
  });

  it('locks a key when a failure reaches the limit, and refuses while locked', async () => {
    for (let i = 1; i <= 3; i += 1) assert.deepEqual(await store.countAttempt('account:three', 3), { failures: i, refused: false });
    assert.equal(await store.lockedUntil('account:three'), undefined, 'reaching the limit is not yet a lock: that attempt is still checked');
    await store.lock('account:three');
    assert.ok(await store.lockedUntil('account:three'));
    assert.deepEqual(await store.countAttempt('account:three', 3), { failures: 4, refused: true });
  });

  it('starts the count again once the lock or the window has run out', async () => {
    await store.countAttempt('account:expired-lock', 1);
    await store.countAttempt('account:expired-lock', 1);
    await db.knex('smart_login_attempts').where({ attempt_key: 'account:expired-lock' }).update({ locked_until: new Date(Date.now() - 1000) });
    assert.deepEqual(await store.countAttempt('account:expired-lock', 1), { failures: 1, refused: false });
    assert.equal((await stored('account:expired-lock')).locked_until, null);

    await store.countAttempt('account:old-window', 5);
    await db.knex('smart_login_attempts').where({ attempt_key: 'account:old-window' })
      .update({ failures: 4, window_started_at: new Date(Date.now() - 901_000) });
    assert.deepEqual(await store.countAttempt('account:old-window', 5), { failures: 1, refused: false });
  });

  it('takes back an attempt without going below zero, and clears a key', async () => {
    await store.countAttempt('address:a', 20);
    await store.countAttempt('address:a', 20);
    await store.takeBack('address:a');
    assert.equal(Number((await stored('address:a')).failures), 1);
    await Promise.all([store.takeBack('address:a'), store.takeBack('address:a'), store.takeBack('address:a')]);
    assert.equal(Number((await stored('address:a')).failures), 0);
    await store.takeBack('address:never-seen');
    await store.clear('address:a');
    assert.equal(await stored('address:a'), undefined);
  });

  it('counts a key longer than its column under a digest', async () => {
    const long = `account:${'x'.repeat(400)}`;
    assert.deepEqual(await store.countAttempt(long, 5), { failures: 1, refused: false });
    assert.deepEqual(await store.countAttempt(long, 5), { failures: 2, refused: false });
  });
});
