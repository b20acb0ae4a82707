import type { Knex } from 'knex';
import type { TableNames } from '../table-names.ts';
import { initialTables } from './001-initial-tables.ts';

/** One forward-only migration: a name (recorded in the tracking table) and the schema change it makes. */
export interface PluginMigration {
  name: string;
  build(schema: Knex.SchemaBuilder, tables: TableNames): Knex.SchemaBuilder;
}

/** Every migration, in order. An explicit list, not a directory scan; plugin.json lists the same names. */
export const MIGRATIONS: readonly PluginMigration[] = [
  { name: '001_initial_tables', build: initialTables },
];
