import type { Knex } from 'knex';
import type { AccessRestrictions, TokenValue } from '../../../src/index.ts';
import type { SearchParameter } from './search-parameters.ts';

/**
 * Granular scopes (SMART App Launch 2.2, `?category=`) as a table's `restrict` hook: the categories the scopes
 * allow narrow the rows exactly as `category=` with those values would, so a scope and a search can never
 * disagree on what a category is. With no allowed category left, nothing matches.
 */
export function categoryRestriction(category: SearchParameter) {
  return (query: Knex.QueryBuilder, restrictions: AccessRestrictions): void => {
    if (restrictions.categories === 'all') return;
    category.apply(query, restrictions.categories.map(({ system, code }): TokenValue => ({ kind: 'token', system, code })));
  };
}
