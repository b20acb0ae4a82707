import type { Knex } from 'knex';
import type { HostDirectory } from '../host/host-directory.ts';

/** Names of the host contract views (DESIGN §2); a DBA may create them under other names. */
export interface HostContractViews {
  users: string;
  userRoles: string;
  userPermissions: string;
  rolePermissions: string;
  patients: string;
  patientLinks: string;
  documentTypeAccess: string;
}

/** Options accepted by `createSmartPlugin`. Every default lives in `defaults.ts`. */
export interface SmartPluginOptions {
  /** A knex instance shared with the host, or a knex configuration the plugin opens (and closes) itself. */
  knex: Knex | Knex.Config;
  /** Absolute public URL at which the host mounts `plugin.router`, e.g. `https://ehr.example.org/smart`. */
  publicUrl: string;
  /** Development mode: allows a plain-http publicUrl and non-Secure cookies. Never enable in production. */
  development?: boolean;
  database?: {
    /** Prefix of every plugin table (letters, digits, underscore). Default `smart_`. */
    tablePrefix?: string;
    /** Database schema of the plugin tables (PostgreSQL, SQL Server). Default: the connection's default. */
    schema?: string;
    /** Run pending migrations when the plugin is created. Default false: run `smart-ehr-plugin migrate`. */
    migrate?: boolean;
  };
  hostContract?: {
    /** Schema holding the contract views. Default: the connection's default. */
    schema?: string;
    views?: Partial<HostContractViews>;
    /** How long effective permissions are cached, in milliseconds. Default 5000; 0 disables the cache. */
    permissionCacheTtlMs?: number;
  };
  /** Replace any method of the SQL host directory, e.g. the host's own password verification. */
  hostDirectory?: Partial<HostDirectory>;
  /** Overrides of the plugin.json role names. */
  roles?: { patient?: string; apiServerUser?: string };
  /** A host-customised manifest (e.g. another permission map); validated against plugin.schema.json. Default: the bundled plugin.json. */
  manifest?: unknown;
  /** Where the plugin writes operational messages. Never receives tokens, secrets or PHI. Default: console. */
  logger?: PluginLogger;
}

export interface PluginLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  knex: Knex;
  ownsKnex: boolean;
  publicUrl: URL;
  development: boolean;
  database: { tablePrefix: string; schema: string | undefined; migrate: boolean };
  hostContract: { schema: string | undefined; views: HostContractViews; permissionCacheTtlMs: number };
  hostDirectory: Partial<HostDirectory>;
  /** Role-name overrides; the manifest supplies the defaults. */
  roles: { patient?: string; apiServerUser?: string };
  logger: PluginLogger;
}
