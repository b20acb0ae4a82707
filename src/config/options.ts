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
  /** Azure AD sign-in (DESIGN §3): B2B for staff of each organization tenant, B2C for patients and representatives. */
  azure?: AzureOptions;
  /** The host's FHIR resource providers, one per resource type (DESIGN §6); the sample's are in samples/host-ehr/fhir. */
  fhirResources?: import('../fhir/provider.ts').ResourceProvider[];
  /** Settings of the FHIR API. */
  fhir?: {
    /** Page size of a search without `_count`. Default 50. */
    defaultPageSize?: number;
    /** The largest page served; a larger `_count` is lowered to it. Default 200. */
    maxPageSize?: number;
    /** How long (ms) a verified access token is trusted before its record is read again; revocations on another instance show within it. Default 2000. */
    tokenCheckTtlMs?: number;
    /** Code system of the `meta.security` label naming a confidential document type. Default `{fhirBaseUrl}/CodeSystem/confidential-document-type`. */
    documentTypeSystem?: string;
  };
}

/** One organization's Azure AD tenant whose staff may sign in (an app registration in that tenant). */
export interface AzureTenantOptions {
  /** Shown on refusal pages and in logs, e.g. `Contoso Health`. */
  name: string;
  /** The directory (tenant) id, a GUID: the `tid` every id_token must carry. */
  tenantId: string;
  /** Application (client) id of the app registration in that tenant. */
  clientId: string;
  clientSecret: string;
  /** Default `https://login.microsoftonline.com/{tenantId}/v2.0/.well-known/openid-configuration`. */
  metadataUrl?: string;
  /** Email domains of its staff (`contoso.org`); required when several tenants are configured. */
  domains?: string[];
}

/** The one Azure AD B2C tenant of patients and representatives. */
export interface AzureB2cOptions {
  clientId: string;
  clientSecret: string;
  /**
   * The tenant's v2.0 metadata without a policy, e.g.
   * `https://riverside.b2clogin.com/riverside.onmicrosoft.com/v2.0/.well-known/openid-configuration`; the policy is added as `p`.
   */
  metadataUrl: string;
  /** User flows or custom policies (`B2C_1_signin`, `B2C_1A_signin`); the first is the one the sign-in button uses. */
  policies: string[];
}

export interface AzureOptions {
  b2b?: { tenants: AzureTenantOptions[] };
  b2c?: AzureB2cOptions;
  /**
   * Extra PEM certificate(s) trusted for Azure AD metadata, keys and code redemption only (a local
   * stand-in such as samples/dev-idp). Real Azure AD needs none.
   */
  trustedCa?: string;
  /** How long one metadata, key or token request to Azure AD may take, in milliseconds. Default 10000. */
  requestTimeoutMs?: number;
}

/** Azure AD options after validation (metadata URLs filled in, domains lower-cased). */
export interface ResolvedAzureOptions {
  tenants: Array<Required<Omit<AzureTenantOptions, 'domains'>> & { domains: string[] }>;
  b2c: AzureB2cOptions | undefined;
  trustedCa: string | undefined;
  requestTimeoutMs: number;
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
  fhirResources: import('../fhir/provider.ts').ResourceProvider[];
  fhir: import('../fhir/fhir-server.ts').FhirSettings;
  azure: ResolvedAzureOptions;
}
