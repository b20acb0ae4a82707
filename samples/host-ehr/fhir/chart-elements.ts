/**
 * FHIR elements every chart resource of the sample builds the same way from its row's shared columns
 * (`patient_id`, `encounter_id`) and coded values.
 */

/** `Patient/<id>`, relative as everywhere in the sample. */
export function patientReference(row: Record<string, unknown>): { reference: string } {
  return { reference: `Patient/${String(row.patient_id)}` };
}

/** `{ encounter }` when the row was recorded in a visit; history recorded outside any visit has none. */
export function encounterOf(row: Record<string, unknown>): { encounter?: { reference: string } } {
  return row.encounter_id == null ? {} : { encounter: { reference: `Encounter/${String(row.encounter_id)}` } };
}

/** A coding with its display, and the display again as text (US Core asks for text where codes may be unknown). */
export function concept(system: string, code: string, display: string): { coding: Array<Record<string, string>>; text: string } {
  return { coding: [{ system, code, display }], text: display };
}

/** Decimals arrive as strings from PostgreSQL and as numbers elsewhere. */
export function decimal(value: unknown): number | undefined {
  return value == null ? undefined : Number(value);
}
