import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthorizationCodesStore, type CodeRecord } from '../../src/store/authorization-codes-store.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { secretDigest } from '../../src/store/secret-digest.ts';
import { TableNames } from '../../src/store/table-names.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const record = (): CodeRecord => ({
  clientId: 'demo-app', grantId: 'grant-1', redirectUri: 'http://127.0.0.1:8765/callback', scope: ['openid', 'user/Patient.rs'],
  codeChallenge: 'x'.repeat(43), context: { subject: '7' }, expiresAt: new Date(Date.now() + 60_000),
});

describe(`authorization codes store on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let db: TestDatabase;
  let codes: AuthorizationCodesStore;
  const replayedAt = async (code: string) =>
    (await db.knex('smart_authorization_codes').where({ code_hash: secretDigest(code) }).first('replayed_at')).replayed_at;
  before(async () => {
    db = await createTestDatabase();
    await migrateToLatest(db.knex, new TableNames('smart_', undefined));
    codes = new AuthorizationCodesStore(db.knex, new TableNames('smart_', undefined));
  });
  after(() => db.drop());

  it('marks a code replayed when it is used a second time, and keeps the first mark', async () => {
    const code = await codes.create(record());
    const first = await codes.consume(code);
    assert.ok(first.status === 'ok');
    assert.equal(await codes.wasReplayed(code), false);
    assert.equal(await replayedAt(code), null);
    const second = await codes.consume(code);
    assert.ok(second.status === 'replayed');
    assert.equal(second.familyId, first.familyId, 'the replay names the family the first exchange started');
    assert.equal(await codes.wasReplayed(code), true);
    const marked = await replayedAt(code);
    assert.notEqual(marked, null);
    await codes.consume(code);
    assert.deepEqual(await replayedAt(code), marked);
  });

  it('lets one of two concurrent exchanges win and marks the other as a replay', async () => {
    const code = await codes.create(record());
    const results = await Promise.all([codes.consume(code), codes.consume(code)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['ok', 'replayed']);
    assert.equal(await codes.wasReplayed(code), true);
  });

  it('knows nothing of an unknown code', async () => {
    assert.deepEqual(await codes.consume('no-such-code'), { status: 'unknown' });
    assert.equal(await codes.wasReplayed('no-such-code'), false);
  });
});
