import type { Knex } from 'knex';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { MIGRATIONS, type PluginMigration } from './migrations/index.ts';
import type { TableNames } from './table-names.ts';

/** The state of the plugin's schema: migrations applied and still pending. */
export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

function migrationSource(tables: TableNames): Knex.MigrationSource<PluginMigration> {
  return {
    getMigrations: async () => [...MIGRATIONS],
    getMigrationName: (migration) => migration.name,
    getMigration: async (migration) => ({
      up: (knex: Knex) => migration.build(tables.schemaBuilder(knex), tables),
      down: async () => {
        throw new Error('smart-ehr-plugin migrations are forward-only');
      },
    }),
  };
}

function migratorConfig(tables: TableNames): Knex.MigratorConfig {
  return {
    tableName: tables.migrations,
    schemaName: tables.schema,
    migrationSource: migrationSource(tables),
  };
}

async function ensureSchema(knex: Knex, tables: TableNames): Promise<void> {
  if (!tables.schema) return;
  const client = String(knex.client.config.client);
  if (client === 'pg' || client === 'postgres' || client === 'postgresql') {
    await knex.raw('create schema if not exists ??', [tables.schema]);
  } else if (client === 'mssql') {
    await knex.raw(`if schema_id(?) is null exec('create schema ' + quotename(?))`, [tables.schema, tables.schema]);
  }
}

/**
 * Applies pending migrations (forward-only; knex's tracking and lock tables under the plugin prefix).
 * Several host instances may start at once: while another holds the migration lock, wait for it.
 */
export async function migrateToLatest(knex: Knex, tables: TableNames, lockWaitMs = 30_000): Promise<string[]> {
  await ensureSchema(knex, tables);
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      const [, applied] = (await knex.migrate.latest(migratorConfig(tables))) as [number, string[]];
      return applied;
    } catch (error) {
      if (!isStartupRace(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Another instance holds knex's migration lock, or created the tracking tables a moment before us
 * (knex checks for them and creates them without a lock, so simultaneous first starts collide).
 */
function isStartupRace(error: unknown): boolean {
  if ((error as Error).name === 'MigrationLocked') return true;
  const e = error as { code?: unknown; number?: unknown };
  return isDuplicateKeyError(error) || e.code === '42P07' || e.number === 2714;
}

/** Lists applied and pending migrations without changing anything. */
export async function migrationStatus(knex: Knex, tables: TableNames): Promise<MigrationStatus> {
  const exists = await tables.schemaBuilder(knex).hasTable(tables.migrations);
  if (!exists) return { applied: [], pending: MIGRATIONS.map((m) => m.name) };
  const [completed, pending] = (await knex.migrate.list(migratorConfig(tables))) as [{ name: string }[], PluginMigration[]];
  return { applied: completed.map((m) => m.name), pending: pending.map((m) => m.name) };
}
