import type { Knex } from 'knex';
import type { FhirResource } from '../../../src/index.ts';
import { isTrue } from '../database/boolean-column.ts';
import { addressOf, npiSystem, telecomOf } from './directory-contact.ts';
import { sharedData } from './provided-resource.ts';
import {
  coreSearchParameters, stringParameter, tokenParameter, usCoreProfile, usCoreSearchParameters,
} from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

const usCore = usCoreSearchParameters('Practitioner');
/** US Core defines no family or given for Practitioner; FHIR core's apply to every person-like resource. */
const individual = coreSearchParameters('individual');

/** Clinicians with their practice's address, which US Core 6.1 Practitioner.address (must support) shows. */
export function selectProviders(knex: Knex): Knex.QueryBuilder {
  return knex('ehr_providers as pr').join('ehr_organization as o', 'o.id', 'pr.organization_id').select(
    'pr.id', 'pr.organization_id', 'pr.npi', 'pr.prefix', 'pr.given_name', 'pr.family_name', 'pr.specialty_code',
    'pr.specialty_display', 'pr.phone', 'pr.email', 'pr.is_active',
    'o.address_line as o_address_line', 'o.city as o_city', 'o.state as o_state', 'o.postal_code as o_postal_code',
  );
}

/** How a clinician is named in references and displays. */
export function practitionerName(row: Record<string, unknown>): string {
  return [row.prefix, row.given_name, row.family_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
}

function practitionerResource(row: Record<string, unknown>): FhirResource {
  return {
    resourceType: 'Practitioner',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-practitioner')] },
    identifier: [{ system: npiSystem, value: String(row.npi) }],
    active: isTrue(row.is_active),
    name: [{
      use: 'official', text: practitionerName(row), family: String(row.family_name), given: [String(row.given_name)],
      ...(typeof row.prefix === 'string' && row.prefix !== '' ? { prefix: [row.prefix] } : {}),
    }],
    telecom: telecomOf(row.phone, row.email, 'work'),
    address: [addressOf(row, 'work', 'o_')],
  };
}

/** `ehr_providers` as US Core 6.1 Practitioner: SHALL `name` and `identifier` (NPI), SHOULD `_id`. */
export const practitionerSource: TableSource<FhirResource> = {
  resourceType: 'Practitioner',
  profiles: [usCoreProfile('us-core-practitioner')],
  searchParameters: [
    tokenParameter(usCore, 'identifier', { code: 'pr.npi', fixedSystem: npiSystem }, `The NPI (system ${npiSystem}).`),
    stringParameter(usCore, 'name', ['pr.given_name', 'pr.family_name'], 'Matches the given or the family name.'),
    stringParameter(individual, 'family', ['pr.family_name']),
    stringParameter(individual, 'given', ['pr.given_name']),
  ],
  rows: selectProviders,
  idColumn: 'pr.id',
  toResources: async (rows) => rows.map((row) => sharedData(practitionerResource(row))),
};
