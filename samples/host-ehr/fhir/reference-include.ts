import type { IncludeDefinition } from '../../../src/index.ts';

/**
 * `_include=[Type]:[name]` over one Reference element of the resource (FHIR R4 search §3.1.1.5.5), e.g.
 * `MedicationRequest.medicationReference`: the plugin follows the reference and adds the target to the Bundle.
 */
export function referenceInclude(name: string, targets: readonly string[], element: string): IncludeDefinition {
  return {
    name,
    targets,
    referencesOf: (resource) => {
      const reference = (resource[element] as { reference?: string } | undefined)?.reference;
      return reference === undefined ? [] : [reference];
    },
  };
}
