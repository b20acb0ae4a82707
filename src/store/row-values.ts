/** Normalisers for values that come back differently from SQLite, PostgreSQL and SQL Server. */

/** SQLite returns epoch milliseconds, PostgreSQL and SQL Server a Date; some drivers a string. */
export function readDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  if (typeof value === 'string') {
    const numeric = Number(value);
    return Number.isFinite(numeric) && /^\d+$/.test(value) ? new Date(numeric) : new Date(value);
  }
  throw new TypeError(`not a date value: ${typeof value}`);
}

/** SQLite returns 0/1, SQL Server and PostgreSQL booleans; views may return 'Y'/'N' or '1'/'0'. */
export function readBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  if (typeof value === 'string') return ['1', 'true', 't', 'y', 'yes'].includes(value.trim().toLowerCase());
  return false;
}

/** Identifiers may be integers in the host's tables; the plugin handles them as strings. */
export function readId(value: unknown): string {
  return String(value);
}

export function readOptionalString(value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : String(value);
}

/** JSON kept in text columns (nvarchar(max) on SQL Server is never parsed by the driver). */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
