import type { Knex } from 'knex';
import type { FhirResource, ResourceProvider } from '../../../src/index.ts';
import { documents } from './care-document-reference.ts';
import { chartResource } from './provided-resource.ts';
import { readResource } from './table-provider.ts';

/**
 * Binary (FHIR R4) for the content a DocumentReference points at (`Binary/<document id>`). It is read only
 * and follows its owning DocumentReference: same row, same restrictions, same patient and confidential type.
 */
export function binaryProvider(knex: Knex): ResourceProvider {
  const contents = {
    ...documents,
    toResources: async (rows: Array<Record<string, unknown>>) => rows.map((row) => chartResource<FhirResource>(row, {
      resourceType: 'Binary', id: String(row.id), contentType: String(row.content_type),
      data: Buffer.from(String(row.content), 'utf8').toString('base64'),
    })),
  };
  return {
    resourceType: 'Binary',
    searchParameters: [],
    read: (id, { restrictions }) => readResource(knex, contents, id, restrictions),
    // The plugin offers no Binary search; an empty result keeps the contract total.
    search: async () => ({ resources: [], total: 0 }),
  };
}
