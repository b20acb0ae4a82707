import type { Knex } from 'knex';
import type { PluginManifest } from '../config/manifest.ts';
import { migrationStatus } from '../store/migrate.ts';
import type { TableNames } from '../store/table-names.ts';
import { asyncRoute } from './async-route.ts';

/** GET {mount}/status: is the plugin's database reachable and its schema current? No PHI, no secrets. */
export function statusRoute(deps: { knex: Knex; tables: TableNames; manifest: PluginManifest; urls: PluginUrls }) {
  return asyncRoute(async (_req, res) => {
    let database: { reachable: boolean; pendingMigrations: string[] };
    try {
      const { pending } = await migrationStatus(deps.knex, deps.tables);
      database = { reachable: true, pendingMigrations: pending };
    } catch {
      database = { reachable: false, pendingMigrations: [] };
    }
    const healthy = database.reachable && database.pendingMigrations.length === 0;
    res.status(healthy ? 200 : 503).set('Cache-Control', 'no-store').json({
      status: healthy ? 'ok' : 'unavailable',
      name: deps.manifest.name,
      version: deps.manifest.version,
      issuer: deps.urls.issuer,
      fhirBaseUrl: deps.urls.fhirBaseUrl,
      database,
    });
  });
}

/** The public URLs derived from `publicUrl`; never built from request headers. */
export interface PluginUrls {
  publicUrl: string;
  issuer: string;
  fhirBaseUrl: string;
}
