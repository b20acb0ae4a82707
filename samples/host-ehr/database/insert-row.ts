import type { Knex } from 'knex';

/**
 * Inserts one row and returns its generated id. One row at a time because the order of ids returned
 * by a multi-row INSERT ... RETURNING is not guaranteed in every dialect, and the seed needs to know
 * which id belongs to which row.
 */
export async function insertRow(trx: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [inserted] = (await trx(table).insert(row).returning('id')) as Array<{ id: number | string } | number>;
  const id = typeof inserted === 'object' ? inserted.id : inserted;
  if (id === undefined) throw new Error(`no id returned for a row of ${table}`);
  return Number(id);
}

/** Inserts rows whose ids nobody needs (link tables, leaf clinical rows), in modest batches. */
export async function insertRows(trx: Knex, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  // SQL Server accepts at most 2100 parameters per statement; 50 rows stays well under it.
  for (let start = 0; start < rows.length; start += 50) {
    await trx(table).insert(rows.slice(start, start + 50));
  }
}
