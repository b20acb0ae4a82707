import type { Knex } from 'knex';

type Row = Record<string, unknown>;

/**
 * The rows that belong to a page's resources (a report's results, a team's members, a plan's goals), grouped by
 * their parent's id. One query per page, not per resource, so a page of 100 costs the same as a page of one.
 * `query` sets the order the children are listed in; `parentColumn` must be among its selected columns.
 */
export async function childRowsOf(
  query: Knex.QueryBuilder, parentColumn: string, parentIds: readonly number[],
): Promise<Map<number, Row[]>> {
  const byParent = new Map<number, Row[]>();
  if (parentIds.length === 0) return byParent;
  for (const row of (await query.whereIn(parentColumn, parentIds)) as Row[]) {
    const parent = Number(row[parentColumn]);
    byParent.set(parent, [...(byParent.get(parent) ?? []), row]);
  }
  return byParent;
}
