import type { Knex } from 'knex';

/** One table of the reference EHR schema, built with the dialect-neutral knex schema builder. */
export interface TableDefinition {
  name: string;
  build(table: Knex.CreateTableBuilder): void;
}

/**
 * Columns shared by every clinical row of a chart: the patient, the encounter it was recorded in, and the
 * document it was created in. `document_id` matters for access: a row created in a confidential
 * document (e.g. a Behavioral Health note) is only visible to users who may see that document type.
 */
export function addChartColumns(table: Knex.CreateTableBuilder): void {
  table.increments('id').primary();
  table.integer('patient_id').unsigned().notNullable().references('id').inTable('ehr_patients');
  table.integer('encounter_id').unsigned().nullable().references('id').inTable('ehr_encounters');
  table.integer('document_id').unsigned().nullable().references('id').inTable('ehr_documents');
  table.string('recorded_at', 20).notNullable();
  table.index(['patient_id']);
}

/** A coded value: the code system URI (SNOMED, LOINC, RxNorm, CVX, ICD-10-CM, CPT), code and display. */
export function addCoding(table: Knex.CreateTableBuilder, prefix = ''): void {
  table.string(`${prefix}code_system`, 100).notNullable();
  table.string(`${prefix}code`, 40).notNullable();
  table.string(`${prefix}display`, 200).notNullable();
}
