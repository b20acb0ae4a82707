import type { Knex } from 'knex';
import type { DateValue, FhirResource, ReferenceValue, SearchValue, TokenValue } from '../../../src/index.ts';
import { isTrue } from '../database/boolean-column.ts';
import { planningHorizonMatches } from './directory-schedule-date.ts';
import { sharedData } from './provided-resource.ts';
import { coreSearchParameters } from './search-parameters.ts';
import { numericId } from './row-ids.ts';
import type { TableSource } from './table-provider.ts';

const core = coreSearchParameters('Schedule');

function scheduleResource(row: Record<string, unknown>): FhirResource {
  return {
    resourceType: 'Schedule',
    id: String(row.id),
    active: isTrue(row.is_active),
    serviceType: [{ text: String(row.service_type) }],
    actor: [{ reference: `Practitioner/${String(row.provider_id)}` }, { reference: `Location/${String(row.location_id)}` }],
    planningHorizon: { start: String(row.planning_start), end: String(row.planning_end) },
  };
}

/** `actor`: a schedule has a practitioner and a location; a bare id matches either (R4 search §3.1.1.4.9). */
function whereActor(query: Knex.QueryBuilder, values: readonly SearchValue[]): void {
  const columns: Record<string, string> = { Practitioner: 's.provider_id', Location: 's.location_id' };
  query.where((any) => {
    any.whereRaw('1 = 0');
    for (const value of values as readonly ReferenceValue[]) {
      const id = numericId(value.id);
      if (id === undefined) continue;
      const targets = value.resourceType === undefined ? Object.values(columns) : [columns[value.resourceType]];
      for (const column of targets) if (column !== undefined) any.orWhere(column, id);
    }
  });
}

function whereActive(query: Knex.QueryBuilder, values: readonly SearchValue[]): void {
  const wanted = new Set((values as readonly TokenValue[]).map((token) => token.code));
  if (wanted.has('true') && wanted.has('false')) return;
  if (wanted.has('true')) query.where('s.is_active', true);
  else if (wanted.has('false')) query.where('s.is_active', false);
  else query.whereRaw('1 = 0');
}

/** `ehr_schedules` as FHIR R4 Schedule (no US Core profile): a clinician's book at one location. */
export const scheduleSource: TableSource<FhirResource> = {
  resourceType: 'Schedule',
  searchParameters: [
    { name: 'actor', type: 'reference', definition: core('actor'), targets: ['Practitioner', 'Location'], apply: whereActor },
    { name: 'active', type: 'token', definition: core('active'), documentation: '`true` or `false`.', apply: whereActive },
    {
      name: 'date', type: 'date', definition: core('date'), documentation: 'Schedules whose planning horizon overlaps the date.',
      apply: (query, values) => planningHorizonMatches(query, 's.planning_start', 's.planning_end', values as readonly DateValue[]),
    },
  ],
  rows: (knex) => knex('ehr_schedules as s')
    .select('s.id', 's.provider_id', 's.location_id', 's.is_active', 's.service_type', 's.planning_start', 's.planning_end'),
  idColumn: 's.id',
  toResources: async (rows) => rows.map((row) => sharedData(scheduleResource(row))),
};
