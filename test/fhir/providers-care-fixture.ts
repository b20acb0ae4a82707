import assert from 'node:assert/strict';
import type { AccessRestrictions, DateValue, ProvidedResource, ResourceProvider, SearchCriterion } from '../../src/index.ts';
import { careProviders } from '../../samples/host-ehr/fhir/care-providers.ts';
import {
  assertResourceOf, criterion, day, everything, openSeededProviders, reference as referenceValue, searchChecked,
  token as tokenValue, type SeededProviders,
} from './providers-seed-fixture.ts';

export { everything } from './providers-seed-fixture.ts';

/** The care providers over the seeded database, for the providers-care-*.test.ts files. */
export type CareFixture = SeededProviders;

export function openCareFixture(): Promise<CareFixture> {
  return openSeededProviders(careProviders);
}

/** The Patient role's defaults: no sensitive charts, no confidential documents (DESIGN §8). */
export const ordinary: AccessRestrictions = { patientId: undefined, categories: 'all', sensitiveCharts: false, documentTypes: new Set() };

export function restrictedTo(overrides: Partial<AccessRestrictions>): AccessRestrictions {
  return { ...everything, ...overrides };
}

/** `reference('patient', '12', 'Patient/12')`: as the plugin parses `patient=12,Patient/12`. */
export const reference = (name: string, ...ids: string[]): SearchCriterion => criterion(name, ...ids.map((id) => {
  const slash = id.indexOf('/');
  return slash < 0 ? referenceValue(id) : referenceValue(id.slice(slash + 1), id.slice(0, slash));
}));

/** `token('status', 'active', 'system|code')`: as the plugin parses `status=active,system|code`. */
export const token = (name: string, ...values: string[]): SearchCriterion => criterion(name, ...values.map((value) => {
  const bar = value.indexOf('|');
  return bar < 0 ? tokenValue(value) : tokenValue(value.slice(bar + 1), value.slice(0, bar));
}));

/** A day-precision date criterion: `date('date', 'ge', '2026-03-10')` covers [that day, the next). */
export const date = (name: string, comparator: DateValue['comparator'], on: string): SearchCriterion => criterion(name, day(comparator, on));

export interface Found {
  ids: string[];
  total: number;
  provided: ProvidedResource[];
}

/** Searches, checks every resource is valid R4 of the right type claiming the base profile, and returns the ids in order. */
export async function search(
  provider: ResourceProvider, criteria: SearchCriterion[], restrictions: AccessRestrictions = everything,
  page: { offset?: number; count?: number } = {},
): Promise<Found> {
  const { ids, total, resources } = await searchChecked(provider, criteria, restrictions, page);
  for (const { resource } of resources) assertBaseProfile(provider, resource.meta?.profile);
  return { ids, total, provided: resources };
}

export async function read(provider: ResourceProvider, id: string, restrictions: AccessRestrictions = everything) {
  const found = await provider.read(id, { restrictions });
  if (found) {
    assertResourceOf(provider, found.resource);
    assertBaseProfile(provider, found.resource.meta?.profile);
  }
  return found;
}

function assertBaseProfile(provider: ResourceProvider, profile: string[] | undefined): void {
  if (provider.profiles) assert.deepEqual(profile, [provider.profiles[0]]);
}

/** Sorted string ids of rows, for comparing with a search's results regardless of order. */
export const sortedIds = (ids: Array<string | number>) => ids.map(String).sort();
