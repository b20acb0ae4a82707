import type { PluginLogger } from '../config/options.ts';
import type { AccessPolicy } from './access-policy.ts';
import type { CallerAuthenticator } from './caller.ts';
import type { PageCursors } from './page-cursor.ts';
import type { ResourceProvider } from './provider.ts';
import type { ResourceGuard } from './resource-guard.ts';
import type { SearchLimits } from './search-parameters.ts';

/** Everything the FHIR handlers of one plugin instance share. */
export interface FhirContext {
  fhirBaseUrl: string;
  providers: ReadonlyMap<string, ResourceProvider>;
  authenticator: CallerAuthenticator;
  policy: AccessPolicy;
  guard: ResourceGuard;
  cursors: PageCursors;
  limits: SearchLimits;
  logger: PluginLogger;
}
