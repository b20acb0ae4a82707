import knexFactory, { type Knex } from 'knex';
import { ConfigurationError } from '../errors/configuration-error.ts';
import type { HostDirectory } from '../host/host-directory.ts';
import { consoleLogger, DEFAULTS } from './defaults.ts';
import { resolveAuthOptions } from './validate-auth-options.ts';
import { resolveFhirOptions } from './validate-fhir-options.ts';
import { resolveAzureOptions } from './validate-azure-options.ts';
import {
  booleanAt, functionAt, identifierAt, integerAt, isPlainObject, nonEmptyStringAt, objectAt, onlyKeys,
} from './option-checks.ts';
import type { HostContractViews, PluginLogger, ResolvedOptions, SmartPluginOptions } from './options.ts';

const TOP_LEVEL = ['knex', 'publicUrl', 'development', 'database', 'hostContract', 'hostDirectory', 'roles', 'manifest', 'logger',
  'secret', 'tokens', 'signIn', 'currentHostUser', 'allowClientCredentialsWithSecret', 'vendorCredentials', 'azure', 'fhirResources', 'fhir'] as const;
const HOST_DIRECTORY_METHODS: readonly (keyof HostDirectory)[] = [
  'findUserById', 'findUserByLogin', 'findUserByAzureObject', 'verifyPassword', 'getUserRoles', 'getUserPermissions',
  'getRolePermissions', 'getUserDocumentTypes', 'getRoleDocumentTypes', 'getPatient', 'findPatientLinks', 'searchPatients',
  'invalidate',
];

/** Validates `createSmartPlugin` options once, at construction, and fills in every default. */
export function resolveOptions(input: unknown): ResolvedOptions {
  const options = objectAt('(options)', input, false) as Partial<SmartPluginOptions> & Record<string, unknown>;
  onlyKeys('', options, TOP_LEVEL);
  const development = booleanAt('development', options.development, DEFAULTS.development);
  const publicUrl = resolvePublicUrl(options.publicUrl, development);
  const fhirOptions = resolveFhirOptions(options, `${publicUrl.href.replace(/\/+$/, '')}/fhir`);
  const { knex, ownsKnex } = resolveKnex(options.knex);
  return {
    knex,
    ownsKnex,
    publicUrl,
    ...fhirOptions,
    development,
    database: resolveDatabase(options.database),
    hostContract: resolveHostContract(options.hostContract),
    hostDirectory: resolveHostDirectory(options.hostDirectory),
    roles: resolveRoles(options.roles),
    logger: resolveLogger(options.logger),
    ...resolveAuthOptions(options, development),
    azure: resolveAzureOptions(options.azure),
  };
}

function resolveKnex(value: unknown): { knex: Knex; ownsKnex: boolean } {
  if (typeof value === 'function' && typeof (value as Partial<Knex>).schema === 'object' && 'client' in value) {
    return { knex: value as Knex, ownsKnex: false };
  }
  if (isPlainObject(value) && (typeof value.client === 'string' || typeof value.client === 'function')) {
    try {
      return { knex: knexFactory(value as Knex.Config), ownsKnex: true };
    } catch (error) {
      throw new ConfigurationError('knex', `a usable knex configuration (${(error as Error).message})`);
    }
  }
  throw new ConfigurationError('knex', 'a knex instance or a knex configuration object with a "client"', value);
}

function resolvePublicUrl(value: unknown, development: boolean): URL {
  const text = nonEmptyStringAt('publicUrl', value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError('publicUrl', 'an absolute URL such as https://ehr.example.org/smart', value);
  }
  if (url.protocol !== 'https:' && !(development && url.protocol === 'http:')) {
    throw new ConfigurationError('publicUrl', development ? 'an http: or https: URL' : 'an https: URL (plain http is allowed only with development: true)', value);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigurationError('publicUrl', 'a URL without query, fragment or credentials', value);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

function resolveDatabase(value: unknown): ResolvedOptions['database'] {
  const database = objectAt('database', value);
  onlyKeys('database', database, ['tablePrefix', 'schema', 'migrate']);
  return {
    tablePrefix: identifierAt('database.tablePrefix', database.tablePrefix, DEFAULTS.tablePrefix, 20) as string,
    schema: identifierAt('database.schema', database.schema, undefined),
    migrate: booleanAt('database.migrate', database.migrate, DEFAULTS.migrate),
  };
}

function resolveHostContract(value: unknown): ResolvedOptions['hostContract'] {
  const contract = objectAt('hostContract', value);
  onlyKeys('hostContract', contract, ['schema', 'views', 'permissionCacheTtlMs']);
  const views = objectAt('hostContract.views', contract.views);
  onlyKeys('hostContract.views', views, Object.keys(DEFAULTS.views));
  const resolved = {} as HostContractViews;
  for (const [key, fallback] of Object.entries(DEFAULTS.views) as [keyof HostContractViews, string][]) {
    resolved[key] = identifierAt(`hostContract.views.${key}`, views[key], fallback, 128) as string;
  }
  return {
    schema: identifierAt('hostContract.schema', contract.schema, undefined),
    views: resolved,
    permissionCacheTtlMs: integerAt('hostContract.permissionCacheTtlMs', contract.permissionCacheTtlMs, DEFAULTS.permissionCacheTtlMs, 0, 300_000),
  };
}

function resolveHostDirectory(value: unknown): Partial<HostDirectory> {
  const overrides = objectAt('hostDirectory', value);
  onlyKeys('hostDirectory', overrides, HOST_DIRECTORY_METHODS);
  for (const [name, method] of Object.entries(overrides)) functionAt(`hostDirectory.${name}`, method);
  return overrides as Partial<HostDirectory>;
}

function resolveRoles(value: unknown): ResolvedOptions['roles'] {
  const roles = objectAt('roles', value);
  onlyKeys('roles', roles, ['patient', 'apiServerUser']);
  const resolved: ResolvedOptions['roles'] = {};
  if (roles.patient !== undefined) resolved.patient = nonEmptyStringAt('roles.patient', roles.patient);
  if (roles.apiServerUser !== undefined) resolved.apiServerUser = nonEmptyStringAt('roles.apiServerUser', roles.apiServerUser);
  return resolved;
}

function resolveLogger(value: unknown): PluginLogger {
  if (value === undefined) return consoleLogger;
  const logger = objectAt('logger', value);
  for (const level of ['info', 'warn', 'error']) functionAt(`logger.${level}`, logger[level]);
  return logger as unknown as PluginLogger;
}
