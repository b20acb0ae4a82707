import { parseDateValue } from './date-parameter.ts';
import { RESOURCE_ID, RESOURCE_TYPE } from './fhir-names.ts';
import { FhirHttpError } from './operation-outcome.ts';
import type { ResourceProvider, SearchCriterion, SearchParameterDefinition, SearchValue } from './provider.ts';

/** `_include=[Type]:[param](:[target])` as asked (FHIR R4 search §3.1.1.5.5). */
export interface IncludeRequest {
  name: string;
  target: string | undefined;
}

/** `_revinclude=[Type]:[param]`: resources of another type that point at the matches. */
export interface RevIncludeRequest {
  resourceType: string;
  name: string;
}

/** A search, parsed and checked against the provider's declared parameters. */
export interface ParsedSearch {
  criteria: SearchCriterion[];
  count: number;
  includes: IncludeRequest[];
  revIncludes: RevIncludeRequest[];
}

export interface SearchLimits {
  defaultCount: number;
  maxCount: number;
}

// Result parameters this server does not implement. Rejected rather than ignored, so a client never mistakes an
// unfiltered or unsorted answer for what it asked (`_security` would also bypass nothing: REQ-SL-6 allows a 400).
const UNSUPPORTED = new Set(['_sort', '_summary', '_elements', '_contained', '_containedType', '_total', '_security',
  '_tag', '_profile', '_list', '_has', '_type', '_text', '_content', '_query', '_filter', '_lastUpdated', '_since', '_at']);
const IGNORED_FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);

/**
 * Parses search parameters (the query string, and for `POST _search` the form body too: their union, as FHIR R4
 * §3.1.1.0 says) into criteria for the provider. Anything not understood is a 400, never silently dropped. Error
 * messages name the parameter but never repeat its value, which may be a name, a birth date or an identifier.
 */
export function parseSearch(
  entries: ReadonlyArray<readonly [string, string]>, provider: ResourceProvider,
  providers: ReadonlyMap<string, ResourceProvider>, limits: SearchLimits,
): ParsedSearch {
  const parsed: ParsedSearch = { criteria: [], count: limits.defaultCount, includes: [], revIncludes: [] };
  for (const [rawName, rawValue] of entries) {
    if (rawName === '_count') parsed.count = parseCount(rawValue, limits);
    else if (rawName === '_include') parsed.includes.push(parseInclude(rawValue, provider));
    else if (rawName === '_revinclude') parsed.revIncludes.push(parseRevInclude(rawValue, provider, providers));
    else if (rawName === '_format') checkFormat(rawValue);
    else if (rawName === '_pretty') continue; // Formatting only; JSON is always compact here.
    else if (rawValue !== '') {
      const criterion = parseCriterion(rawName, rawValue, provider);
      parsed.criteria.push(criterion);
    }
  }
  return parsed;
}

function parseCount(value: string, limits: SearchLimits): number {
  if (!/^\d{1,6}$/.test(value)) throw invalid(`_count must be a whole number from 0 to ${limits.maxCount}.`);
  // A larger page than the server serves is not an error: FHIR lets the server return fewer (§3.1.1.5.7).
  return Math.min(Number(value), limits.maxCount);
}

function checkFormat(value: string): void {
  if (!IGNORED_FORMATS.has(value)) throw new FhirHttpError(406, 'not-supported', 'Only JSON is served (_format=json).');
}

function parseInclude(value: string, provider: ResourceProvider): IncludeRequest {
  const [type, name, target, extra] = value.split(':');
  const include = provider.includes?.find((i) => i.name === name);
  if (type !== provider.resourceType || !name || extra !== undefined || !include || (target !== undefined && !include.targets.includes(target))) {
    throw invalid(`_include=${value} is not supported for ${provider.resourceType}.`);
  }
  return { name, target };
}

function parseRevInclude(value: string, provider: ResourceProvider, providers: ReadonlyMap<string, ResourceProvider>): RevIncludeRequest {
  const [type, name, extra] = value.split(':');
  const from = type === undefined ? undefined : providers.get(type);
  const parameter = from?.searchParameters.find((p) => p.name === name && p.type === 'reference');
  if (!from || !name || extra !== undefined || !parameter || (parameter.targets && !parameter.targets.includes(provider.resourceType))) {
    throw invalid(`_revinclude=${value} is not supported for ${provider.resourceType}.`);
  }
  return { resourceType: from.resourceType, name };
}

function parseCriterion(rawName: string, rawValue: string, provider: ResourceProvider): SearchCriterion {
  const [name = '', modifier, extra] = rawName.split(':');
  if (UNSUPPORTED.has(name)) throw invalid(`The search parameter ${name} is not supported.`);
  const definition = provider.searchParameters.find((p) => p.name === name);
  if (!definition || extra !== undefined) throw invalid(`Unknown search parameter "${rawName}" for ${provider.resourceType}.`);
  const values = splitValues(rawValue).map((text) => parseValue(definition, modifier, text));
  return { name, values };
}

function parseValue(definition: SearchParameterDefinition, modifier: string | undefined, text: string): SearchValue {
  switch (definition.type) {
    case 'token': {
      if (modifier !== undefined) throw unsupportedModifier(definition, modifier);
      const bar = unescapedIndex(text, '|');
      const system = bar < 0 ? undefined : unescape(text.slice(0, bar));
      const code = unescape(bar < 0 ? text : text.slice(bar + 1));
      if (code === '') throw invalid(`${definition.name} needs a code ("code" or "system|code").`);
      return { kind: 'token', system, code };
    }
    case 'reference':
      return parseReference(definition, modifier, unescape(text));
    case 'date': {
      if (modifier !== undefined) throw unsupportedModifier(definition, modifier);
      const date = parseDateValue(text);
      if (!date) throw invalid(`${definition.name}: not a date this server understands (eq, ne, gt, lt, ge or le, then YYYY[-MM[-DD[Thh:mm[:ss][Z|±hh:mm]]]]).`);
      return date;
    }
    case 'string': {
      if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') throw unsupportedModifier(definition, modifier);
      return { kind: 'string', value: unescape(text), match: modifier ?? 'prefix' };
    }
  }
}

function parseReference(definition: SearchParameterDefinition, modifier: string | undefined, text: string): SearchValue {
  if (modifier !== undefined && !RESOURCE_TYPE.test(modifier)) throw unsupportedModifier(definition, modifier);
  const parts = text.split('/');
  // `[base]/Type/id`, `Type/id` or `id`. Only this server's own references can match its data.
  if (parts.length > 2 && !/^https?:$/.test(parts[0] ?? '')) throw invalid(`${definition.name}: not a reference (id, Type/id or a URL).`);
  const id = parts.at(-1) ?? '';
  const type = parts.length >= 2 ? parts.at(-2) : modifier;
  if (!RESOURCE_ID.test(id) || (type !== undefined && !RESOURCE_TYPE.test(type))) throw invalid(`${definition.name}: not a valid reference (id, Type/id or a URL).`);
  if (modifier !== undefined && type !== modifier) throw invalid(`${definition.name}:${modifier} names another type than the reference.`);
  if (type !== undefined && definition.targets && !definition.targets.includes(type)) {
    throw invalid(`${definition.name} refers to ${definition.targets.join(' or ')}, not ${type}.`);
  }
  return { kind: 'reference', resourceType: type, id };
}

/** Splits on commas that are not escaped (`\,`), FHIR R4 search §3.1.1.1.8 (escaping). */
function splitValues(raw: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      current += c + raw[i + 1];
      i++;
    } else if (c === ',') {
      values.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  values.push(current);
  const kept = values.filter((value) => value !== '');
  if (kept.length === 0) throw invalid('A search parameter has no value.');
  return kept;
}

function unescapedIndex(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\([\\,$|])/g, '$1');
}

function unsupportedModifier(definition: SearchParameterDefinition, modifier: string): FhirHttpError {
  return invalid(`The modifier :${modifier} is not supported on ${definition.name}.`);
}

function invalid(message: string): FhirHttpError {
  return new FhirHttpError(400, 'invalid', message);
}
