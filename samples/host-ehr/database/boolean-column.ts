/**
 * Reads a boolean column the same way on every database: PostgreSQL and SQL Server return true/false,
 * SQLite returns 1/0, and the contract views return 1/0 everywhere.
 */
export function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}
