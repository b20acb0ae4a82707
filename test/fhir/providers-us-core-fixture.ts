import assert from 'node:assert/strict';
import type { FhirResource } from '../../src/index.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { idsOf, searchAll } from '../support/fhir-requests.ts';
import type { SmartServer } from '../support/smart-server.ts';

/**
 * What the us-core-*.test.ts files share: a table of US Core searches run over the real plugin against the sample
 * providers, each compared with the ids the seed holds for it.
 */
export interface SearchCase {
  type: string;
  query: string;
  /** The ids the seed holds for this search, as the caller may see them; read from the tables, never guessed. */
  expected: () => string[];
}

/** Runs every case by GET and by POST `_search`: exactly the expected ids and total, each resource valid and labelled. */
export async function assertSearchCases(server: SmartServer, token: string, cases: readonly SearchCase[]): Promise<void> {
  for (const { type, query, expected } of cases) {
    const want = expected();
    for (const via of ['GET', 'POST'] as const) {
      const outcome = await searchAll(server, type, query, token, via);
      assert.deepEqual(idsOf(outcome.matches), want, `${via} ${type}?${query}`);
      assert.equal(outcome.total, want.length, `${via} ${type}?${query}`);
      for (const resource of outcome.matches) assertLabelledAndValid(resource);
    }
  }
}

/** Valid R4, and carrying the confidentiality label the plugin adds to everything it returns (DESIGN §5). */
export function assertLabelledAndValid(resource: FhirResource): void {
  assertValidR4(resource);
  const security = resource.meta?.security ?? [];
  assert.ok(security.some((coding) => coding.system === 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality'),
    `${resource.resourceType}/${String(resource.id)} carries a confidentiality label`);
}
