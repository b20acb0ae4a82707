import type { Router } from 'express';
import type { PluginManifest } from '../config/manifest.ts';
import type { PluginLogger } from '../config/options.ts';
import type { HostDirectory } from '../host/host-directory.ts';
import type { AccessTokenVerifier } from '../oauth/access-token-verifier.ts';
import { smartDiscoveryRoute } from '../oauth/endpoints/discovery.ts';
import { deriveKey } from '../store/key-protection.ts';
import { AccessPolicy } from './access-policy.ts';
import { CallerAuthenticator, type RevocationCounters } from './caller.ts';
import { capabilityStatement } from './capability-statement.ts';
import { createFhirRouter } from './fhir-router.ts';
import { PageCursors } from './page-cursor.ts';
import type { ResourceProvider } from './provider.ts';
import { ResourceGuard } from './resource-guard.ts';

/** Settings of the FHIR API (option `fhir`), defaults filled in. */
export interface FhirSettings {
  defaultPageSize: number;
  maxPageSize: number;
  /** How long a verified access token is trusted before its record is read again. */
  tokenCheckTtlMs: number;
  /** Code system of the site's confidential document type labels (`meta.security`). */
  documentTypeSystem: string;
}

/** Builds the resource server of one plugin instance (DESIGN §5, §6): its router, and how to drop its caches. */
export function createFhirServer(input: {
  providers: readonly ResourceProvider[];
  settings: FhirSettings;
  urls: { issuer: string; fhirBaseUrl: string; publicUrl: string };
  manifest: PluginManifest;
  directory: HostDirectory;
  patientRole: string;
  permissionCacheTtlMs: number;
  verifier: AccessTokenVerifier;
  counters: RevocationCounters;
  secret: Buffer;
  logger: PluginLogger;
  development: boolean;
}): { router: Router; invalidate(subject?: string): void } {
  const { urls, settings } = input;
  const policy = new AccessPolicy(input.directory, input.manifest, input.patientRole, input.permissionCacheTtlMs, urls.fhirBaseUrl);
  const providers = new Map(input.providers.map((p) => [p.resourceType, p]));
  const metadata = capabilityStatement(input.providers, {
    fhirBaseUrl: urls.fhirBaseUrl, authorize: `${urls.issuer}/authorize`, token: `${urls.issuer}/token`,
    revoke: `${urls.issuer}/revoke`, introspect: `${urls.issuer}/introspect`,
  }, { version: input.manifest.version, date: new Date().toISOString().slice(0, 10) });
  const router = createFhirRouter({
    fhirBaseUrl: urls.fhirBaseUrl,
    providers,
    authenticator: new CallerAuthenticator(input.verifier, input.counters, urls.fhirBaseUrl, settings.tokenCheckTtlMs),
    policy,
    guard: new ResourceGuard((patientId) => policy.isSensitiveChart(patientId), settings.documentTypeSystem, input.logger),
    cursors: new PageCursors(deriveKey(input.secret, 'fhir-page-cursor')),
    limits: { defaultCount: settings.defaultPageSize, maxCount: settings.maxPageSize },
    logger: input.logger,
  }, { discovery: smartDiscoveryRoute(urls), metadata: () => metadata, development: input.development });
  return { router, invalidate: (subject) => policy.invalidate(subject) };
}
