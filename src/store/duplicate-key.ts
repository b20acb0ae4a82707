/**
 * True when an insert failed on a primary key or unique index. We insert and catch instead of
 * `onConflict`, which SQL Server's knex dialect does not support.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: unknown; number?: unknown; errno?: unknown };
  if (e.code === '23505') return true; // PostgreSQL unique_violation
  if (e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  return e.number === 2627 || e.number === 2601; // SQL Server: PK / unique index violation
}
