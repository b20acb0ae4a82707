import type { PermissionRequirement, PluginManifest } from '../config/manifest.ts';
import { formatScope } from './format-scope.ts';
import type { ParsedScopes, ResourceScope } from './parse-scope.ts';

/** The manifest's permission map and the EHR permissions the user holds now (DESIGN §5). */
export interface EhrPermissions {
  resources: PluginManifest['permissions']['resources'];
  permissions: ReadonlySet<string>;
}

/** Scopes a token may carry, and the requested scopes or parts of them the user's permissions do not allow. */
export interface PermissionScopes {
  granted: string[];
  dropped: string[];
}

/** The interactions (v2 letters) the user's EHR permissions allow on a resource type (SMART 2.2 SAL#119; DESIGN §5). */
export function permittedInteractions(resourceType: string, { resources, permissions }: EhrPermissions): string {
  const needs = resources[resourceType];
  if (needs === undefined) return '';
  const holds = (requirement: PermissionRequirement | undefined) =>
    requirement !== undefined && meets(requirement, { resources, permissions });
  const read = holds(needs.read);
  // No interaction deletes EHR data through the API, so `d` is never permitted.
  return (holds(needs.create) ? 'c' : '') + (read ? 'r' : '') + (holds(needs.update) ? 'u' : '') + (read ? 's' : '');
}

function meets(requirement: PermissionRequirement, ehr: EhrPermissions): boolean {
  if (requirement === 'any-user') return true;
  if (requirement === 'owning-resource') {
    // Binary content is reached through the document that owns it, and DocumentReference is the only owner served
    // so far. An owner that itself defers to its owner would loop, so it counts as not met.
    const owner = ehr.resources.DocumentReference?.read;
    return owner !== undefined && owner !== 'owning-resource' && meets(owner, ehr);
  }
  return requirement.some((permission) => ehr.permissions.has(permission));
}

/** Intersects approved scopes with the user's EHR permissions (SMART 2.2: scopes are limited by user policy, SAL#119; DESIGN §5). */
export function limitToPermissions(scopes: ParsedScopes, ehr: EhrPermissions): PermissionScopes {
  const granted = new Set<string>(scopes.nonResource);
  const dropped = new Set<string>();
  for (const scope of scopes.resources) {
    const split = scope.resourceType === '*' ? splitWildcard(scope, ehr) : splitByPermission(scope, ehr);
    split.granted.forEach((s) => granted.add(formatScope(s)));
    split.dropped.forEach((s) => dropped.add(formatScope(s)));
  }
  return { granted: [...granted], dropped: [...dropped] };
}

interface Split {
  granted: ResourceScope[];
  dropped: ResourceScope[];
}

function splitByPermission(scope: ResourceScope, ehr: EhrPermissions): Split {
  const permitted = permittedInteractions(scope.resourceType, ehr);
  const kept = [...scope.interactions].filter((letter) => permitted.includes(letter)).join('');
  const lost = [...scope.interactions].filter((letter) => !permitted.includes(letter)).join('');
  return {
    granted: kept ? [{ ...scope, interactions: kept }] : [],
    dropped: lost ? [{ ...scope, interactions: lost }] : [],
  };
}

// A wildcard stays a wildcard only when the user may do everything it asks on every type we serve; otherwise it
// becomes one scope per type, so the token never claims more than the EHR allows.
function splitWildcard(scope: ResourceScope, ehr: EhrPermissions): Split {
  const perType = Object.keys(ehr.resources).sort().map((resourceType) => splitByPermission({ ...scope, resourceType }, ehr));
  if (perType.every((split) => split.dropped.length === 0)) return { granted: [scope], dropped: [] };
  return { granted: perType.flatMap((s) => s.granted), dropped: perType.flatMap((s) => s.dropped) };
}
