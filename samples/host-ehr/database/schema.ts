import type { Knex } from 'knex';
import type { TableDefinition } from './column-sets.ts';
import { directoryTables } from './directory-tables.ts';
import { chartTables } from './chart-tables.ts';
import { clinicalTables } from './clinical-tables.ts';
import { careTables } from './care-tables.ts';

/**
 * Creates the reference EHR schema of `samples/host-ehr` (tables prefixed `ehr_`).
 *
 * The schema stands in for a vendor's existing EHR database: the plugin never reads these tables, only
 * the contract views over them (DESIGN §2). Dates are ISO strings ('YYYY-MM-DD' or
 * 'YYYY-MM-DDTHH:MM:SSZ') so SQLite, PostgreSQL and SQL Server return the same text; codes carry their
 * system URI so a FHIR mapping needs no lookup table. Idempotent: a table that exists is left alone,
 * so a host that already has some of them can still run it.
 */
export async function createHostSchema(knex: Knex): Promise<void> {
  for (const { name, build } of hostTables()) {
    if (await knex.schema.hasTable(name)) continue;
    await knex.schema.createTable(name, build);
  }
}

/** Names of every reference table, parents first (used by tests and by anyone dropping the sample). */
export function hostTableNames(): string[] {
  return hostTables().map((table) => table.name);
}

// Order matters: a table comes after every table its foreign keys point at.
function hostTables(): TableDefinition[] {
  return [...directoryTables, ...chartTables, ...clinicalTables, ...careTables];
}
