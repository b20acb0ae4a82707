import type { Knex } from 'knex';
import type { FhirResource, ResourceProvider } from '../../../src/index.ts';
import { concept, encounterOf, patientReference } from './chart-elements.ts';
import { chartTable } from './chart-table.ts';
import { chartResource } from './provided-resource.ts';
import { dateParameter, patientParameter, tokenParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const profile = usCoreProfile('us-core-procedure');
const usCore = usCoreSearchParameters('Procedure');
const statusSystem = 'http://hl7.org/fhir/event-status';

/** Procedure from `ehr_procedures` (US Core 6.1; SHALL `patient`, `patient+date`; SHOULD status and code). */
export function procedureProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'Procedure',
    profiles: [profile],
    ...chartTable('ehr_procedures', 'pc'),
    searchParameters: [
      patientParameter(usCore, 'pc.patient_id'),
      dateParameter(usCore, 'date', 'pc.performed_at', 'When the procedure was performed.'),
      tokenParameter(usCore, 'code', { code: 'pc.code', system: 'pc.code_system' }, 'SNOMED CT or CPT code.'),
      tokenParameter(usCore, 'status', { code: 'pc.status', fixedSystem: statusSystem }, 'completed | ...'),
    ],
    order: [{ column: 'pc.performed_at', order: 'desc' }],
    toResources: async (rows) => rows.map((row) => chartResource(row, procedure(row))),
  });
}

function procedure(row: Record<string, unknown>): FhirResource {
  return {
    resourceType: 'Procedure',
    id: String(row.id),
    meta: { profile: [profile] },
    status: String(row.status),
    code: concept(String(row.code_system), String(row.code), String(row.display)),
    subject: patientReference(row),
    ...encounterOf(row),
    performedDateTime: String(row.performed_at),
    ...(row.performer_id == null ? {} : { performer: [{ actor: { reference: `Practitioner/${String(row.performer_id)}` } }] }),
  };
}
