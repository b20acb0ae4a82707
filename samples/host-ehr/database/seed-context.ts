import type { DirectoryIds } from './seed-directory.ts';
import type { ChartIds, PatientKey } from './seed-patients.ts';

/** What the clinical seeders need to know about rows seeded before them. */
export interface SeedContext {
  directory: DirectoryIds;
  chart: ChartIds;
}

export const codeSystems = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  cpt: 'http://www.ama-assn.org/go/cpt',
} as const;

/** Where a clinical row was recorded: which visit, and (for confidential content) which document. */
export interface RecordedIn {
  /** null for history recorded outside any visit (old immunizations, allergies reported by the patient). */
  visit?: 'checkup' | 'followUp' | null;
  document?: keyof ChartIds['documents'];
}

/**
 * The columns every clinical row shares (see `addChartColumns`): the patient, the encounter it was
 * recorded in (the checkup unless told otherwise), the confidential document if any, and the time.
 */
export function chartColumns(context: SeedContext, patient: PatientKey, recordedAt: string, where: RecordedIn = {}) {
  return {
    patient_id: context.chart.patients[patient],
    encounter_id: where.visit === null ? null : context.chart.encounters[patient][where.visit ?? 'checkup'],
    document_id: where.document ? context.chart.documents[where.document] : null,
    recorded_at: recordedAt.length === 10 ? `${recordedAt}T15:00:00Z` : recordedAt,
  };
}
