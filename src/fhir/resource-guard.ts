import type { PluginLogger } from '../config/options.ts';
import type { AccessRestrictions, CategoryToken, FhirCoding, FhirResource, ProvidedResource } from './provider.ts';

export const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/**
 * The plugin's own check of everything a provider returns, before anything is sent (DESIGN §6): the provider was
 * told the restrictions and applied them in its query; this repeats them on each resource, so a provider bug
 * hides data instead of leaking it. A dropped resource is logged (type and reason only, never ids or content).
 */
export class ResourceGuard {
  constructor(
    private readonly isSensitiveChart: (patientId: string) => Promise<boolean>,
    private readonly documentTypeSystem: string,
    private readonly logger: PluginLogger,
  ) {}

  /** The resources the caller may see, labelled; the others dropped. */
  async admit(resourceType: string, provided: readonly ProvidedResource[], restrictions: AccessRestrictions): Promise<FhirResource[]> {
    const admitted: FhirResource[] = [];
    for (const item of provided) {
      const reason = await this.refusal(resourceType, item, restrictions);
      if (reason === undefined) {
        admitted.push(await this.labelled(item));
      } else {
        this.logger.warn('smart-ehr-plugin: a FHIR provider returned a resource the caller may not see; it was withheld', {
          resourceType, reason,
        });
      }
    }
    return admitted;
  }

  private async refusal(resourceType: string, item: ProvidedResource, restrictions: AccessRestrictions): Promise<string | undefined> {
    const { resource, patientId, confidentialDocumentType } = item;
    if (resource?.resourceType !== resourceType || typeof resource.id !== 'string') return 'not a resource of the requested type with an id';
    if (restrictions.patientId !== undefined && patientId !== null && patientId !== restrictions.patientId) return 'outside the patient compartment';
    if (patientId !== null && !restrictions.sensitiveCharts && await this.isSensitiveChart(patientId)) return 'sensitive chart';
    if (confidentialDocumentType !== null && !restrictions.documentTypes.has(confidentialDocumentType)) return 'confidential document type';
    if (restrictions.categories !== 'all' && !inCategories(resource, restrictions.categories)) return 'category outside the granular scopes';
    return undefined;
  }

  /**
   * `meta.security` is the plugin's to set (REQ-SL-5): exactly one Confidentiality code, R for a sensitive chart or
   * a confidential document type, otherwise N; plus the site's code naming a confidential document type.
   */
  private async labelled({ resource, patientId, confidentialDocumentType }: ProvidedResource): Promise<FhirResource> {
    const restricted = confidentialDocumentType !== null || (patientId !== null && await this.isSensitiveChart(patientId));
    const security: FhirCoding[] = [restricted
      ? { system: CONFIDENTIALITY, code: 'R', display: 'restricted' }
      : { system: CONFIDENTIALITY, code: 'N', display: 'normal' }];
    if (confidentialDocumentType !== null) {
      security.push({ system: this.documentTypeSystem, code: confidentialDocumentType, display: confidentialDocumentType });
    }
    const { resourceType, id, meta, ...rest } = resource;
    const otherMeta = { ...(meta ?? {}) };
    delete otherMeta.security;
    return { resourceType, id, meta: { ...otherMeta, security }, ...rest };
  }
}

/** Whether one of the resource's categories (CodeableConcepts, or plain codes as in AllergyIntolerance) is allowed. */
function inCategories(resource: FhirResource, allowed: readonly CategoryToken[]): boolean {
  const raw = resource.category;
  const categories = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return categories.some((category: unknown) => {
    if (typeof category === 'string') return allowed.some((token) => token.system === undefined && token.code === category);
    const codings = (category as { coding?: FhirCoding[] } | null)?.coding ?? [];
    return codings.some((coding) => allowed.some((token) =>
      token.code === coding.code && (token.system === undefined || token.system === coding.system)));
  });
}
