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
  /**
   * At least 32 characters of secret from the host's secret store, the same on every instance. The plugin
   * derives from it the key that encrypts its signing keys at rest and the key that signs its cookies.
   * Required unless `development` is true (then a random per-process secret is used).
   */
  secret?: string;
  /** Token and code lifetimes, in seconds. */
  tokens?: Partial<TokenLifetimes>;
  /** Failed sign-in limits (DESIGN §4): per account and per source address, with a lockout. */
  signIn?: Partial<SignInLimits>;
  /**
   * Who is signed in to the host EHR for this request (its user id), so an EHR launch does not ask again.
   * Called on the plugin's own routes only.
   */
  currentHostUser?: (req: import('express').Request) => string | undefined | Promise<string | undefined>;
  /** Allow the deprecated client_credentials grant with a client secret (off by default; responses carry Deprecation). */
  allowClientCredentialsWithSecret?: boolean;
  /**
   * Accept applications whose client id and secret are JWTs issued by the vendor's developer portal,
   * verified with this certificate (PEM certificate or public key) and issuer, without a clients table row.
   */
  vendorCredentials?: { certificate: string; issuer: string };
}

export interface TokenLifetimes {
  /** Default 3600. */
  accessTokenSeconds: number;
  /** Refresh tokens for `offline_access`. Default 92 days (at least three months). */
  offlineRefreshTokenSeconds: number;
  /** Refresh tokens for `online_access`. Default 8 hours. */
  onlineRefreshTokenSeconds: number;
  /** Authorization codes. Default 60. */
  codeSeconds: number;
  /** EHR launch contexts created by `createLaunch`. Default 300. */
  launchSeconds: number;
  /** The plugin's sign-in session (login, picker, consent). Default 900. */
  sessionSeconds: number;
}

export interface SignInLimits {
  /** Failures of one account within the window that lock it. Default 5. */
  maxFailuresPerAccount: number;
  /** Failures from one address within the window that lock that address. Default 20. */
  maxFailuresPerAddress: number;
  /** Default 900 (15 minutes). */
  windowSeconds: number;
  /** Default 900 (15 minutes). */
  lockoutSeconds: number;
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
  secret: Buffer;
  tokens: TokenLifetimes;
  signIn: SignInLimits;
  currentHostUser: NonNullable<SmartPluginOptions['currentHostUser']> | undefined;
  allowClientCredentialsWithSecret: boolean;
  vendorCredentials: { publicKey: import('node:crypto').KeyObject; issuer: string } | undefined;
}
