import type { FhirResource } from '../../../src/index.ts';
import { codeSystems } from '../database/seed-context.ts';
import { sharedData } from './provided-resource.ts';
import { coreSearchParameters, tokenParameter, usCoreProfile } from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

function medicationResource(row: Record<string, unknown>): FhirResource {
  return {
    resourceType: 'Medication',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-medication')] },
    code: {
      coding: [{ system: codeSystems.rxnorm, code: String(row.rxnorm_code), display: String(row.display) }],
      text: String(row.display),
    },
    // The formulary records the form as free text ("tablet"), not as a coded dose form.
    form: { text: String(row.form) },
  };
}

/**
 * The formulary (`ehr_medications`) as US Core 6.1 Medication. US Core only requires read (clients reach it
 * through `MedicationRequest.medicationReference` and `_include`); `_id` and `code` are offered besides.
 */
export const medicationSource: TableSource<FhirResource> = {
  resourceType: 'Medication',
  profiles: [usCoreProfile('us-core-medication')],
  searchParameters: [
    // R4 defines Medication.code in the shared `medications-code` SearchParameter.
    tokenParameter(coreSearchParameters('medications'), 'code', { code: 'm.rxnorm_code', fixedSystem: codeSystems.rxnorm },
      `RxNorm code (${codeSystems.rxnorm}).`),
  ],
  rows: (knex) => knex('ehr_medications as m').select('m.id', 'm.rxnorm_code', 'm.display', 'm.form'),
  idColumn: 'm.id',
  toResources: async (rows) => rows.map((row) => sharedData(medicationResource(row))),
};
