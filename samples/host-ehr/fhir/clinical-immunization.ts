import type { Knex } from 'knex';
import type { FhirResource, ResourceProvider } from '../../../src/index.ts';
import { isTrue } from '../database/boolean-column.ts';
import { concept, encounterOf, patientReference } from './chart-elements.ts';
import { chartTable } from './chart-table.ts';
import { chartResource } from './provided-resource.ts';
import { dateParameter, patientParameter, tokenParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const profile = usCoreProfile('us-core-immunization');
const usCore = usCoreSearchParameters('Immunization');
const cvx = 'http://hl7.org/fhir/sid/cvx';
const statusSystem = 'http://hl7.org/fhir/event-status';

/** Immunization from `ehr_immunizations` (US Core 6.1; SHALL `patient`, SHOULD `patient+date`, `patient+status`). */
export function immunizationProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'Immunization',
    profiles: [profile],
    ...chartTable('ehr_immunizations', 'im'),
    searchParameters: [
      patientParameter(usCore, 'im.patient_id'),
      dateParameter(usCore, 'date', 'im.occurrence_date', 'When the vaccine was given.'),
      tokenParameter(usCore, 'status', { code: 'im.status', fixedSystem: statusSystem }, 'completed | not-done'),
    ],
    order: [{ column: 'im.occurrence_date', order: 'desc' }],
    toResources: async (rows) => rows.map((row) => chartResource(row, immunization(row))),
  });
}

function immunization(row: Record<string, unknown>): FhirResource {
  const status = String(row.status);
  return {
    resourceType: 'Immunization',
    id: String(row.id),
    meta: { profile: [profile] },
    status,
    // US Core asks why a vaccine was not given; the schema does not record it, so say so rather than guess.
    ...(status === 'not-done' ? {
      statusReason: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] },
    } : {}),
    vaccineCode: concept(cvx, String(row.cvx_code), String(row.display)),
    patient: patientReference(row),
    ...encounterOf(row),
    occurrenceDateTime: String(row.occurrence_date),
    recorded: String(row.recorded_at),
    primarySource: isTrue(row.primary_source),
    ...(row.lot_number == null ? {} : { lotNumber: String(row.lot_number) }),
  };
}
