import type { ResourceProvider } from './provider.ts';

export interface CapabilityUrls {
  fhirBaseUrl: string;
  authorize: string;
  token: string;
  revoke: string;
  introspect: string;
}

/**
 * The server's CapabilityStatement (FHIR R4 `metadata`), generated from the registered providers: each type's
 * interactions (read and search-type always; create and update only where the provider offers them, so every
 * other interaction is documented as unsupported and answers 405), its search parameters, includes and the
 * Provenance revinclude, and the SMART security extension with the OAuth endpoints (SMART App Launch 2.2 §conformance).
 */
export function capabilityStatement(providers: readonly ResourceProvider[], urls: CapabilityUrls, software: { version: string; date: string }) {
  const provenance = providers.find((p) => p.resourceType === 'Provenance')
    ?.searchParameters.find((p) => p.name === 'target' && p.type === 'reference');
  return {
    resourceType: 'CapabilityStatement',
    id: 'smart-ehr-plugin',
    url: `${urls.fhirBaseUrl}/metadata`,
    version: software.version,
    name: 'SmartEhrPluginServer',
    title: 'SMART on FHIR R4 API of this EHR',
    status: 'active',
    experimental: false,
    date: software.date,
    kind: 'instance',
    instantiates: ['http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server'],
    software: { name: 'smart-ehr-plugin', version: software.version },
    implementation: { description: 'FHIR R4 API served by smart-ehr-plugin', url: urls.fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    implementationGuide: ['http://hl7.org/fhir/us/core/ImplementationGuide/hl7.fhir.us.core|6.1.0'],
    rest: [{
      mode: 'server',
      documentation: 'Every request needs a SMART access token, except this CapabilityStatement. Search by GET and by POST [type]/_search. '
        + 'Paging links carry an opaque cursor bound to the access token. Delete, patch, history and vread are not supported (405).',
      security: {
        extension: [{
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [
            { url: 'authorize', valueUri: urls.authorize },
            { url: 'token', valueUri: urls.token },
            { url: 'revoke', valueUri: urls.revoke },
            { url: 'introspect', valueUri: urls.introspect },
          ],
        }],
        cors: true,
        service: [{
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
          text: 'OAuth 2.0 with SMART App Launch 2.2 scopes',
        }],
      },
      resource: [...providers].sort((a, b) => a.resourceType.localeCompare(b.resourceType)).map((provider) => {
        const searchable = provider.searchParameters.length > 0;
        const targeted = provenance && (!provenance.targets || provenance.targets.includes(provider.resourceType));
        return {
          type: provider.resourceType,
          profile: `http://hl7.org/fhir/StructureDefinition/${provider.resourceType}`,
          ...(provider.profiles?.length ? { supportedProfile: [...provider.profiles] } : {}),
          interaction: [
            { code: 'read' },
            ...(searchable ? [{ code: 'search-type' }] : []),
            ...(provider.create ? [{ code: 'create' }] : []),
            ...(provider.update ? [{ code: 'update' }] : []),
          ],
          versioning: 'no-version',
          readHistory: false,
          updateCreate: false,
          conditionalCreate: false,
          conditionalUpdate: false,
          conditionalDelete: 'not-supported',
          ...(provider.includes?.length ? { searchInclude: provider.includes.map((i) => `${provider.resourceType}:${i.name}`) } : {}),
          ...(targeted && searchable ? { searchRevInclude: ['Provenance:target'] } : {}),
          ...(searchable ? {
            searchParam: provider.searchParameters.map((p) => ({
              name: p.name, ...(p.definition ? { definition: p.definition } : {}), type: p.type,
              ...(p.documentation ? { documentation: p.documentation } : {}),
            })),
          } : {}),
        };
      }),
    }],
  };
}
