import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { clinicalProviders } from '../../samples/host-ehr/fhir/clinical-providers.ts';
import type { AccessRestrictions, CategoryToken, ProvidedResource, ResourceProvider, SearchCriterion, SearchResult } from '../../src/index.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { everything, openSeededProviders, type SeededProviders } from './providers-seed-fixture.ts';

export { criterion, day, reference, token } from './providers-seed-fixture.ts';

/** The clinical providers over the seeded database, for the providers-clinical-*.test.ts files. */
export type ClinicalFixture = SeededProviders;

export function createClinicalFixture(): Promise<ClinicalFixture> {
  return openSeededProviders(clinicalProviders);
}

/** A user who may see everything, sensitive charts and Behavioral Health notes included. */
export function unrestricted(overrides: Partial<AccessRestrictions> = {}): AccessRestrictions {
  return { ...everything, ...overrides };
}

/** A patient's own token under the Patient role: own compartment, no sensitive charts, no confidential notes. */
export function patientToken(patientId: string, categories: 'all' | CategoryToken[] = 'all'): AccessRestrictions {
  return { patientId, categories, sensitiveCharts: false, documentTypes: new Set() };
}

/** Searches everything (first 1000), validates every resource as FHIR R4, and returns the result. */
export async function searchAll(
  provider: ResourceProvider, restrictions: AccessRestrictions, ...criteria: SearchCriterion[]
): Promise<SearchResult> {
  const result = await provider.search({ criteria, offset: 0, count: 1000, restrictions });
  assert.equal(result.resources.length, result.total, 'one page holds every match');
  for (const { resource } of result.resources) assertValidR4(resource);
  return result;
}

export function idsOf(resources: readonly ProvidedResource[]): string[] {
  return resources.map((provided) => provided.resource.id!);
}

/** Sorted ids, for comparisons that do not depend on the provider's order. */
export function sortedIds(resources: readonly ProvidedResource[]): string[] {
  return idsOf(resources).sort();
}

/** Row ids of a table as strings, sorted like `sortedIds`. */
export async function rowIds(query: Knex.QueryBuilder, prefix = ''): Promise<string[]> {
  const rows = (await query.select('id')) as Array<{ id: number }>;
  return rows.map((row) => `${prefix}${row.id}`).sort();
}
