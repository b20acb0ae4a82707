import type { FhirResource, ProvidedResource } from '../../../src/index.ts';
import { isTrue } from '../database/boolean-column.ts';

/**
 * The facts the plugin re-checks and labels a resource by (DESIGN §5): whose chart it is in, and the confidential
 * document type it was recorded under.
 */

/** The type's name when it is confidential, else null: ordinary progress notes carry no label. */
export function confidentialTypeOf(row: Record<string, unknown>): string | null {
  return isTrue(row.doc_type_confidential) ? String(row.doc_type_name) : null;
}

/** A resource from a patient's chart: a row with `patient_id` and, when recorded in a document, its type columns. */
export function chartResource<R extends FhirResource>(row: Record<string, unknown>, resource: R): ProvidedResource<R> {
  return { resource, patientId: String(row.patient_id), confidentialDocumentType: confidentialTypeOf(row) };
}

/** Shared reference data (the directory, the formulary, schedules): in no compartment, from no document. */
export function sharedData<R extends FhirResource>(resource: R): ProvidedResource<R> {
  return { resource, patientId: null, confidentialDocumentType: null };
}
