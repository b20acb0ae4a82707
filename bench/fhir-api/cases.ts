import type { FhirServerReady } from './messages.ts';

export const CASES = ['read-patient', 'read-observation', 'search-observation'] as const;
export type CaseName = (typeof CASES)[number];
export type SideName = 'plugin' | 'bare';

/** One benchmarked request: the path under a side's FHIR base, and what every answer must be. */
export interface BenchCase {
  name: CaseName;
  /** As the report shows it, e.g. `Observation?patient=3&category=laboratory`. */
  request: string;
  check(json: Record<string, unknown>): string | undefined;
}

export function benchCase(name: CaseName, ready: FhirServerReady): BenchCase {
  switch (name) {
    case 'read-patient':
      return { name, request: `Patient/${ready.patientId}`, check: resource('Patient', ready.patientId) };
    case 'read-observation':
      return { name, request: `Observation/${ready.labObservationId}`, check: resource('Observation', ready.labObservationId) };
    case 'search-observation':
      return { name, request: `Observation?patient=${ready.patientId}&category=laboratory`, check: labBundle(ready.labSearchTotal) };
  }
}

/** Where a side serves a case: the plugin's FHIR base or the bare routes, same path after it. */
export function caseUrl(ready: FhirServerReady, side: SideName, benchCase: BenchCase): URL {
  return new URL(`${side === 'plugin' ? ready.pluginBase : ready.bareBase}/${benchCase.request}`, ready.origin);
}

function resource(type: string, id: string): (json: Record<string, unknown>) => string | undefined {
  return (json) => (json.resourceType === type && json.id === id ? undefined : `not ${type}/${id}: ${String(json.resourceType)}/${String(json.id)}`);
}

function labBundle(total: number): (json: Record<string, unknown>) => string | undefined {
  return (json) => {
    if (json.resourceType !== 'Bundle' || json.type !== 'searchset') return `not a searchset Bundle: ${String(json.resourceType)} ${String(json.type)}`;
    if (json.total !== total) return `total ${String(json.total)}, expected ${total}`;
    const entries = Array.isArray(json.entry) ? (json.entry as Array<{ resource?: { resourceType?: unknown } }>) : [];
    if (entries.length !== Math.min(total, 50)) return `${entries.length} entries for a total of ${total}`;
    if (entries.some((entry) => entry.resource?.resourceType !== 'Observation')) return 'an entry that is not an Observation';
    return undefined;
  };
}

/** BENCH_CASES=read-patient,search-observation measures only those; default all three. */
export function selectedCases(): CaseName[] {
  const raw = process.env.BENCH_CASES;
  if (!raw) return [...CASES];
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(CASES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`BENCH_CASES takes ${CASES.join(', ')}; not ${unknown.join(', ') || raw}`);
  return names as CaseName[];
}
