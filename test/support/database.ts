import knexFactory, { type Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { knexConfigFromUrl } from '../../src/cli/database-url.ts';

/**
 * The database a test file runs on, chosen by TEST_DB: `sqlite` (default, in memory) or `postgres`
 * (TEST_PG_URL, default postgres://root@127.0.0.1:5432/test) or `mssql` (MSSQL_URL).
 * Each call returns a fresh, isolated database: a new in-memory SQLite, or a new PostgreSQL schema
 * that `drop()` removes, so test files running side by side never see each other's rows.
 */
export interface TestDatabase {
  knex: Knex;
  dialect: 'sqlite' | 'postgres' | 'mssql';
  /** Schema holding this test's tables (PostgreSQL only). */
  schema: string | undefined;
  drop(): Promise<void>;
}

export function testDialect(): TestDatabase['dialect'] {
  const name = (process.env.TEST_DB ?? 'sqlite').toLowerCase();
  if (name === 'sqlite' || name === 'postgres' || name === 'mssql') return name;
  throw new Error(`TEST_DB must be sqlite, postgres or mssql, not ${name}`);
}

export async function createTestDatabase(dialect = testDialect()): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    return { knex, dialect, schema: undefined, drop: () => knex.destroy() };
  }
  if (dialect === 'postgres') {
    const url = process.env.TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: url });
    await admin.raw('create schema ??', [schema]);
    await admin.destroy();
    const knex = knexFactory({ client: 'pg', connection: url, searchPath: [schema], pool: { min: 0, max: 4 } });
    return {
      knex, dialect, schema,
      drop: async () => {
        await knex.raw('drop schema ?? cascade', [schema]);
        await knex.destroy();
      },
    };
  }
  const url = process.env.MSSQL_URL;
  if (!url) throw new Error('MSSQL_URL is not set');
  const knex = knexFactory(knexConfigFromUrl(url));
  return { knex, dialect, schema: undefined, drop: () => knex.destroy() };
}
