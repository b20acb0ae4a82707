import type { FhirResource } from '../../../src/index.ts';
import { addressColumns, addressOf, telecomOf } from './directory-contact.ts';
import { sharedData } from './provided-resource.ts';
import { stringParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

const usCore = usCoreSearchParameters('Location');

function locationResource(row: Record<string, unknown>): FhirResource {
  return {
    resourceType: 'Location',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-location')] },
    status: String(row.status),
    name: String(row.name),
    type: [{
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: String(row.type_code), display: String(row.type_display) }],
    }],
    telecom: telecomOf(row.phone, null, 'work'),
    address: addressOf(row, 'work'),
    managingOrganization: { reference: `Organization/${String(row.organization_id)}` },
  };
}

/** `ehr_locations` as US Core 6.1 Location: SHALL `name`, `address`; SHOULD `address-city`, `-state`, `-postalcode`. */
export const locationSource: TableSource<FhirResource> = {
  resourceType: 'Location',
  profiles: [usCoreProfile('us-core-location')],
  searchParameters: [
    stringParameter(usCore, 'name', ['l.name']),
    stringParameter(usCore, 'address', addressColumns('l'), 'Matches any part of the address.'),
    stringParameter(usCore, 'address-city', ['l.city']),
    stringParameter(usCore, 'address-state', ['l.state']),
    stringParameter(usCore, 'address-postalcode', ['l.postal_code']),
  ],
  rows: (knex) => knex('ehr_locations as l').select(
    'l.id', 'l.organization_id', 'l.name', 'l.status', 'l.type_code', 'l.type_display', 'l.phone',
    'l.address_line', 'l.city', 'l.state', 'l.postal_code',
  ),
  idColumn: 'l.id',
  toResources: async (rows) => rows.map((row) => sharedData(locationResource(row))),
};
