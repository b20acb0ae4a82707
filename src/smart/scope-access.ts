import type { ResourceScope, ScopeContext } from './parse-scope.ts';

/** A FHIR REST interaction a scope letter permits (SMART 2.2 "Scopes for requesting FHIR resources": c, r, u, s). */
export type ScopeInteraction = 'read' | 'search' | 'create' | 'update';

/** What the granted scopes permit for one request: which categories, and through which scope contexts. */
export type ScopeAccess =
  | { allowed: false }
  | { allowed: true; categories: 'all' | string[]; via: ScopeContext[] };

const LETTER: Readonly<Record<ScopeInteraction, string>> = { read: 'r', search: 's', create: 'c', update: 'u' };

// How far each scope context reaches. A request is `within` the token's patient compartment ('patient'), what the
// user may see ('user') or every patient ('system'); a scope matches when its context reaches that far. The caller
// then enforces the compartment or the user's visibility for each context it is told matched.
const REACHES: Readonly<Record<ScopeContext, readonly ScopeContext[]>> = {
  patient: ['patient'],
  user: ['patient', 'user'],
  system: ['patient', 'user', 'system'],
};

/** The subset of a request the granted scopes permit (SMART 2.2 resource and granular scopes; DESIGN §5). */
export function scopeAccess(
  granted: readonly ResourceScope[],
  resourceType: string,
  interaction: ScopeInteraction,
  within: ScopeContext,
): ScopeAccess {
  const matching = granted.filter((scope) =>
    REACHES[scope.context].includes(within)
    && (scope.resourceType === '*' || scope.resourceType === resourceType)
    && scope.interactions.includes(LETTER[interaction]));
  if (matching.length === 0) return { allowed: false };
  const via = (['patient', 'user', 'system'] as const).filter((context) => matching.some((s) => s.context === context));
  // Granular scopes add up; one unrestricted scope lifts the category filter altogether.
  const categories = matching.some((s) => s.category === undefined)
    ? 'all'
    : [...new Set(matching.flatMap((s) => s.category ?? []))];
  return { allowed: true, categories, via };
}
