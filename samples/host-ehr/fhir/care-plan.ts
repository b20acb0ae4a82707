import type { Knex } from 'knex';
import type { FhirResource, ProvidedResource, ResourceProvider } from '../../../src/index.ts';
import { categoryRestriction } from './category-restriction.ts';
import { chartTable } from './chart-table.ts';
import { childRowsOf } from './page-children.ts';
import { chartResource } from './provided-resource.ts';
import { patientParameter, periodParameter, tokenParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

/** US Core CarePlan categories (the sample only records `assess-plan`). */
export const carePlanCategorySystem = 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category';

const usCore = usCoreSearchParameters('CarePlan');
const category = tokenParameter(usCore, 'category', { code: 'c.category', fixedSystem: carePlanCategorySystem });

/**
 * US Core CarePlan (6.1) over `ehr_care_plans`, with the plan's goals referenced. The profile requires a
 * narrative; the sample's plans are free text, so the narrative is generated from their title and description.
 */
export function carePlanProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'CarePlan',
    profiles: [usCoreProfile('us-core-careplan')],
    ...chartTable('ehr_care_plans', 'c'),
    restrict: categoryRestriction(category),
    order: [{ column: 'c.period_start', order: 'desc' }],
    searchParameters: [
      patientParameter(usCore, 'c.patient_id'),
      category,
      tokenParameter(usCore, 'status', { code: 'c.status', fixedSystem: 'http://hl7.org/fhir/request-status' }),
      periodParameter(usCore, 'date', { start: 'c.period_start', end: 'c.period_end' }),
    ],
    toResources: async (rows, db) => {
      const goals = await childRowsOf(db('ehr_goals').select('id', 'care_plan_id').orderBy('id'), 'care_plan_id',
        rows.map((row) => Number(row.id)));
      return rows.map((row) => toCarePlan(row, (goals.get(Number(row.id)) ?? []).map((goal) => Number(goal.id))));
    },
  });
}

function toCarePlan(row: Record<string, unknown>, goalIds: number[]): ProvidedResource {
  const title = String(row.title);
  const description = String(row.description);
  const resource: FhirResource = {
    resourceType: 'CarePlan',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-careplan')] },
    text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>${xhtml(title)}</b></p><p>${xhtml(description)}</p></div>` },
    status: String(row.status),
    intent: String(row.intent),
    category: [{ coding: [{ system: carePlanCategorySystem, code: String(row.category) }] }],
    title,
    description,
    subject: { reference: `Patient/${String(row.patient_id)}` },
    ...(row.encounter_id != null ? { encounter: { reference: `Encounter/${String(row.encounter_id)}` } } : {}),
    period: { start: String(row.period_start), ...(row.period_end != null ? { end: String(row.period_end) } : {}) },
    ...(goalIds.length > 0 ? { goal: goalIds.map((id) => ({ reference: `Goal/${id}` })) } : {}),
  };
  return chartResource(row, resource);
}

function xhtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
