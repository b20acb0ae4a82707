import type { FhirResource } from '../../../src/index.ts';
import { isTrue } from '../database/boolean-column.ts';
import { telecomOf } from './directory-contact.ts';
import { practitionerName, selectProviders } from './directory-practitioner.ts';
import { childRowsOf } from './page-children.ts';
import { sharedData } from './provided-resource.ts';
import { referenceInclude } from './reference-include.ts';
import { referenceParameter, tokenParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

/** NUCC Health Care Provider Taxonomy: the schema's specialty codes, and US Core's PractitionerRole.specialty binding. */
export const nuccSystem = 'http://nucc.org/provider-taxonomy';

const usCore = usCoreSearchParameters('PractitionerRole');

// Every clinician of the sample is a physician: SNOMED CT "Medical practitioner (occupation)", from the
// US Core Care Team Member Function value set that PractitionerRole.code is bound to.
const physician = { system: 'http://snomed.info/sct', code: '158965000', display: 'Medical practitioner (occupation)' };

/**
 * The role of a clinician at the practice. The schema has one per provider, so a PractitionerRole has the
 * provider's id; its locations are where the provider keeps a schedule.
 */
function practitionerRoleResource(row: Record<string, unknown>, locationIds: number[]): FhirResource {
  return {
    resourceType: 'PractitionerRole',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-practitionerrole')] },
    active: isTrue(row.is_active),
    practitioner: { reference: `Practitioner/${String(row.id)}`, display: practitionerName(row) },
    organization: { reference: `Organization/${String(row.organization_id)}` },
    code: [{ coding: [physician] }],
    specialty: [{
      coding: [{ system: nuccSystem, code: String(row.specialty_code), display: String(row.specialty_display) }],
      text: String(row.specialty_display),
    }],
    ...(locationIds.length > 0 ? { location: locationIds.map((id) => ({ reference: `Location/${id}` })) } : {}),
    // US Core pd-1: contact details or an endpoint; the clinician's own phone and email.
    telecom: telecomOf(row.phone, row.email, 'work'),
  };
}

/** `_include=PractitionerRole:practitioner` (US Core 6.1 SHOULD). */
const includePractitioner = referenceInclude('practitioner', ['Practitioner'], 'practitioner');

/** US Core 6.1 PractitionerRole: SHALL `specialty` and `practitioner`. */
export const practitionerRoleSource: TableSource<FhirResource> = {
  resourceType: 'PractitionerRole',
  profiles: [usCoreProfile('us-core-practitionerrole')],
  searchParameters: [
    tokenParameter(usCore, 'specialty', { code: 'pr.specialty_code', fixedSystem: nuccSystem }, `NUCC taxonomy (${nuccSystem}).`),
    // A role has its provider's id, so the practitioner is the row itself.
    referenceParameter(usCore, 'practitioner', 'pr.id', 'Practitioner'),
  ],
  includes: [includePractitioner],
  rows: selectProviders,
  idColumn: 'pr.id',
  toResources: async (rows, knex) => {
    // A role's locations are where its provider keeps a schedule.
    const schedules = await childRowsOf(knex('ehr_schedules').distinct('provider_id', 'location_id').orderBy('location_id'),
      'provider_id', rows.map((row) => Number(row.id)));
    return rows.map((row) => sharedData(practitionerRoleResource(row,
      (schedules.get(Number(row.id)) ?? []).map((schedule) => Number(schedule.location_id)))));
  },
};
