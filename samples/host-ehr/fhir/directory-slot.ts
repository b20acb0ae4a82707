import type { FhirResource } from '../../../src/index.ts';
import { sharedData } from './provided-resource.ts';
import { coreSearchParameters, dateParameter, referenceParameter, tokenParameter } from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

const core = coreSearchParameters('Slot');

/** FHIR R4 SlotStatus codes, as `ehr_slots.status` holds them. */
export const slotStatusSystem = 'http://hl7.org/fhir/slotstatus';

function slotResource(row: Record<string, unknown>): FhirResource {
  return {
    resourceType: 'Slot',
    id: String(row.id),
    serviceType: [{ text: String(row.service_type) }],
    schedule: { reference: `Schedule/${String(row.schedule_id)}` },
    status: String(row.status),
    start: String(row.start_at),
    end: String(row.end_at),
  };
}

/** `ehr_slots` as FHIR R4 Slot (no US Core profile), in time order: what a booking app lists. */
export const slotSource: TableSource<FhirResource> = {
  resourceType: 'Slot',
  searchParameters: [
    referenceParameter(core, 'schedule', 'sl.schedule_id', 'Schedule'),
    tokenParameter(core, 'status', { code: 'sl.status', fixedSystem: slotStatusSystem }, `${slotStatusSystem}: free, busy, ...`),
    dateParameter(core, 'start', 'sl.start_at'),
  ],
  rows: (knex) => knex('ehr_slots as sl').join('ehr_schedules as s', 's.id', 'sl.schedule_id')
    .select('sl.id', 'sl.schedule_id', 'sl.status', 'sl.start_at', 'sl.end_at', 's.service_type'),
  idColumn: 'sl.id',
  order: [{ column: 'sl.start_at' }],
  toResources: async (rows) => rows.map((row) => sharedData(slotResource(row))),
};
