import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import knexFactory from 'knex';
import { createSmartPlugin } from '../../src/index.ts';
import { migrateToLatest, migrationStatus } from '../../src/store/migrate.ts';
import { TABLES, TableNames } from '../../src/store/table-names.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe(`plugin migrations on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  it('starts with every migration pending and creates nothing by looking', async () => {
    const tables = new TableNames('smart_', undefined);
    assert.deepEqual(await migrationStatus(db.knex, tables), { applied: [], pending: ['001_initial_tables'] });
    assert.equal(await db.knex.schema.hasTable('smart_migrations'), false);
  });

  it('creates every plugin table, then does nothing the second time', async () => {
    const tables = new TableNames('smart_', undefined);
    assert.deepEqual(await migrateToLatest(db.knex, tables), ['001_initial_tables']);
    for (const table of TABLES) assert.equal(await db.knex.schema.hasTable(`smart_${table}`), true, table);
    assert.equal(await db.knex.schema.hasColumn('smart_authorization_codes', 'replayed_at'), true);
    assert.deepEqual(await migrateToLatest(db.knex, tables), []);
    const rows = await db.knex('smart_migrations').select('name').orderBy('id');
    assert.deepEqual(rows.map((r) => r.name), ['001_initial_tables']);
    assert.deepEqual(await migrationStatus(db.knex, tables), { applied: ['001_initial_tables'], pending: [] });
  });

  it('keeps a second prefix apart from the first', async () => {
    const other = new TableNames('ehrapi_', undefined);
    assert.deepEqual(await migrateToLatest(db.knex, other), ['001_initial_tables']);
    assert.equal(await db.knex.schema.hasTable('ehrapi_clients'), true);
    const rows = await db.knex('smart_migrations').count({ n: '*' });
    assert.equal(Number(rows[0]?.n), 1);
  });

  it('is forward-only: knex rollback refuses', async () => {
    const tables = new TableNames('smart_', undefined);
    await assert.rejects(
      db.knex.migrate.rollback({
        tableName: tables.migrations,
        migrationSource: {
          getMigrations: async () => ['001_initial_tables'],
          getMigrationName: (m: string) => m,
          getMigration: async () => ({ up: async () => {}, down: async () => { throw new Error('smart-ehr-plugin migrations are forward-only'); } }),
        },
      }),
      /forward-only/,
    );
    assert.equal(await db.knex.schema.hasTable('smart_clients'), true);
  });

  it('runs at construction with database.migrate, and is idempotent across instances', async () => {
    const a = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: 'https://a.example/smart', database: { tablePrefix: 'inst_', migrate: true } });
    const b = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: 'https://b.example/smart', database: { tablePrefix: 'inst_', migrate: true } });
    assert.deepEqual(await b.migrationStatus(), { applied: ['001_initial_tables'], pending: [] });
    await a.close();
    await b.close();
    assert.equal(await db.knex.schema.hasTable('inst_grants'), true, 'a host-owned knex stays open after close()');
  });

  if (db_is('postgres')) {
    it('creates the plugin tables in their own schema', async () => {
      const schema = `${db.schema}_plugin`;
      const tables = new TableNames('smart_', schema);
      try {
        assert.deepEqual(await migrateToLatest(db.knex, tables), ['001_initial_tables']);
        assert.equal(await db.knex.schema.withSchema(schema).hasTable('smart_audit_events'), true);
        assert.equal(await db.knex.schema.withSchema(schema).hasTable('smart_migrations'), true);
      } finally {
        await db.knex.raw('drop schema if exists ?? cascade', [schema]);
      }
    });

    it('lets several instances start at once: one migrates, the others wait for its lock', async () => {
      const url = process.env.TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
      const pools = [0, 1, 2].map(() => knexFactory({ client: 'pg', connection: url, searchPath: [db.schema as string] }));
      try {
        const results = await Promise.all(pools.map((k) => migrateToLatest(k, new TableNames('race_', undefined))));
        assert.deepEqual(results.flat(), ['001_initial_tables']);
        const rows = await db.knex('race_migrations').count({ n: '*' });
        assert.equal(Number(rows[0]?.n), 1);
      } finally {
        await Promise.all(pools.map((k) => k.destroy()));
      }
    });
  }
});

function db_is(dialect: string): boolean {
  return (process.env.TEST_DB ?? 'sqlite') === dialect;
}
