import type { ReferenceValue } from '../../../src/index.ts';
import { numericId, prefixedId } from './row-ids.ts';

/**
 * The rows the sample synthesizes a Provenance for (US Core Provenance, reached by `_revinclude=Provenance:target`):
 * it has no provenance table, so each clinical row is its own record of who wrote it and when. A Provenance's id is
 * `<key>-<row id>` (`Condition-12`, `Observation-lab-5`), its target the row's resource.
 */
export interface ProvenanceTarget {
  resourceType: string;
  /** For a type served from several tables: the id prefix of this table's resources (`lab` in `Observation/lab-5`). */
  idPrefix?: string;
  table: string;
  /** Columns of `table`. */
  patient: string;
  /** The confidential document the row was recorded in (for documents, the row itself); absent when there is none. */
  document?: string;
  recorded: string;
  /** The practitioner who wrote or performed it, when the table records one. */
  author?: string;
}

/**
 * CareTeam is left out: `ehr_care_teams` records no time, and a Provenance without a true `recorded` would invent one.
 * Lab reports name an ordering provider, who did not author the report, so only the practice is their author.
 */
export const provenanceTargets: readonly ProvenanceTarget[] = [
  { resourceType: 'AllergyIntolerance', table: 'ehr_allergies', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  { resourceType: 'Condition', table: 'ehr_problems', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  { resourceType: 'Observation', idPrefix: 'vital', table: 'ehr_vitals', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  { resourceType: 'Observation', idPrefix: 'lab', table: 'ehr_lab_results', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  { resourceType: 'Observation', idPrefix: 'social', table: 'ehr_social_history', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  {
    resourceType: 'MedicationRequest', table: 'ehr_medication_orders', patient: 'patient_id', document: 'document_id',
    recorded: 'recorded_at', author: 'prescriber_id',
  },
  { resourceType: 'Immunization', table: 'ehr_immunizations', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  {
    resourceType: 'Procedure', table: 'ehr_procedures', patient: 'patient_id', document: 'document_id',
    recorded: 'recorded_at', author: 'performer_id',
  },
  { resourceType: 'DiagnosticReport', table: 'ehr_lab_reports', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  {
    resourceType: 'DocumentReference', table: 'ehr_documents', patient: 'patient_id', document: 'id',
    recorded: 'document_date', author: 'author_provider_id',
  },
  // A visit has no separate recording time; it is on record from its start, by its clinician.
  { resourceType: 'Encounter', table: 'ehr_encounters', patient: 'patient_id', recorded: 'start_at', author: 'provider_id' },
  { resourceType: 'CarePlan', table: 'ehr_care_plans', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  { resourceType: 'Goal', table: 'ehr_goals', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
  { resourceType: 'Device', table: 'ehr_devices', patient: 'patient_id', document: 'document_id', recorded: 'recorded_at' },
];

/** `Observation-lab` for a prefixed table, `Condition` otherwise: what a Provenance id starts with. */
export function targetKey(target: ProvenanceTarget): string {
  return target.idPrefix === undefined ? target.resourceType : `${target.resourceType}-${target.idPrefix}`;
}

/** The target resource's id for a row id (`lab-5`, `12`). */
export function targetResourceId(target: ProvenanceTarget, rowId: number): string {
  return target.idPrefix === undefined ? String(rowId) : `${target.idPrefix}-${rowId}`;
}

/** The row a Provenance id names, or undefined for an id the sample never issues. */
export function parseProvenanceId(id: string): { target: ProvenanceTarget; rowId: number } | undefined {
  for (const target of provenanceTargets) {
    const key = `${targetKey(target)}-`;
    if (!id.startsWith(key)) continue;
    const rowId = numericId(id.slice(key.length));
    if (rowId !== undefined) return { target, rowId };
  }
  return undefined;
}

/** The rows of this table that `target` references point at (`Condition/12`, `12`, `Observation/lab-5`). */
export function rowIdsReferenced(target: ProvenanceTarget, references: readonly ReferenceValue[]): number[] {
  return references
    .filter((reference) => reference.resourceType === undefined || reference.resourceType === target.resourceType)
    .map((reference) => (target.idPrefix === undefined ? numericId(reference.id) : prefixedId(reference.id, target.idPrefix)))
    .filter((rowId): rowId is number => rowId !== undefined);
}

/** Every resource type a Provenance of the sample may target, for the `target` parameter. */
export const provenanceTargetTypes: readonly string[] = [...new Set(provenanceTargets.map((target) => target.resourceType))];
