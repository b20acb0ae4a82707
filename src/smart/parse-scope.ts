/** Who a resource scope speaks for (SMART App Launch 2.2 scopes-and-launch-context, "Scopes for requesting FHIR resources"). */
export type ScopeContext = 'patient' | 'user' | 'system';

/** Whether the client wrote the interactions as v1 (`read`, `write`, `*`) or v2 (`cruds` letters) (SMART 2.2 "Scopes for requesting FHIR resources"). */
export type ScopeForm = 'v1' | 'v2';

/** A parsed `context/Type.interactions[?category=...]` scope (SMART 2.2 "Scopes for requesting FHIR resources"). */
export interface ResourceScope {
  readonly context: ScopeContext;
  /** A FHIR resource type, or `*` for every type. */
  readonly resourceType: string;
  /** v2 letters, a non-empty subset of `cruds` in that order; v1 forms are normalised here. */
  readonly interactions: string;
  readonly form: ScopeForm;
  /** The granular `?category=` value as written (`system|code` or `code`); undefined when unrestricted. */
  readonly category: string | undefined;
}

/** Context, identity and refresh scopes (SMART 2.2 "Scopes for requesting context data", "identity data", "a refresh token"). */
export const NON_RESOURCE_SCOPES = [
  'openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access',
] as const;

/** One of the non-resource scopes this server understands (SMART 2.2 scopes-and-launch-context). */
export type NonResourceScope = (typeof NON_RESOURCE_SCOPES)[number];

/** A requested scope string split by kind (RFC 6749 §3.3; SMART 2.2 scopes-and-launch-context). */
export interface ParsedScopes {
  readonly resources: readonly ResourceScope[];
  readonly nonResource: readonly NonResourceScope[];
  /** Tokens we do not understand or do not support; the caller drops them or answers invalid_scope. */
  readonly unknown: readonly string[];
}

/** The v2 letters each v1 permission stands for (SMART 2.2 "Scopes for requesting FHIR resources", v1 compatibility). */
export const V1_PERMISSIONS: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };

// `c?r?u?d?s?` enforces the spec's fixed order and forbids repeats; emptiness is checked separately.
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)(?:\?(.*))?$/;

// Only the `category` parameter is supported; any other query would widen or narrow access in ways we don't enforce.
const CATEGORY_QUERY = /^category=([^&=]+)$/;

/** Parses one scope token; undefined when it is unknown or unsupported (SMART 2.2 scopes-and-launch-context). */
export function parseScope(token: string): ResourceScope | NonResourceScope | undefined {
  if ((NON_RESOURCE_SCOPES as readonly string[]).includes(token)) return token as NonResourceScope;
  const match = RESOURCE_SCOPE.exec(token);
  if (!match) return undefined;
  const [, context, resourceType, permission, query] = match as RegExpExecArray & [string, ScopeContext, string, string, string?];
  if (permission === '') return undefined;
  let category: string | undefined;
  if (query !== undefined) {
    category = CATEGORY_QUERY.exec(query)?.[1];
    if (category === undefined) return undefined;
  }
  const v1 = V1_PERMISSIONS[permission];
  return { context, resourceType, interactions: v1 ?? permission, form: v1 ? 'v1' : 'v2', category };
}

/** Parses a space-delimited scope parameter; repeated tokens count once (RFC 6749 §3.3). */
export function parseScopes(scope: string): ParsedScopes {
  const resources: ResourceScope[] = [];
  const nonResource: NonResourceScope[] = [];
  const unknown: string[] = [];
  for (const token of new Set(scope.split(' ').filter(Boolean))) {
    const parsed = parseScope(token);
    if (parsed === undefined) unknown.push(token);
    else if (typeof parsed === 'string') nonResource.push(parsed);
    else resources.push(parsed);
  }
  return { resources, nonResource, unknown };
}
