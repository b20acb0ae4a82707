import type { Knex } from 'knex';
import type {
  AccessRestrictions, FhirResource, IncludeDefinition, ProvidedResource, ResourceProvider, SearchCriterion,
  SearchParameterDefinition,
} from '../../../src/index.ts';
import { numericId } from './row-ids.ts';
import { coreSearchParameters, idParameter, type SearchParameter } from './search-parameters.ts';
import { applyRestrictions, pageOf, type ChartColumns } from './search-sql.ts';

/**
 * How a host serves one FHIR resource type from one table of its own (DESIGN §6). The caller's restrictions and
 * the search criteria become one SQL query, so the count and the page only ever reflect what the caller may see.
 */

/** One table (joins allowed) as a source of matching rows; Observation unions three of these. */
export interface TableQuery {
  resourceType: string;
  /** The rows with every column the resources need. */
  rows(knex: Knex): Knex.QueryBuilder;
  /** The qualified id column, e.g. `e.id`; its integer values are the FHIR ids. */
  idColumn: string;
  /** Where a row's patient and confidential document are; absent for shared reference data, which anyone may see. */
  chart?: ChartColumns;
  /** Restrictions beyond the chart ones, e.g. `categoryRestriction` for granular scopes. */
  restrict?(query: Knex.QueryBuilder, restrictions: AccessRestrictions): void;
  /** The type's own parameters, each with its WHERE clause; `tableProvider` adds `_id`. */
  searchParameters: readonly SearchParameter[];
}

/** A resource type served from one table: what `tableProvider` turns into a `ResourceProvider`. */
export interface TableSource<R extends FhirResource = FhirResource> extends TableQuery {
  profiles?: readonly string[];
  /** The canonical of `_id`, which every type offers: FHIR core's unless US Core defines its own for the type. */
  idDefinition?: string;
  includes?: readonly IncludeDefinition<R>[];
  /** Stable search order, most relevant first; the id column is appended as the tiebreaker. */
  order?: ReadonlyArray<{ column: string; order?: 'asc' | 'desc' }>;
  /** A page of rows to resources at once, so what they list (members, results) costs one more query per page. */
  toResources(rows: Array<Record<string, unknown>>, knex: Knex): Promise<Array<ProvidedResource<R>>>;
}

/** A read/search provider over a table source; `knex` may be a transaction. */
export function tableProvider<R extends FhirResource>(knex: Knex, source: TableSource<R>): ResourceProvider<R> {
  const table = withIdParameter(source);
  const order = [...(source.order ?? []), { column: source.idColumn, order: 'asc' as const }];
  return {
    resourceType: source.resourceType,
    ...(source.profiles ? { profiles: source.profiles } : {}),
    searchParameters: declared(table.searchParameters),
    ...(source.includes ? { includes: source.includes } : {}),
    read: (id, { restrictions }) => readResource(knex, source, id, restrictions),
    async search({ criteria, offset, count, restrictions }) {
      const page = await pageOf(matchingRows(knex, table, restrictions, criteria), order, offset, count, (row) => row);
      return { resources: await source.toResources(page.rows, knex), total: page.total };
    },
  };
}

/** The resource with this id if the caller may see it; writes use it to answer with what they stored. */
export async function readResource<R extends FhirResource>(
  knex: Knex, source: TableSource<R>, id: string, restrictions: AccessRestrictions,
): Promise<ProvidedResource<R> | undefined> {
  const rowId = numericId(id);
  if (rowId === undefined) return undefined;
  const row = (await matchingRows(knex, source, restrictions, []).where(source.idColumn, rowId).first()) as
    Record<string, unknown> | undefined;
  return row === undefined ? undefined : (await source.toResources([row], knex))[0];
}

/** The rows the caller may see that match every criterion: restrictions first, then each occurrence ANDed. */
export function matchingRows(
  knex: Knex, table: TableQuery, restrictions: AccessRestrictions, criteria: readonly SearchCriterion[],
): Knex.QueryBuilder {
  const query = table.rows(knex);
  if (table.chart !== undefined) applyRestrictions(query, restrictions, table.chart);
  table.restrict?.(query, restrictions);
  for (const criterion of criteria) {
    const parameter = table.searchParameters.find((candidate) => candidate.name === criterion.name);
    // The plugin answers undeclared names with 400 before calling a provider; reaching this is a wiring bug.
    if (parameter === undefined) throw new Error(`${table.resourceType} has no search parameter ${criterion.name}`);
    parameter.apply(query, criterion.values);
  }
  return query;
}

/** The parameters as the plugin lists them, without their SQL. */
export function declared(parameters: readonly SearchParameter[]): SearchParameterDefinition[] {
  return parameters.map(({ apply: _apply, ...definition }) => definition);
}

function withIdParameter<R extends FhirResource>(source: TableSource<R>): TableSource<R> {
  const id = idParameter(source.idColumn, source.idDefinition ?? coreSearchParameters('Resource')('id'));
  return { ...source, searchParameters: [id, ...source.searchParameters] };
}
