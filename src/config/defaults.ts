import type { HostContractViews, PluginLogger } from './options.ts';

/** Every option default, in one place (documented in the README's option table). */
export const DEFAULTS = {
  development: false,
  tablePrefix: 'smart_',
  migrate: false,
  azureRequestTimeoutMs: 10_000,
  permissionCacheTtlMs: 5_000,
  fhir: {
    defaultPageSize: 50,
    maxPageSize: 200,
    // A revocation made on another instance shows within this time; on the same instance at once.
    tokenCheckTtlMs: 2_000,
  },
  tokens: {
    accessTokenSeconds: 3600,
    // At least three months whatever the start date (ONC (g)(10) refresh token lifetime).
    offlineRefreshTokenSeconds: 92 * 24 * 3600,
    onlineRefreshTokenSeconds: 8 * 3600,
    codeSeconds: 60,
    launchSeconds: 300,
    sessionSeconds: 900,
  },
  signIn: {
    maxFailuresPerAccount: 5,
    maxFailuresPerAddress: 20,
    windowSeconds: 900,
    lockoutSeconds: 900,
  },
  views: {
    users: 'smart_host_users',
    userRoles: 'smart_host_user_roles',
    userPermissions: 'smart_host_user_permissions',
    rolePermissions: 'smart_host_role_permissions',
    patients: 'smart_host_patients',
    patientLinks: 'smart_host_patient_links',
    documentTypeAccess: 'smart_host_document_type_access',
  } satisfies HostContractViews,
} as const;

/** Logs to the console as one JSON line per message; callers never pass tokens, secrets or PHI. */
export const consoleLogger: PluginLogger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', source: 'smart-ehr-plugin', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', source: 'smart-ehr-plugin', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', source: 'smart-ehr-plugin', message, ...fields })),
};
