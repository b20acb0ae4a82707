import type { Router } from 'express';
import type { Knex } from 'knex';
import { readBundledManifest, validateManifest, type PluginManifest } from './config/manifest.ts';
import type { SmartPluginOptions } from './config/options.ts';
import { resolveOptions } from './config/validate-options.ts';
import type { HostDirectory } from './host/host-directory.ts';
import { createSqlHostDirectory } from './host/sql-host-directory.ts';
import { createPluginRouter } from './http/plugin-router.ts';
import { createAuthorizationServer } from './oauth/authorization-server.ts';
import { createLaunch, type LaunchInput } from './oauth/create-launch.ts';
import { createFhirServer } from './fhir/fhir-server.ts';
import { GrantsApi } from './oauth/grants-api.ts';
import type { PluginUrls } from './http/status-route.ts';
import type { ClientsStore } from './store/clients-store.ts';
import { ClientResolver } from './oauth/client-resolver.ts';
import { migrateToLatest, migrationStatus, type MigrationStatus } from './store/migrate.ts';
import { TableNames } from './store/table-names.ts';

/** One mounted plugin instance; nothing is shared with any other instance in the process. */
export interface SmartPlugin {
  /** Mount it where `publicUrl` points: `app.use('/smart', plugin.router)`. */
  readonly router: Router;
  readonly manifest: PluginManifest;
  readonly urls: PluginUrls;
  /** The host directory in use (contract views, with the host's overrides applied). */
  readonly hostDirectory: HostDirectory;
  /** Client registration (JS API behind the `clients` CLI). */
  readonly clients: ClientsStore;
  /** The role names in force (manifest defaults, overridden by options). */
  readonly roles: { patient: string; apiServerUser: string };
  /** EHR launch: an opaque, short-lived, single-use launch id for the signed-in user (SMART App Launch 2.2). */
  createLaunch(input: LaunchInput): Promise<{ launch: string; expiresAt: Date }>;
  /** A person's authorized apps, and revocation of one (patient portal and administrators). */
  readonly grants: GrantsApi;
  /** The token signing keys: `rotate()` makes a new key sign while the old stays published until its tokens expire. */
  readonly keys: { rotate(): Promise<string> };
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Releases what the plugin opened itself (its own knex pool); a knex the host passed in stays open. */
  close(): Promise<void>;
}

/**
 * Creates a plugin instance. Options are validated here, once; a bad option throws a ConfigurationError
 * naming its path. With `database.migrate: true` pending migrations run before this resolves.
 */
export async function createSmartPlugin(options: SmartPluginOptions): Promise<SmartPlugin> {
  const resolved = resolveOptions(options);
  const { knex } = resolved;
  try {
    const manifest = validateManifest(options.manifest ?? readBundledManifest());
    const tables = new TableNames(resolved.database.tablePrefix, resolved.database.schema);
    if (resolved.database.migrate) await migrateToLatest(knex, tables);
    const urls = derivedUrls(resolved.publicUrl);
    const directory: HostDirectory = {
      ...createSqlHostDirectory(knex, resolved.hostContract),
      ...resolved.hostDirectory,
    };
    // `invalidate` also reaches the FHIR API's own short caches (active users, links, merged document types).
    let invalidateFhir: (userId?: string) => void = () => {};
    const hostDirectory: HostDirectory = {
      ...directory,
      invalidate: (userId) => {
        directory.invalidate(userId);
        invalidateFhir(userId);
      },
    };
    const clients = new ClientResolver(knex, tables, resolved.vendorCredentials);
    const roles = { ...manifest.roles, ...resolved.roles };
    const auth = createAuthorizationServer({ knex, tables, options: resolved, manifest, directory: hostDirectory, clients, urls, roles });
    const fhir = createFhirServer({
      providers: resolved.fhirResources, settings: resolved.fhir, urls, manifest, directory: hostDirectory, patientRole: roles.patient,
      permissionCacheTtlMs: resolved.hostContract.permissionCacheTtlMs, verifier: auth.verifier,
      counters: { tokens: auth.tokens, grants: auth.grants }, secret: resolved.secret, logger: resolved.logger, development: resolved.development,
    });
    invalidateFhir = fhir.invalidate;
    return {
      router: createPluginRouter({ knex, tables, manifest, urls, logger: resolved.logger, authRouter: auth.router, fhirRouter: fhir.router }),
      manifest,
      urls,
      hostDirectory,
      clients,
      roles,
      createLaunch: (input) => createLaunch({
        directory: hostDirectory, clients, launches: auth.launches, lifetimeSeconds: resolved.tokens.launchSeconds,
        sensitiveChartPermissions: manifest.permissions.sensitiveCharts,
      }, input),
      grants: new GrantsApi(knex, auth.grants, auth.tokens, clients),
      keys: { rotate: () => auth.keys.rotate() },
      migrate: () => migrateToLatest(knex, tables),
      migrationStatus: () => migrationStatus(knex, tables),
      close: () => closeOwned(knex, resolved.ownsKnex),
    };
  } catch (error) {
    await closeOwned(knex, resolved.ownsKnex);
    throw error;
  }
}

function derivedUrls(publicUrl: URL): PluginUrls {
  const base = publicUrl.href.replace(/\/+$/, '');
  return { publicUrl: base, issuer: `${base}/auth`, fhirBaseUrl: `${base}/fhir` };
}

async function closeOwned(knex: Knex, owns: boolean): Promise<void> {
  if (owns) await knex.destroy();
}
