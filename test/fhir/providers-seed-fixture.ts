import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { demoPatients, type PatientKey } from '../../samples/host-ehr/database/seed-patients.ts';
import type {
  AccessRestrictions, DateValue, FhirResource, ProvidedResource, ReferenceValue, ResourceProvider, SearchCriterion,
  SearchValue, StringValue, TokenValue,
} from '../../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';

/**
 * What every providers-*.test.ts file stands on: a freshly seeded reference database with some of the sample's
 * providers over it, the demo patients' row ids looked up by the seed's own keys (so tests compare against the
 * seed, not guessed numbers), and search criteria built the way the plugin parses a query string.
 */
export interface SeededProviders {
  db: TestDatabase;
  knex: Knex;
  provider(resourceType: string): ResourceProvider;
  patients: Record<PatientKey, string>;
  drop(): Promise<void>;
}

export async function openSeededProviders(providersOf: (knex: Knex) => ResourceProvider[]): Promise<SeededProviders> {
  const db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  const providers = providersOf(db.knex);
  const rows = (await db.knex('ehr_patients').select('id', 'mrn')) as Array<{ id: number; mrn: string }>;
  const patients = Object.fromEntries(demoPatients.map((seed) =>
    [seed.key, String(rows.find((row) => row.mrn === String(seed.row.mrn))!.id)])) as Record<PatientKey, string>;
  return {
    db, knex: db.knex, patients,
    provider(resourceType) {
      const found = providers.find((candidate) => candidate.resourceType === resourceType);
      assert.ok(found, `no provider for ${resourceType}`);
      return found;
    },
    drop: () => db.drop(),
  };
}

/** A clinician who may see everything: sensitive charts and both confidential document types. */
export const everything: AccessRestrictions = {
  patientId: undefined, categories: 'all', sensitiveCharts: true, documentTypes: new Set(['Behavioral Health', 'Genetic Counseling']),
};

export const token = (code: string, system?: string): TokenValue => ({ kind: 'token', system, code });
export const reference = (id: string, resourceType?: string): ReferenceValue => ({ kind: 'reference', resourceType, id });
export const text = (value: string, match: StringValue['match'] = 'prefix'): StringValue => ({ kind: 'string', value, match });
export const criterion = (name: string, ...values: SearchValue[]): SearchCriterion => ({ name, values });

/** A day-precision date with its implicit [day, next day) range, as the plugin parses `ge2026-03-10`. */
export function day(comparator: DateValue['comparator'], date: string): DateValue {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { kind: 'date', comparator, start: date, end: next.toISOString().slice(0, 10) };
}

/** Searches, checks every resource is valid R4 of the provider's type, and returns the ids in the provider's order. */
export async function searchChecked(
  provider: ResourceProvider, criteria: SearchCriterion[], restrictions: AccessRestrictions = everything,
  page: { offset?: number; count?: number } = {},
): Promise<{ ids: string[]; total: number; resources: ProvidedResource[] }> {
  const result = await provider.search({ criteria, restrictions, offset: page.offset ?? 0, count: page.count ?? 100 });
  for (const { resource } of result.resources) assertResourceOf(provider, resource);
  return { ids: result.resources.map(({ resource }) => resource.id!), total: result.total, resources: result.resources };
}

export function assertResourceOf(provider: ResourceProvider, resource: FhirResource): void {
  assert.equal(resource.resourceType, provider.resourceType);
  assertValidR4(resource);
}
