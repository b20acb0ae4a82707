import type { PluginManifest } from '../config/manifest.ts';
import type { HostDirectory } from '../host/host-directory.ts';
import { TtlCache } from '../host/ttl-cache.ts';
import { permittedInteractions } from '../smart/permission-scopes.ts';
import { scopeAccess, type ScopeInteraction } from '../smart/scope-access.ts';
import type { Caller } from './caller.ts';
import { bearerChallenge, FhirHttpError } from './operation-outcome.ts';
import type { AccessRestrictions, CategoryToken } from './provider.ts';

const LETTER: Readonly<Record<ScopeInteraction, string>> = { read: 'r', search: 's', create: 'c', update: 'u' };

/**
 * What a caller may do with a resource type right now (DESIGN §5): the token's scopes ∩ the user's current EHR
 * permissions (for patients and representatives: the Patient role) ∩ the patient compartment ∩ labels. The answer
 * is the restrictions a provider applies in its query; a type the caller may not use at all is a 403.
 */
export class AccessPolicy {
  private readonly activeUsers: TtlCache<boolean>;
  private readonly links: TtlCache<ReadonlySet<string>>;
  private readonly sensitive: TtlCache<boolean>;
  private readonly documentTypes: TtlCache<ReadonlySet<string>>;

  constructor(
    private readonly directory: HostDirectory,
    private readonly manifest: PluginManifest,
    private readonly patientRole: string,
    cacheTtlMs: number,
    /** The protection space of 401 challenges (the FHIR base URL), as the authenticator names it. */
    private readonly realm: string,
  ) {
    this.activeUsers = new TtlCache(cacheTtlMs);
    this.links = new TtlCache(cacheTtlMs);
    this.sensitive = new TtlCache(cacheTtlMs);
    this.documentTypes = new TtlCache(cacheTtlMs);
  }

  async restrictionsFor(caller: Caller, resourceType: string, interaction: ScopeInteraction): Promise<AccessRestrictions> {
    const permissions = await this.permissionsOf(caller);
    const granted = (within: 'user' | 'patient') => {
      const own = scopeAccess(caller.scopes, resourceType, interaction, within);
      // Binary follows the document that owns it: a scope to read DocumentReference reads its content too.
      return own.allowed || resourceType !== 'Binary' ? own : scopeAccess(caller.scopes, 'DocumentReference', interaction, within);
    };
    // Portal users act only within the chart they chose; their tokens carry patient/ scopes only.
    let access = caller.kind === 'staff' ? granted('user') : { allowed: false as const };
    let patientId: string | undefined;
    if (!access.allowed) {
      access = granted('patient');
      patientId = caller.patientId;
      if (access.allowed && patientId === undefined) {
        throw new FhirHttpError(403, 'forbidden', 'The token\'s patient/ scopes need a patient in context, and it has none.');
      }
    }
    if (!access.allowed) {
      throw new FhirHttpError(403, 'forbidden', `The access token's scopes do not allow ${interaction} on ${resourceType}.`);
    }
    if (!permittedInteractions(resourceType, { resources: this.manifest.permissions.resources, permissions }).includes(LETTER[interaction])) {
      throw new FhirHttpError(403, 'forbidden', `The user's EHR permissions do not allow ${interaction} on ${resourceType}.`);
    }
    return {
      patientId,
      categories: access.categories === 'all' ? 'all' : access.categories.map(categoryToken),
      sensitiveCharts: this.manifest.permissions.sensitiveCharts.some((name) => permissions.has(name)),
      documentTypes: await this.documentTypesOf(caller),
    };
  }

  /** Forgets what was cached about one user (or everyone, and every chart's sensitive flag), like `HostDirectory.invalidate`. */
  invalidate(subject?: string): void {
    const caches = [this.activeUsers, this.links, this.documentTypes];
    if (subject === undefined) {
      for (const cache of [...caches, this.sensitive]) cache.clear();
    } else {
      for (const cache of caches) cache.delete((key) => key === subject);
    }
  }

  /** Whether the patient's chart is marked sensitive; an unknown patient counts as hidden. Cached briefly. */
  isSensitiveChart(patientId: string): Promise<boolean> {
    return this.sensitive.get(patientId, async () => (await this.directory.getPatient(patientId))?.isSensitive ?? true);
  }

  /**
   * The EHR permissions that govern the caller now. A deactivated EHR user, or a representative whose link to
   * the chart was removed, has no access left at all: the token stops working (401), as on refresh.
   */
  private async permissionsOf(caller: Caller): Promise<ReadonlySet<string>> {
    if (caller.kind === 'portal') {
      const linked = await this.links.get(caller.subject, async () =>
        new Set((await this.directory.findPatientLinks(caller.subject)).map((link) => link.patientId)));
      if (caller.patientId === undefined || !linked.has(caller.patientId)) throw this.noLongerAllowed();
      return this.directory.getRolePermissions(this.patientRole);
    }
    const active = await this.activeUsers.get(caller.subject, async () => (await this.directory.findUserById(caller.subject))?.isActive ?? false);
    if (!active) throw this.noLongerAllowed();
    return this.directory.getUserPermissions(caller.subject);
  }

  private noLongerAllowed(): FhirHttpError {
    return bearerChallenge(this.realm, 'invalid_token', 'The access token\'s user may no longer use this EHR\'s data.');
  }

  /** A user's own confidential document types and those of their roles, merged once per cache period. */
  private documentTypesOf(caller: Caller): Promise<ReadonlySet<string>> {
    if (caller.kind === 'portal') return this.directory.getRoleDocumentTypes(this.patientRole);
    return this.documentTypes.get(caller.subject, async () => {
      const [own, roles] = await Promise.all([
        this.directory.getUserDocumentTypes(caller.subject), this.directory.getUserRoles(caller.subject),
      ]);
      const byRole = await Promise.all([...roles].map((role) => this.directory.getRoleDocumentTypes(role)));
      return new Set([...own, ...byRole.flatMap((types) => [...types])]);
    });
  }
}


/** A granular scope's `category` as written: `system|code` or `code`. */
function categoryToken(written: string): CategoryToken {
  const bar = written.indexOf('|');
  return bar < 0 ? { system: undefined, code: written } : { system: written.slice(0, bar), code: written.slice(bar + 1) };
}
