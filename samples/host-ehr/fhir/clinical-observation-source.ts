import type { FhirResource } from '../../../src/index.ts';
import { categoryRestriction } from './category-restriction.ts';
import { concept, encounterOf, patientReference } from './chart-elements.ts';
import { chartTable } from './chart-table.ts';
import {
  constantParameter, coreSearchParameters, dateParameter, idParameter, patientParameter, tokenParameter, usCoreSearchParameters,
  type SearchParameter, type SystemCode,
} from './search-parameters.ts';
import { prefixedId } from './row-ids.ts';
import type { TableQuery } from './table-provider.ts';

/**
 * Observation is served from three tables (vital signs, laboratory results, social history). Each is a table
 * query with a fixed category and an id prefix (`vital-12`), so the provider can search all three as one list.
 */
export interface ObservationSource extends TableQuery {
  alias: string;
  /** The id prefix: `<prefix>-<row id>`. */
  prefix: string;
  category: SystemCode & { display: string };
  toResource(row: Record<string, unknown>): FhirResource;
}

export const loinc = 'http://loinc.org';
const ucum = 'http://unitsofmeasure.org';
export const observationCategorySystem = 'http://terminology.hl7.org/CodeSystem/observation-category';
const statusSystem = 'http://hl7.org/fhir/observation-status';
const usCore = usCoreSearchParameters('Observation');

type SourceSpec = Pick<ObservationSource, 'alias' | 'prefix' | 'category' | 'toResource'> & {
  table: string;
  /** Replaces the LOINC `code` parameter (vital signs know two codes for pulse oximetry). */
  code?: SearchParameter;
};

/**
 * One table of observations with the parameters every table supports: SHALL patient+category, patient+code,
 * patient+category+date; SHOULD patient+category+status. A granular scope that does not allow the table's
 * category hides the whole table.
 */
export function observationSource({ table, alias, prefix, category, code, toResource }: SourceSpec): ObservationSource {
  const categoryParameter = constantParameter(usCore, 'category', category, 'vital-signs | laboratory | social-history');
  return {
    resourceType: 'Observation', alias, prefix, category, toResource,
    ...chartTable(table, alias),
    restrict: categoryRestriction(categoryParameter),
    searchParameters: [
      idParameter(`${alias}.id`, coreSearchParameters('Resource')('id'), (id) => prefixedId(id, prefix)),
      patientParameter(usCore, `${alias}.patient_id`),
      categoryParameter,
      code ?? tokenParameter(usCore, 'code', { code: `${alias}.loinc_code`, fixedSystem: loinc }, 'LOINC code.'),
      dateParameter(usCore, 'date', `${alias}.effective_at`, 'When the observation was made.'),
      tokenParameter(usCore, 'status', { code: `${alias}.status`, fixedSystem: statusSystem }, 'final | amended | ...'),
    ],
  };
}

/** The elements every Observation of the sample has, whatever its table. */
export function observationBase(source: ObservationSource, row: Record<string, unknown>, profile: string): FhirResource {
  return {
    resourceType: 'Observation',
    id: `${source.prefix}-${String(row.id)}`,
    meta: { profile: [profile] },
    status: String(row.status),
    category: [concept(observationCategorySystem, source.category.code, source.category.display)],
    code: concept(loinc, String(row.loinc_code), String(row.display)),
    subject: patientReference(row),
    ...encounterOf(row),
    effectiveDateTime: String(row.effective_at),
  };
}

/** A UCUM quantity; the sample stores UCUM codes as units. */
export function quantity(value: number, unit: string): Record<string, unknown> {
  return { value, unit, system: ucum, code: unit };
}

/** Data absent reason when a result has no value (US Core: value or dataAbsentReason). */
export const valueUnknown = {
  dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown', display: 'Unknown' }] },
};
