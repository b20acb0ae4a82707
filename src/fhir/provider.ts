/**
 * The contract between the plugin's FHIR R4 surface and the host's data (DESIGN §6). The host registers one
 * provider per resource type; the plugin authenticates the caller, applies the checks of DESIGN §5, and only
 * then calls the provider, passing the caller's restrictions so the provider applies them inside its own query
 * (paging and totals stay right). The plugin re-checks every resource a provider returns and drops anything the
 * caller may not see, so a provider bug hides data rather than leaking it.
 */

/** A FHIR R4 resource as JSON. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: FhirMeta;
  [element: string]: unknown;
}

export interface FhirMeta {
  versionId?: string;
  lastUpdated?: string;
  profile?: string[];
  security?: FhirCoding[];
  tag?: FhirCoding[];
  [element: string]: unknown;
}

export interface FhirCoding {
  system?: string;
  code?: string;
  display?: string;
}

/** A granular scope's category (`?category=system|code` or `?category=code`), SMART App Launch 2.2. */
export interface CategoryToken {
  /** Undefined when the scope named only a code: then any system matches. */
  readonly system: string | undefined;
  readonly code: string;
}

/** What the caller may see, already decided by the plugin. A provider applies all of it inside its query. */
export interface AccessRestrictions {
  /** Only this patient's compartment (`patient/` scopes, patients and representatives); undefined: no compartment. */
  readonly patientId: string | undefined;
  /** Categories the granular scopes allow (Condition, Observation, ...); 'all' when unrestricted. */
  readonly categories: 'all' | readonly CategoryToken[];
  /** Whether charts the host marks sensitive are visible (there is no break-glass). */
  readonly sensitiveCharts: boolean;
  /** Confidential document types (as the host contract names them) the caller may see; all others are hidden. */
  readonly documentTypes: ReadonlySet<string>;
}

/** A resource as a provider returns it, with the facts the plugin needs to re-check and label it. */
export interface ProvidedResource<R extends FhirResource = FhirResource> {
  resource: R;
  /** The patient whose compartment holds the resource; null for shared data (Practitioner, Medication, Slot, ...). */
  patientId: string | null;
  /** The confidential document type the resource was recorded under (host contract name), or null. */
  confidentialDocumentType: string | null;
}

/** The types of search parameter the plugin parses for providers (FHIR R4 search, §3.1.1.4). */
export type SearchParameterType = 'token' | 'reference' | 'date' | 'string';

/** A search parameter a provider supports; the CapabilityStatement lists it. */
export interface SearchParameterDefinition {
  name: string;
  type: SearchParameterType;
  /** Canonical URL of the SearchParameter (FHIR core or US Core). */
  definition?: string;
  documentation?: string;
  /** For reference parameters: the resource types it may point at. */
  targets?: readonly string[];
}

/** `code`, `system|code` or `|code` (FHIR R4 token search). */
export interface TokenValue {
  kind: 'token';
  /** Undefined: any system; '': explicitly no system (`|code`). */
  system: string | undefined;
  code: string;
}

/** `id`, `Type/id` or `[base]/Type/id` (FHIR R4 reference search). */
export interface ReferenceValue {
  kind: 'reference';
  /** Undefined when only an id was given. */
  resourceType: string | undefined;
  id: string;
}

/**
 * A date with a comparator. The value's implicit range is [start, end): `2026-01` is 2026-01-01 to 2026-02-01.
 * Both bounds are UTC ISO strings: `YYYY-MM-DD` for day precision or coarser, `YYYY-MM-DDThh:mm:ssZ` otherwise,
 * so they compare as strings with dates and instants stored the same way.
 */
export interface DateValue {
  kind: 'date';
  comparator: 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le';
  start: string;
  end: string;
}

/** A string search: by default a case-insensitive prefix match; `:exact` is exact; `:contains` anywhere. */
export interface StringValue {
  kind: 'string';
  value: string;
  match: 'prefix' | 'exact' | 'contains';
}

export type SearchValue = TokenValue | ReferenceValue | DateValue | StringValue;

/** One occurrence of a parameter: its values are alternatives (OR); occurrences combine with AND. */
export interface SearchCriterion {
  name: string;
  values: readonly SearchValue[];
}

export interface ProviderContext {
  restrictions: AccessRestrictions;
}

export interface SearchRequest extends ProviderContext {
  criteria: readonly SearchCriterion[];
  /** Zero-based index of the first match to return, in the provider's stable order. */
  offset: number;
  /** How many matches to return at most. */
  count: number;
}

export interface SearchResult {
  resources: ProvidedResource[];
  /** How many matches there are in all, after the restrictions. */
  total: number;
}

/** A reference parameter the plugin may follow for `_include=[Type]:[name]` (FHIR R4 search §3.1.1.5.5). */
export interface IncludeDefinition<R extends FhirResource = FhirResource> {
  /** The search parameter name, e.g. `medication` for `_include=MedicationRequest:medication`. */
  name: string;
  targets: readonly string[];
  /** The `Type/id` references of a resource that the include follows. */
  referencesOf(resource: R): string[];
}

/** One resource type served by the host (DESIGN §6). */
export interface ResourceProvider<R extends FhirResource = FhirResource> {
  resourceType: string;
  /** Profiles the resources claim (CapabilityStatement `supportedProfile`); the first is the base profile. */
  profiles?: readonly string[];
  searchParameters: readonly SearchParameterDefinition[];
  includes?: readonly IncludeDefinition<R>[];
  /** Undefined when the resource does not exist or the restrictions hide it: the plugin answers 404 either way. */
  read(id: string, context: ProviderContext): Promise<ProvidedResource<R> | undefined>;
  search(request: SearchRequest): Promise<SearchResult>;
  /** Create; throw `FhirRequestError` for invalid content. Without it, POST answers 405. */
  create?(resource: FhirResource, context: ProviderContext): Promise<ProvidedResource<R>>;
  /** Update an existing resource; undefined when it does not exist or is hidden. Without it, PUT answers 405. */
  update?(id: string, resource: FhirResource, context: ProviderContext): Promise<ProvidedResource<R> | undefined>;
}

/** FHIR R4 OperationOutcome issue types a provider may report (http://hl7.org/fhir/issue-type). */
export type IssueType = 'invalid' | 'structure' | 'required' | 'value' | 'business-rule' | 'conflict' | 'not-found'
  | 'not-supported' | 'processing' | 'forbidden' | 'security' | 'login' | 'exception' | 'too-costly';

/** An error a provider throws for bad content; the plugin answers it as an OperationOutcome with this status. */
export class FhirRequestError extends Error {
  constructor(readonly status: 400 | 404 | 409 | 412 | 422, readonly issue: IssueType, message: string) {
    super(message);
    this.name = 'FhirRequestError';
  }
}
