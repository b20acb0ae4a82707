import type { Knex } from 'knex';
import type { FhirResource, ResourceProvider } from '../../../src/index.ts';
import { categoryRestriction } from './category-restriction.ts';
import { concept, encounterOf, patientReference } from './chart-elements.ts';
import { chartTable } from './chart-table.ts';
import { chartResource } from './provided-resource.ts';
import {
  codeSetParameter, dateParameter, patientParameter, referenceParameter, tokenParameter, usCoreProfile, usCoreSearchParameters,
} from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const problemsProfile = usCoreProfile('us-core-condition-problems-health-concerns');
const encounterDiagnosisProfile = usCoreProfile('us-core-condition-encounter-diagnosis');
const usCore = usCoreSearchParameters('Condition');
const clinicalStatusSystem = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const verificationStatusSystem = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

/** The categories `ehr_problems.category` holds; health concerns are a US Core code, the others FHIR core. */
const conditionCategories = [
  { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' },
  { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis', display: 'Encounter Diagnosis' },
  { system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category', code: 'health-concern', display: 'Health Concern' },
] as const;

const category = codeSetParameter(usCore, 'category', 'pr.category', conditionCategories,
  'problem-list-item | health-concern | encounter-diagnosis');

/**
 * Condition from `ehr_problems` (US Core 6.1: problems and health concerns, encounter diagnoses). SHALL `patient`
 * and `patient+category`; SHOULD clinical-status, code, encounter, onset-date, abatement-date, recorded-date.
 * `asserted-date` is not offered: the schema records no assertion date apart from the recording time.
 */
export function conditionProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'Condition',
    profiles: [problemsProfile, encounterDiagnosisProfile],
    ...chartTable('ehr_problems', 'pr'),
    restrict: categoryRestriction(category),
    searchParameters: [
      patientParameter(usCore, 'pr.patient_id'),
      category,
      tokenParameter(usCore, 'clinical-status', { code: 'pr.clinical_status', fixedSystem: clinicalStatusSystem }, 'active | resolved'),
      tokenParameter(usCore, 'code', { code: 'pr.code', system: 'pr.code_system' }, 'ICD-10-CM code of the condition.'),
      referenceParameter(usCore, 'encounter', 'pr.encounter_id', 'Encounter', 'The encounter the resource was recorded in.'),
      dateParameter(usCore, 'onset-date', 'pr.onset_date', 'When the condition began.'),
      dateParameter(usCore, 'abatement-date', 'pr.abatement_date', 'When the condition resolved.'),
      dateParameter(usCore, 'recorded-date', 'pr.recorded_at', 'When the condition was recorded.'),
    ],
    order: [{ column: 'pr.onset_date', order: 'desc' }],
    toResources: async (rows) => rows.map((row) => chartResource(row, condition(row))),
  });
}

function condition(row: Record<string, unknown>): FhirResource {
  const category = conditionCategories.find((known) => known.code === row.category);
  if (category === undefined) throw new Error(`ehr_problems ${String(row.id)} has an unknown category`);
  const profile = category.code === 'encounter-diagnosis' ? encounterDiagnosisProfile : problemsProfile;
  return {
    resourceType: 'Condition',
    id: String(row.id),
    // lastUpdated is Must Support in the problems profile; the schema keeps no edit time, so the recording time stands in.
    meta: { profile: [profile], lastUpdated: String(row.recorded_at) },
    clinicalStatus: { coding: [{ system: clinicalStatusSystem, code: String(row.clinical_status) }] },
    verificationStatus: { coding: [{ system: verificationStatusSystem, code: String(row.verification_status) }] },
    category: [concept(category.system, category.code, category.display)],
    code: concept(String(row.code_system), String(row.code), String(row.display)),
    subject: patientReference(row),
    ...encounterOf(row),
    ...(row.onset_date == null ? {} : { onsetDateTime: String(row.onset_date) }),
    ...(row.abatement_date == null ? {} : { abatementDateTime: String(row.abatement_date) }),
    recordedDate: String(row.recorded_at),
  };
}
