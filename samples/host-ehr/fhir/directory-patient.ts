import type { FhirResource } from '../../../src/index.ts';
import { mrnSystem, patientColumns, patientResource } from './directory-patient-resource.ts';
import {
  dateParameter, stringParameter, tokenParameter, usCoreProfile, usCoreSearchParameters,
} from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

const usCore = usCoreSearchParameters('Patient');

/**
 * `ehr_patients` as US Core 6.1 Patient: SHALL `identifier`, `name`, `birthdate+name`, `gender+name`; SHOULD
 * `family`. A patient is in its own compartment, so the chart's patient column is its id.
 */
export const patientSource: TableSource<FhirResource> = {
  resourceType: 'Patient',
  profiles: [usCoreProfile('us-core-patient')],
  rows: (knex) => knex('ehr_patients as p').select(patientColumns),
  idColumn: 'p.id',
  chart: { patient: 'p.id', sensitive: 'p.is_sensitive' },
  searchParameters: [
    tokenParameter(usCore, 'identifier', { code: 'p.mrn', fixedSystem: mrnSystem }, `The medical record number (system ${mrnSystem}).`),
    stringParameter(usCore, 'name', ['p.given_name', 'p.family_name'], 'Matches the given or the family name.'),
    stringParameter(usCore, 'family', ['p.family_name']),
    stringParameter(usCore, 'given', ['p.given_name']),
    dateParameter(usCore, 'birthdate', 'p.birth_date'),
    tokenParameter(usCore, 'gender', { code: 'p.sex', fixedSystem: 'http://hl7.org/fhir/administrative-gender' }),
  ],
  toResources: async (rows) => rows.map((row) => ({
    resource: patientResource(row), patientId: String(row.id), confidentialDocumentType: null,
  })),
};
