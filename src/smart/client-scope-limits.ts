import { formatScope } from './format-scope.ts';
import { parseScope, type NonResourceScope, type ParsedScopes, type ResourceScope } from './parse-scope.ts';

/** What a client may have of what it asked for, and what its registration does not allow. */
export interface ClientScopeLimits {
  /** The covered scopes; `unknown` is empty, since the caller has already decided about unknown tokens. */
  allowed: ParsedScopes;
  /** The requested tokens no registered scope covers, for invalid_scope or the consent page. */
  refused: string[];
}

/** Keeps only the requested scopes the client's registration covers (RFC 6749 §3.3: the server may narrow scope). */
export function limitToClient(requested: ParsedScopes, registeredScopes: readonly string[]): ClientScopeLimits {
  const registered = registeredScopes.map(parseScope);
  const registeredResources = registered.filter((scope): scope is ResourceScope => typeof scope === 'object');
  const resources: ResourceScope[] = [];
  const nonResource: NonResourceScope[] = [];
  const refused: string[] = [];
  for (const scope of requested.resources) {
    if (registeredResources.some((r) => covers(r, scope))) resources.push(scope);
    else refused.push(formatScope(scope));
  }
  // Context, identity and refresh scopes change what a token is, so each must be registered as written.
  for (const scope of requested.nonResource) {
    if (registered.includes(scope)) nonResource.push(scope);
    else refused.push(scope);
  }
  return { allowed: { resources, nonResource, unknown: [] }, refused };
}

function covers(registered: ResourceScope, requested: ResourceScope): boolean {
  return registered.context === requested.context
    && (registered.resourceType === '*' || registered.resourceType === requested.resourceType)
    && [...requested.interactions].every((letter) => registered.interactions.includes(letter))
    // An unrestricted registration covers any category; a granular one only its own.
    && (registered.category === undefined || registered.category === requested.category);
}
