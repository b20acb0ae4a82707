import type { Knex } from 'knex';
import type { SearchParameterDefinition, SearchValue, TokenValue } from '../../../src/index.ts';
import {
  tokenMatchesConstant, whereDate, whereReference, whereString, whereToken, type TokenColumns,
} from './criteria-sql.ts';
import { wherePeriod, type PeriodColumns } from './period-search.ts';
import { numericId } from './row-ids.ts';

/**
 * A search parameter is declared together with the WHERE clause it adds, so a provider cannot list one in its
 * CapabilityStatement without implementing it. The factories below cover the sample's columns; a parameter with
 * its own rule (Goal `description`, Schedule `actor`) is written as an object of the same shape.
 */
export interface SearchParameter extends SearchParameterDefinition {
  /** Adds one occurrence (its values OR'd) to the query; occurrences AND by being applied one after another. */
  apply(query: Knex.QueryBuilder, values: readonly SearchValue[]): void;
}

/** The canonical URL of a type's SearchParameter by parameter name, which the CapabilityStatement lists. */
export type Canonical = (name: string) => string;

/** US Core 6.1 SearchParameters of a type: `us-core-condition-onset-date`. */
export function usCoreSearchParameters(resourceType: string): Canonical {
  return (name) => `http://hl7.org/fhir/us/core/SearchParameter/us-core-${resourceType.toLowerCase()}-${name}`;
}

/** FHIR R4 core SearchParameters of a base: `Appointment-date`, `Resource-id`, `individual-family`. */
export function coreSearchParameters(base: string): Canonical {
  return (name) => `http://hl7.org/fhir/SearchParameter/${base}-${name}`;
}

/** US Core 6.1 canonical of a profile (`us-core-encounter`), which the resources claim in `meta.profile`. */
export function usCoreProfile(name: string): string {
  return `http://hl7.org/fhir/us/core/StructureDefinition/${name}`;
}

/** A code and the system it belongs to (a category, a status). */
export interface SystemCode {
  system: string;
  code: string;
}

/** `_id` (FHIR R4 search §3.1.1.4.1): ids the sample never issues match nothing rather than failing in SQL. */
export function idParameter(column: string, definition: string, rowIdOf = numericId): SearchParameter {
  return {
    name: '_id', type: 'token', definition, documentation: 'The logical id of the resource.',
    apply(query, values) {
      const ids = values.map((value) => rowIdOf((value as TokenValue).code)).filter((id): id is number => id !== undefined);
      if (ids.length === 0) query.whereRaw('1 = 0');
      else query.whereIn(column, ids);
    },
  };
}

/** The declaration the CapabilityStatement lists, its canonical named by `definedBy`. */
function declaration(
  definedBy: Canonical, name: string, type: SearchParameterDefinition['type'], documentation: string | undefined,
): SearchParameterDefinition {
  return { name, type, definition: definedBy(name), ...(documentation ? { documentation } : {}) };
}

/** A reference to one resource type: `id` or `Type/id`. */
export function referenceParameter(
  definedBy: Canonical, name: string, column: string, target: string, documentation?: string,
): SearchParameter {
  return {
    ...declaration(definedBy, name, 'reference', documentation), targets: [target],
    apply: (query, values) => whereReference(query, column, target, values),
  };
}

/** `patient`: the chart the resource belongs to, where every US Core clinical search starts. */
export function patientParameter(definedBy: Canonical, column: string): SearchParameter {
  return referenceParameter(definedBy, 'patient', column, 'Patient', 'The patient whose record holds the resource.');
}

/** A token over a code column with its system column, or a system fixed for the whole table. */
export function tokenParameter(definedBy: Canonical, name: string, columns: TokenColumns, documentation?: string): SearchParameter {
  return { ...declaration(definedBy, name, 'token', documentation), apply: (query, values) => whereToken(query, columns, values) };
}

/** A token over a column whose codes come from several known systems, so `system|code` can still be checked. */
export function codeSetParameter(
  definedBy: Canonical, name: string, column: string, codes: readonly SystemCode[], documentation?: string,
): SearchParameter {
  return {
    ...declaration(definedBy, name, 'token', documentation),
    apply(query, values) {
      const matching = codes.filter((code) => tokenMatchesConstant(values, code.system, code.code)).map((code) => code.code);
      if (matching.length === 0) query.whereRaw('1 = 0');
      else query.whereIn(column, matching);
    },
  };
}

/** A token every row of the table matches, or none does (the `laboratory` category of lab results). */
export function constantParameter(definedBy: Canonical, name: string, constant: SystemCode, documentation?: string): SearchParameter {
  return {
    ...declaration(definedBy, name, 'token', documentation),
    apply(query, values) {
      if (!tokenMatchesConstant(values, constant.system, constant.code)) query.whereRaw('1 = 0');
    },
  };
}

/** A date over one column of `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ` strings. */
export function dateParameter(definedBy: Canonical, name: string, column: string, documentation?: string): SearchParameter {
  return { ...declaration(definedBy, name, 'date', documentation), apply: (query, values) => whereDate(query, column, values) };
}

/** A date over a Period held in two columns (an open end: still going on). */
export function periodParameter(definedBy: Canonical, name: string, columns: PeriodColumns, documentation?: string): SearchParameter {
  return { ...declaration(definedBy, name, 'date', documentation), apply: (query, values) => wherePeriod(query, columns, values) };
}

/** A string over one or more columns (any of them may match): prefix, `:exact` or `:contains`. */
export function stringParameter(definedBy: Canonical, name: string, columns: readonly string[], documentation?: string): SearchParameter {
  return { ...declaration(definedBy, name, 'string', documentation), apply: (query, values) => whereString(query, columns, values) };
}
