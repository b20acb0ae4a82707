import type { AccessRestrictions, DateValue } from '../../src/index.ts';
import { directoryProviders } from '../../samples/host-ehr/fhir/directory-providers.ts';
import { everything, openSeededProviders, type SeededProviders } from './providers-seed-fixture.ts';

export {
  criterion as where, everything, reference, searchChecked as searchIds, text, token,
} from './providers-seed-fixture.ts';

/** The directory providers over the seeded database, for the providers-directory-*.test.ts files. */
export type DirectoryFixture = SeededProviders;

export function directoryFixture(): Promise<DirectoryFixture> {
  return openSeededProviders(directoryProviders);
}

/** A staff user without the Sensitive Charts permission. */
export const staff: AccessRestrictions = { ...everything, sensitiveCharts: false, documentTypes: new Set() };
/** A patient (or representative) app restricted to one chart. */
export const compartment = (patientId: string): AccessRestrictions => ({ ...staff, patientId });

export const date = (comparator: DateValue['comparator'], start: string, end: string): DateValue => ({ kind: 'date', comparator, start, end });

/** Sorted copies, for comparing sets of ids whatever the search order. */
export const sorted = (ids: string[]): string[] => [...ids].sort((a, b) => Number(a) - Number(b));
