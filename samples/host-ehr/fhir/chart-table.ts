import type { Knex } from 'knex';
import type { TableQuery } from './table-provider.ts';

/**
 * The schema's chart tables share their columns (`addChartColumns`): `patient_id`, `encounter_id`, and the
 * `document_id` a row was recorded in. The plugin labels a resource by the confidential type of that document,
 * so the rows come with the type's name; hiding a note but showing what was written in it would disclose the same.
 */

/** Left-joins the document a row was recorded in, selecting its type as `doc_type_name` and `doc_type_confidential`. */
export function withDocumentType(query: Knex.QueryBuilder, documentColumn: string): Knex.QueryBuilder {
  return query
    .leftJoin('ehr_documents as recorded_in', 'recorded_in.id', documentColumn)
    .leftJoin('ehr_document_types as recorded_in_type', 'recorded_in_type.id', 'recorded_in.document_type_id')
    .select('recorded_in_type.name as doc_type_name', 'recorded_in_type.is_confidential as doc_type_confidential');
}

/**
 * A chart table as a table query's rows, id and chart columns: `chartTable('ehr_allergies', 'al')`. `join` adds
 * what the resource needs from other tables (the medication's name, the orderer's practice).
 */
export function chartTable(
  table: string, alias: string, join: (rows: Knex.QueryBuilder) => Knex.QueryBuilder = (rows) => rows,
): Pick<TableQuery, 'rows' | 'idColumn' | 'chart'> {
  return {
    rows: (knex) => join(withDocumentType(knex(`${table} as ${alias}`).select(`${alias}.*`), `${alias}.document_id`)),
    idColumn: `${alias}.id`,
    chart: { patient: `${alias}.patient_id`, document: `${alias}.document_id` },
  };
}
