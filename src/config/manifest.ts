import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ConfigurationError } from '../errors/configuration-error.ts';
import { packageRoot } from './package-root.ts';

/** Which EHR permissions an interaction needs: any one of a list, any signed-in user, or the owning resource's. */
export type PermissionRequirement = readonly string[] | 'any-user' | 'owning-resource';

export interface ResourcePermissions {
  read: PermissionRequirement;
  create?: PermissionRequirement;
  update?: PermissionRequirement;
}

/** The manifest (`plugin.json`) a host reads: routes, host contract, permission map, roles, migrations. */
export interface PluginManifest {
  name: string;
  version: string;
  description?: string;
  fhirVersion: '4.0.1';
  routes: { method: string; path: string; description: string }[];
  hostContract: { views: Record<string, { defaultName: string; columns: string[]; description?: string }> };
  roles: { patient: string; apiServerUser: string };
  permissions: { sensitiveCharts: string[]; resources: Record<string, ResourcePermissions> };
  migrations: string[];
}

/** Reads the package's own plugin.json. */
export function readBundledManifest(): unknown {
  return JSON.parse(readFileSync(join(packageRoot(), 'plugin.json'), 'utf8'));
}

let schemaText: string | undefined;

/** Validates a manifest against plugin.schema.json; the error names the first failing path. */
export function validateManifest(manifest: unknown, optionPath = 'manifest'): PluginManifest {
  schemaText ??= readFileSync(join(packageRoot(), 'plugin.schema.json'), 'utf8');
  const ajv = new Ajv({ allErrors: false, strict: true });
  const validate = ajv.compile(JSON.parse(schemaText));
  if (!validate(manifest)) {
    const [first] = validate.errors ?? [];
    const where = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
    const path = where ? `${optionPath}.${where}` : optionPath;
    throw new ConfigurationError(path, `a manifest matching plugin.schema.json (${first?.message ?? 'invalid'})`);
  }
  return manifest as PluginManifest;
}
