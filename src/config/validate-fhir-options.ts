import { ConfigurationError } from '../errors/configuration-error.ts';
import { RESOURCE_TYPE } from '../fhir/fhir-names.ts';
import type { FhirSettings } from '../fhir/fhir-server.ts';
import type { ResourceProvider } from '../fhir/provider.ts';
import { DEFAULTS } from './defaults.ts';
import { functionAt, integerAt, isPlainObject, nonEmptyStringAt, objectAt, onlyKeys } from './option-checks.ts';

const PARAMETER_TYPES = ['token', 'reference', 'date', 'string'];

/** Validates `fhirResources` (the host's providers) and `fhir` (API settings); errors name the option path. */
export function resolveFhirOptions(options: Record<string, unknown>, fhirBaseUrl: string): { fhirResources: ResourceProvider[]; fhir: FhirSettings } {
  const fhir = objectAt('fhir', options.fhir);
  onlyKeys('fhir', fhir, ['defaultPageSize', 'maxPageSize', 'tokenCheckTtlMs', 'documentTypeSystem']);
  const maxPageSize = integerAt('fhir.maxPageSize', fhir.maxPageSize, DEFAULTS.fhir.maxPageSize, 1, 1000) as number;
  const settings: FhirSettings = {
    maxPageSize,
    defaultPageSize: integerAt('fhir.defaultPageSize', fhir.defaultPageSize, Math.min(DEFAULTS.fhir.defaultPageSize, maxPageSize), 1, maxPageSize) as number,
    tokenCheckTtlMs: integerAt('fhir.tokenCheckTtlMs', fhir.tokenCheckTtlMs, DEFAULTS.fhir.tokenCheckTtlMs, 0, 60_000) as number,
    documentTypeSystem: fhir.documentTypeSystem === undefined
      ? `${fhirBaseUrl}/CodeSystem/confidential-document-type`
      : absoluteUri('fhir.documentTypeSystem', fhir.documentTypeSystem),
  };
  return { fhirResources: resolveProviders(options.fhirResources), fhir: settings };
}

function resolveProviders(value: unknown): ResourceProvider[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigurationError('fhirResources', 'an array of resource providers', value);
  const seen = new Set<string>();
  value.forEach((provider: unknown, index) => {
    const at = `fhirResources[${index}]`;
    if (!isPlainObject(provider) && (typeof provider !== 'object' || provider === null)) throw new ConfigurationError(at, 'a resource provider object');
    const p = provider as Record<string, unknown>;
    const type = nonEmptyStringAt(`${at}.resourceType`, p.resourceType);
    if (!RESOURCE_TYPE.test(type)) throw new ConfigurationError(`${at}.resourceType`, 'a FHIR resource type name such as "Patient"', type);
    if (seen.has(type)) throw new ConfigurationError(`${at}.resourceType`, `a type served by one provider only (${type} is registered twice)`);
    seen.add(type);
    functionAt(`${at}.read`, p.read);
    functionAt(`${at}.search`, p.search);
    if (p.create !== undefined) functionAt(`${at}.create`, p.create);
    if (p.update !== undefined) functionAt(`${at}.update`, p.update);
    if (!Array.isArray(p.searchParameters)) throw new ConfigurationError(`${at}.searchParameters`, 'an array (empty when the type is read only)');
    p.searchParameters.forEach((parameter: unknown, i) => {
      const where = `${at}.searchParameters[${i}]`;
      const param = objectAt(where, parameter, false);
      nonEmptyStringAt(`${where}.name`, param.name);
      if (typeof param.name === 'string' && ['_count', '_include', '_revinclude', '_format', '_page'].includes(param.name)) {
        throw new ConfigurationError(`${where}.name`, 'a name other than the result parameters the plugin handles', param.name);
      }
      if (!PARAMETER_TYPES.includes(param.type as string)) throw new ConfigurationError(`${where}.type`, `one of ${PARAMETER_TYPES.join(', ')}`, param.type);
    });
    if (p.includes !== undefined) {
      if (!Array.isArray(p.includes)) throw new ConfigurationError(`${at}.includes`, 'an array');
      p.includes.forEach((include: unknown, i) => {
        const inc = objectAt(`${at}.includes[${i}]`, include, false);
        nonEmptyStringAt(`${at}.includes[${i}].name`, inc.name);
        if (!Array.isArray(inc.targets)) throw new ConfigurationError(`${at}.includes[${i}].targets`, 'an array of resource types');
        functionAt(`${at}.includes[${i}].referencesOf`, inc.referencesOf);
      });
    }
  });
  return value as ResourceProvider[];
}

function absoluteUri(path: string, value: unknown): string {
  const text = nonEmptyStringAt(path, value);
  try {
    new URL(text);
  } catch {
    throw new ConfigurationError(path, 'an absolute URI', value);
  }
  return text;
}
