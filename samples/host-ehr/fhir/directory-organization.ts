import type { FhirResource } from '../../../src/index.ts';
import { isTrue } from '../database/boolean-column.ts';
import { addressColumns, addressOf, npiSystem, telecomOf } from './directory-contact.ts';
import { sharedData } from './provided-resource.ts';
import { stringParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

const usCore = usCoreSearchParameters('Organization');

function organizationResource(row: Record<string, unknown>): FhirResource {
  return {
    resourceType: 'Organization',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-organization')] },
    identifier: [{ system: npiSystem, value: String(row.npi) }],
    active: isTrue(row.is_active),
    name: String(row.name),
    telecom: telecomOf(row.phone, null, 'work'),
    address: [addressOf(row, 'work')],
  };
}

/** `ehr_organization` as US Core 6.1 Organization: SHALL `name` and `address`. */
export const organizationSource: TableSource<FhirResource> = {
  resourceType: 'Organization',
  profiles: [usCoreProfile('us-core-organization')],
  searchParameters: [
    stringParameter(usCore, 'name', ['o.name']),
    stringParameter(usCore, 'address', addressColumns('o'), 'Matches any part of the address.'),
  ],
  rows: (knex) => knex('ehr_organization as o')
    .select('o.id', 'o.name', 'o.npi', 'o.phone', 'o.address_line', 'o.city', 'o.state', 'o.postal_code', 'o.is_active'),
  idColumn: 'o.id',
  toResources: async (rows) => rows.map((row) => sharedData(organizationResource(row))),
};
