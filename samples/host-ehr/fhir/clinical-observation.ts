import type { Knex } from 'knex';
import type { AccessRestrictions, ProvidedResource, ResourceProvider, SearchCriterion } from '../../../src/index.ts';
import { laboratoryProfile, laboratoryResults } from './clinical-observation-labs.ts';
import { smokingStatusProfile, socialHistory } from './clinical-observation-social.ts';
import type { ObservationSource } from './clinical-observation-source.ts';
import { vitalSignProfiles, vitalSigns } from './clinical-observation-vitals.ts';
import { chartResource } from './provided-resource.ts';
import { prefixedId } from './row-ids.ts';
import { pageOf } from './search-sql.ts';
import { declared, matchingRows } from './table-provider.ts';

type Row = Record<string, unknown>;

/** The tables Observation is served from, with the id prefix of each. */
const observationSources: readonly ObservationSource[] = [laboratoryResults, socialHistory, vitalSigns];

/**
 * Search order across the three tables: newest first by effective time; ties (a panel's results share one time)
 * by id prefix (`lab`, `social`, `vital`), then row id. One UNION ALL query numbers the matches of all three
 * tables, so `offset`, `count` and `total` are those of the merged list, not of each table.
 */
const order = [
  { column: 'effective_at', order: 'desc' as const },
  { column: 'origin', order: 'asc' as const },
  { column: 'row_id', order: 'asc' as const },
];

/**
 * Observation (US Core 6.1 laboratory result, smoking status, and the vital sign profiles including blood
 * pressure). SHALL patient+category, patient+code, patient+category+date; SHOULD patient+category+status.
 */
export function observationProvider(knex: Knex): ResourceProvider {
  return {
    resourceType: 'Observation',
    profiles: [laboratoryProfile, smokingStatusProfile, ...vitalSignProfiles],
    // Every source offers the same parameters; the first one's definitions stand for all.
    searchParameters: declared(observationSources[0]!.searchParameters),
    async read(id, { restrictions }) {
      for (const source of observationSources) {
        const rowId = prefixedId(id, source.prefix);
        if (rowId === undefined) continue;
        const row = (await matchingRows(knex, source, restrictions, []).where(source.idColumn, rowId).first()) as Row | undefined;
        return row === undefined ? undefined : chartResource(row, source.toResource(row));
      }
      return undefined;
    },
    async search({ criteria, offset, count, restrictions }) {
      const page = await pageOf(allMatches(knex, restrictions, criteria), order, offset, count, (row) => row);
      return { resources: await load(knex, restrictions, page.rows), total: page.total };
    },
  };
}

/** One row per match of any table: which table, its row id, its effective time. */
function allMatches(knex: Knex, restrictions: AccessRestrictions, criteria: readonly SearchCriterion[]): Knex.QueryBuilder {
  const parts = observationSources.map((source) => matchingRows(knex, source, restrictions, criteria).clearSelect().select(
    // The prefix is a constant of this file, never input, so it can be written into the SQL.
    knex.raw(`'${source.prefix}' as origin`), `${source.idColumn} as row_id`, `${source.alias}.effective_at as effective_at`,
  ));
  const [first, ...rest] = parts;
  return knex.select('origin', 'row_id', 'effective_at').from(first!.unionAll(rest).as('matches'));
}

/** The page's resources, in the page's order, loaded with one query per table. */
async function load(knex: Knex, restrictions: AccessRestrictions, page: Row[]): Promise<ProvidedResource[]> {
  const loaded = new Map<string, ProvidedResource>();
  for (const source of observationSources) {
    const ids = page.filter((match) => match.origin === source.prefix).map((match) => Number(match.row_id));
    if (ids.length === 0) continue;
    // The restrictions again: a row changed between the two queries must not slip through.
    const rows = (await matchingRows(knex, source, restrictions, []).whereIn(source.idColumn, ids)) as Row[];
    for (const row of rows) loaded.set(`${source.prefix}-${String(row.id)}`, chartResource(row, source.toResource(row)));
  }
  return page.map((match) => loaded.get(`${String(match.origin)}-${String(match.row_id)}`))
    .filter((resource): resource is ProvidedResource => resource !== undefined);
}
