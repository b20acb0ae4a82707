import type { Knex } from 'knex';
import type { FhirResource, ProvidedResource, ResourceProvider, TokenValue } from '../../../src/index.ts';
import { chartTable } from './chart-table.ts';
import { chartResource } from './provided-resource.ts';
import {
  dateParameter, patientParameter, tokenParameter, usCoreProfile, usCoreSearchParameters, type SearchParameter,
} from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const usCore = usCoreSearchParameters('Goal');

/**
 * `description` is a token in US Core, but the sample's goals are free text with no code. A value without a system
 * is matched against that text (exactly, as a token is); a value with a system matches nothing, there being no codes.
 */
const descriptionParameter: SearchParameter = {
  name: 'description', type: 'token', definition: usCore('description'),
  documentation: 'The goals are recorded as text only: a code without a system matches the description text exactly.',
  apply(query, values) {
    const texts = values.map((value) => value as TokenValue).filter((token) => token.system === undefined).map((token) => token.code);
    if (texts.length === 0) query.whereRaw('1 = 0');
    else query.whereIn('g.description', texts);
  },
};

/** US Core Goal (6.1) over `ehr_goals`; a goal set in a confidential note is hidden with it. */
export function goalProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'Goal',
    profiles: [usCoreProfile('us-core-goal')],
    ...chartTable('ehr_goals', 'g'),
    order: [{ column: 'g.start_date', order: 'desc' }],
    searchParameters: [
      patientParameter(usCore, 'g.patient_id'),
      tokenParameter(usCore, 'lifecycle-status', { code: 'g.lifecycle_status', fixedSystem: 'http://hl7.org/fhir/goal-status' }),
      dateParameter(usCore, 'target-date', 'g.target_date'),
      descriptionParameter,
    ],
    toResources: async (rows) => rows.map(toGoal),
  });
}

function toGoal(row: Record<string, unknown>): ProvidedResource {
  const achievement = row.achievement_status == null ? undefined : String(row.achievement_status);
  const resource: FhirResource = {
    resourceType: 'Goal',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-goal')] },
    lifecycleStatus: String(row.lifecycle_status),
    ...(achievement ? {
      achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: achievement }] },
    } : {}),
    description: { text: String(row.description) },
    subject: { reference: `Patient/${String(row.patient_id)}` },
    startDate: String(row.start_date),
    ...(row.target_date != null ? { target: [{ dueDate: String(row.target_date) }] } : {}),
  };
  return chartResource(row, resource);
}
