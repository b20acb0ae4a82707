import type { Knex } from 'knex';
import type { FhirResource, ResourceProvider } from '../../../src/index.ts';
import { concept, encounterOf, patientReference } from './chart-elements.ts';
import { chartTable } from './chart-table.ts';
import { chartResource } from './provided-resource.ts';
import { patientParameter, tokenParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const profile = usCoreProfile('us-core-allergyintolerance');
const usCore = usCoreSearchParameters('AllergyIntolerance');
const clinicalStatusSystem = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const verificationStatusSystem = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const snomed = 'http://snomed.info/sct';

/** AllergyIntolerance from `ehr_allergies` (US Core 6.1 AllergyIntolerance; SHALL `patient`, SHOULD `clinical-status`). */
export function allergyIntoleranceProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'AllergyIntolerance',
    profiles: [profile],
    ...chartTable('ehr_allergies', 'al'),
    searchParameters: [
      patientParameter(usCore, 'al.patient_id'),
      tokenParameter(usCore, 'clinical-status', { code: 'al.clinical_status', fixedSystem: clinicalStatusSystem },
        'active | inactive | resolved'),
    ],
    order: [{ column: 'al.onset_date', order: 'desc' }],
    toResources: async (rows) => rows.map((row) => chartResource(row, allergyIntolerance(row))),
  });
}

function allergyIntolerance(row: Record<string, unknown>): FhirResource {
  const status = String(row.clinical_status);
  const verification = String(row.verification_status);
  return {
    resourceType: 'AllergyIntolerance',
    id: String(row.id),
    meta: { profile: [profile] },
    clinicalStatus: { coding: [{ system: clinicalStatusSystem, code: status }] },
    verificationStatus: { coding: [{ system: verificationStatusSystem, code: verification }] },
    category: [String(row.category)],
    criticality: String(row.criticality),
    code: concept(String(row.code_system), String(row.code), String(row.display)),
    patient: patientReference(row),
    ...encounterOf(row),
    ...(row.onset_date == null ? {} : { onsetDateTime: String(row.onset_date) }),
    recordedDate: String(row.recorded_at),
    ...(row.reaction_code == null ? {} : {
      reaction: [{
        manifestation: [concept(snomed, String(row.reaction_code), String(row.reaction_display))],
        ...(row.reaction_severity == null ? {} : { severity: String(row.reaction_severity) }),
      }],
    }),
  };
}
