import type { Knex } from 'knex';
import type { AccessRestrictions, SearchCriterion } from '../../../src/index.ts';
import { numericId } from './row-ids.ts';

// Re-exported so code written against this module's original surface keeps working.
export { numericId, prefixedId } from './row-ids.ts';
export {
  tokenMatchesConstant, whereDate, whereReference, whereString, whereToken, type TokenColumns,
} from './criteria-sql.ts';

/**
 * The caller's access restrictions as knex WHERE clauses over the reference schema, and paging. Every provider
 * of the sample uses these, so the rules live in one place: the restrictions are applied inside the query (never
 * after it), which keeps paging and totals right. The criteria's clauses are in criteria-sql.ts.
 */

/** Where a row's patient and (optional) confidential document are. */
export interface ChartColumns {
  /** Column holding the patient id, e.g. `o.patient_id`. */
  patient: string;
  /** Column holding the document the row was recorded in, or undefined when the table has none. */
  document?: string;
  /** The patient's own sensitive-chart flag, when the query reads the patients table itself. */
  sensitive?: string;
}

/**
 * The caller's restrictions as SQL: the patient compartment, sensitive charts, and rows recorded in (or
 * being) a confidential document of a type the caller may not see. Hiding the note but showing the diagnosis
 * written in it would disclose the same thing.
 */
export function applyRestrictions(query: Knex.QueryBuilder, restrictions: AccessRestrictions, columns: ChartColumns): void {
  if (restrictions.patientId !== undefined) {
    const id = numericId(restrictions.patientId);
    if (id === undefined) query.whereRaw('1 = 0');
    else query.where(columns.patient, id);
  }
  if (!restrictions.sensitiveCharts) {
    // The patient row itself says whether its chart is sensitive; other tables ask the patients table.
    if (columns.sensitive !== undefined) query.where(columns.sensitive, false);
    else query.whereNotIn(columns.patient, (sub) => sub.select('id').from('ehr_patients').where('is_sensitive', true));
  }
  if (columns.document !== undefined) {
    const document = columns.document;
    const hiddenTypes = (sub: Knex.QueryBuilder) => {
      sub.select('d.id').from('ehr_documents as d').join('ehr_document_types as t', 't.id', 'd.document_type_id')
        .where('t.is_confidential', true);
      if (restrictions.documentTypes.size > 0) sub.whereNotIn('t.name', [...restrictions.documentTypes]);
    };
    query.where((clause) => clause.whereNull(document).orWhereNotIn(document, hiddenTypes));
  }
}

/** The criteria of one parameter name (each occurrence ANDs; its values OR). */
export function criteriaNamed(criteria: readonly SearchCriterion[], name: string): SearchCriterion[] {
  return criteria.filter((criterion) => criterion.name === name);
}

/** The total, then one page, of a filtered query in a stable order. */
export async function pageOf<T>(
  query: Knex.QueryBuilder, order: Array<{ column: string; order?: 'asc' | 'desc' }>, offset: number, count: number,
  map: (row: Record<string, unknown>) => T,
): Promise<{ rows: T[]; total: number }> {
  const counted = (await query.clone().clearSelect().clearOrder().count({ n: '*' }).first()) as { n: number | string } | undefined;
  const total = Number(counted?.n ?? 0);
  if (count === 0 || offset >= total) return { rows: [], total };
  const rows = (await query.clone().orderBy(order).offset(offset).limit(count)) as Array<Record<string, unknown>>;
  return { rows: rows.map(map), total };
}
