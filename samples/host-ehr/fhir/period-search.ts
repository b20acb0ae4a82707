import type { Knex } from 'knex';
import type { DateValue, SearchValue } from '../../../src/index.ts';

/** The columns of a Period; an open end means the period is still going on. */
export interface PeriodColumns {
  start: string;
  end: string;
}

/**
 * A date parameter over a Period (FHIR R4 search §3.1.1.4.2, "date" against a range): `eq` when the search
 * range contains the period, `gt`/`ge` when the period reaches past the range's end/start, `lt`/`le` when it began
 * before the range's start/end. Bounds are strings in the stored forms, so they compare as strings, as in `whereDate`.
 */
export function wherePeriod(query: Knex.QueryBuilder, columns: PeriodColumns, values: readonly SearchValue[]): void {
  const { start, end } = columns;
  const endsAtOrAfter = (clause: Knex.QueryBuilder, bound: string) =>
    clause.where((open) => open.whereNull(end).orWhere(end, '>=', bound));
  query.where((any) => {
    for (const value of values) {
      const date = value as DateValue;
      any.orWhere((one) => {
        // A row without a period (a note written outside any visit) matches no date at all.
        one.whereNotNull(start);
        switch (date.comparator) {
          case 'eq': one.where(start, '>=', date.start).whereNotNull(end).where(end, '<', date.end); break;
          case 'ne': one.where((not) => not.where(start, '<', date.start).orWhereNull(end).orWhere(end, '>=', date.end)); break;
          case 'gt': endsAtOrAfter(one, date.end); break;
          case 'ge': endsAtOrAfter(one, date.start); break;
          case 'lt': one.where(start, '<', date.start); break;
          case 'le': one.where(start, '<', date.end); break;
        }
      });
    }
  });
}
