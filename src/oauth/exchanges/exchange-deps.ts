import type { PluginManifest } from '../../config/manifest.ts';
import type { TokenLifetimes } from '../../config/options.ts';
import type { HostDirectory } from '../../host/host-directory.ts';
import type { EhrSignIn } from '../../identity/ehr-sign-in.ts';
import type { AuthorizationCodesStore } from '../../store/authorization-codes-store.ts';
import type { RegisteredClient } from '../../store/client-registration.ts';
import type { GrantsStore } from '../../store/grants-store.ts';
import type { TokensStore } from '../../store/tokens-store.ts';
import type { TokenIssuer } from '../token-issuer.ts';

/** What the token endpoint's grant handlers share. */
export interface ExchangeDeps {
  codes: AuthorizationCodesStore;
  grants: GrantsStore;
  tokens: TokensStore;
  issuer: TokenIssuer;
  directory: HostDirectory;
  signIn: EhrSignIn;
  lifetimes: TokenLifetimes;
  resources: PluginManifest['permissions']['resources'];
  roles: { patient: string; apiServerUser: string };
  /** Permissions that open a sensitive chart (any one of them). */
  sensitiveChartPermissions: readonly string[];
}

/** The access token lifetime for a client: its registration's, or the plugin default. */
export function accessTokenSeconds(deps: ExchangeDeps, client: RegisteredClient): number {
  return client.accessTokenLifetimeSeconds ?? deps.lifetimes.accessTokenSeconds;
}

/** How long a refresh token lives: offline_access lasts long, online_access a working day (both capped by the client). */
export function refreshTokenSeconds(deps: ExchangeDeps, client: RegisteredClient, scope: string[]): number | undefined {
  const base = scope.includes('offline_access') ? deps.lifetimes.offlineRefreshTokenSeconds
    : scope.includes('online_access') ? deps.lifetimes.onlineRefreshTokenSeconds : undefined;
  if (base === undefined || !client.grantTypes.includes('refresh_token')) return undefined;
  return client.refreshTokenLifetimeSeconds ? Math.min(base, client.refreshTokenLifetimeSeconds) : base;
}
