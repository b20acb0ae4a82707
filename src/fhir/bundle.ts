import type { FhirResource } from './provider.ts';

export interface BundleLinks {
  self: string;
  next?: string;
  previous?: string;
}

/** A searchset Bundle (FHIR R4 §3.1.1.5): matches first, then what `_include`/`_revinclude` added. */
export function searchsetBundle(fhirBaseUrl: string, total: number, links: BundleLinks, matches: FhirResource[], included: FhirResource[]) {
  const entry = (mode: 'match' | 'include') => (resource: FhirResource) => ({
    fullUrl: `${fhirBaseUrl}/${resource.resourceType}/${resource.id}`, resource, search: { mode },
  });
  return {
    resourceType: 'Bundle',
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    total,
    link: [
      { relation: 'self', url: links.self },
      ...(links.next ? [{ relation: 'next', url: links.next }] : []),
      ...(links.previous ? [{ relation: 'previous', url: links.previous }] : []),
    ],
    ...(matches.length + included.length > 0 ? { entry: [...matches.map(entry('match')), ...included.map(entry('include'))] } : {}),
  };
}
