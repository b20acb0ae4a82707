import type { Knex } from 'knex';
import type { DateValue } from '../../../src/index.ts';

/**
 * Schedule `date` over a planning horizon held as two whole days, [first, last] inclusive. FHIR R4 search
 * (§3.1.1.4.2, ranges) compares ranges: `eq` when the horizon contains the searched range, `gt`/`ge` when the
 * horizon reaches after/into it, `lt`/`le` likewise before. The search bounds may carry a time, so each is
 * reduced to the day it falls on before comparing with the day columns.
 */
export function planningHorizonMatches(query: Knex.QueryBuilder, first: string, last: string, values: readonly DateValue[]): void {
  query.where((any) => {
    for (const date of values) {
      const startDay = date.start.slice(0, 10);
      const lastDay = lastDayBefore(date.end);
      const contains = (one: Knex.QueryBuilder) => one.where(first, '<=', startDay).where(last, '>=', lastDay);
      any.orWhere((one) => {
        switch (date.comparator) {
          case 'eq': contains(one); break;
          case 'ne': one.whereNot(contains); break;
          // A day column sorts before any instant of that day, so `first` compares with the bounds as they are.
          case 'gt': one.where(last, '>=', date.end.slice(0, 10)); break;
          case 'ge': one.where(last, '>=', startDay); break;
          case 'lt': one.where(first, '<', date.start); break;
          case 'le': one.where(first, '<', date.end); break;
        }
      });
    }
  });
}

/** The last day inside a range ending (exclusively) at `end`. */
function lastDayBefore(end: string): string {
  if (end.length > 10 && !end.endsWith('T00:00:00Z')) return end.slice(0, 10);
  const day = new Date(`${end.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}
