import type { Knex } from 'knex';
import type { DateValue, ReferenceValue, SearchValue, StringValue, TokenValue } from '../../../src/index.ts';
import { numericId } from './row-ids.ts';

/**
 * One search criterion's values (OR'd) as a knex WHERE clause, by FHIR R4 search parameter type (§3.1.1.4).
 * The search-parameters.ts factories pair these with the parameters a provider declares.
 */

/** How a token parameter maps onto columns: a system column, or a fixed system for the whole table. */
export interface TokenColumns {
  code: string;
  system?: string;
  fixedSystem?: string;
}

/** `code`, `system|code`, `|code`: a match on any of the values (OR). */
export function whereToken(query: Knex.QueryBuilder, columns: TokenColumns, values: readonly SearchValue[]): void {
  query.where((any) => {
    let matchable = false;
    for (const value of values) {
      const token = value as TokenValue;
      if (token.system !== undefined) {
        if (columns.system !== undefined) {
          // `|code` asks for a code with no system; the schema always records a system.
          if (token.system === '') continue;
          any.orWhere((both) => both.where(columns.system!, token.system!).where(columns.code, token.code));
          matchable = true;
          continue;
        }
        if (token.system !== (columns.fixedSystem ?? '')) continue;
      }
      any.orWhere(columns.code, token.code);
      matchable = true;
    }
    if (!matchable) any.whereRaw('1 = 0');
  });
}

/** A token parameter whose value is fixed for the whole table (e.g. Observation category `laboratory`). */
export function tokenMatchesConstant(values: readonly SearchValue[], system: string, code: string): boolean {
  return values.some((value) => {
    const token = value as TokenValue;
    return token.code === code && (token.system === undefined || token.system === system);
  });
}

/** A reference parameter: `id` or `Type/id`; values of another type, or non-numeric ids, match nothing. */
export function whereReference(query: Knex.QueryBuilder, column: string, type: string, values: readonly SearchValue[]): void {
  const ids = values
    .map((value) => value as ReferenceValue)
    .filter((ref) => ref.resourceType === undefined || ref.resourceType === type)
    .map((ref) => numericId(ref.id))
    .filter((id): id is number => id !== undefined);
  if (ids.length === 0) query.whereRaw('1 = 0');
  else query.whereIn(column, ids);
}

/**
 * A date comparator over a column holding `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ` strings (the plugin gives
 * bounds in the same forms, so they compare as strings). The parameter's range is [start, end).
 */
export function whereDate(query: Knex.QueryBuilder, column: string, values: readonly SearchValue[]): void {
  query.where((any) => {
    for (const value of values) {
      const date = value as DateValue;
      any.orWhere((one) => {
        switch (date.comparator) {
          case 'eq': one.where(column, '>=', date.start).where(column, '<', date.end); break;
          case 'ne': one.where((not) => not.where(column, '<', date.start).orWhere(column, '>=', date.end)); break;
          case 'gt': one.where(column, '>=', date.end); break;
          case 'ge': one.where(column, '>=', date.start); break;
          case 'lt': one.where(column, '<', date.start); break;
          case 'le': one.where(column, '<', date.end); break;
        }
      });
    }
  });
}

/** A string parameter over one or more columns: prefix (default), `:exact` or `:contains`, case-insensitive but for exact. */
export function whereString(query: Knex.QueryBuilder, columns: readonly string[], values: readonly SearchValue[]): void {
  query.where((any) => {
    for (const value of values) {
      const text = value as StringValue;
      for (const column of columns) {
        if (text.match === 'exact') {
          any.orWhere(column, text.value);
        } else {
          const escaped = text.value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
          const pattern = text.match === 'contains' ? `%${escaped}%` : `${escaped}%`;
          any.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [column, pattern]);
        }
      }
    }
  });
}
