import { V1_PERMISSIONS, type ParsedScopes, type ResourceScope } from './parse-scope.ts';

const V1_BY_LETTERS = new Map(Object.entries(V1_PERMISSIONS).map(([v1, letters]) => [letters, v1]));

/** Writes a resource scope in the form the client used (SMART 2.2 v1 compatibility: SHOULD answer v1 with v1). */
export function formatScope(scope: ResourceScope): string {
  // Every token parseScope accepts comes back as the client's own string. Letters v1 cannot express
  // (`rus`, `c`) are written in v2 rather than widened to `*` or cut down to `read`.
  const permission = scope.form === 'v1' ? (V1_BY_LETTERS.get(scope.interactions) ?? scope.interactions) : scope.interactions;
  const query = scope.category === undefined ? '' : `?category=${scope.category}`;
  return `${scope.context}/${scope.resourceType}.${permission}${query}`;
}

/** Writes parsed scopes as a space-delimited scope value, unknown tokens left out (RFC 6749 §3.3). */
export function formatScopes(scopes: ParsedScopes): string {
  return [...scopes.nonResource, ...scopes.resources.map(formatScope)].join(' ');
}
