import type { Knex } from 'knex';
import type { FhirResource, IncludeDefinition, ProvidedResource, ResourceProvider } from '../../../src/index.ts';
import { childRowsOf } from './page-children.ts';
import { chartResource } from './provided-resource.ts';
import { patientParameter, tokenParameter, usCoreProfile, usCoreSearchParameters, type SearchParameter } from './search-parameters.ts';
import { whereToken } from './criteria-sql.ts';
import { tableProvider } from './table-provider.ts';

const usCore = usCoreSearchParameters('CareTeam');
const nucc = 'http://nucc.org/provider-taxonomy';

/** `role`: teams with a member in that role (the role lives on the member rows). */
const roleParameter: SearchParameter = {
  name: 'role', type: 'token', definition: usCore('role'),
  apply(query, values) {
    query.whereIn('ct.id', (members) => {
      members.select('m.care_team_id').from('ehr_care_team_members as m');
      whereToken(members, { code: 'm.role_code', fixedSystem: nucc }, values);
    });
  },
};

/** `_include=CareTeam:participant` (US Core 6.1 SHALL): the members, here always Practitioners. */
const participantInclude: IncludeDefinition = {
  name: 'participant',
  targets: ['Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson'],
  referencesOf: (resource) => ((resource.participant ?? []) as Array<{ member?: { reference?: string } }>)
    .map((participant) => participant.member?.reference)
    .filter((reference): reference is string => reference !== undefined),
};

/** US Core CareTeam (6.1) over `ehr_care_teams` and their members (practitioners, each with a NUCC role). */
export function careTeamProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'CareTeam',
    profiles: [usCoreProfile('us-core-careteam')],
    rows: (db) => db('ehr_care_teams as ct').select('ct.*'),
    idColumn: 'ct.id',
    // Teams are not recorded in documents, so only the chart rules apply.
    chart: { patient: 'ct.patient_id' },
    includes: [participantInclude],
    searchParameters: [
      patientParameter(usCore, 'ct.patient_id'),
      tokenParameter(usCore, 'status', { code: 'ct.status', fixedSystem: 'http://hl7.org/fhir/care-team-status' }),
      roleParameter,
    ],
    toResources: async (rows, db) => {
      const members = await childRowsOf(db('ehr_care_team_members').orderBy([{ column: 'care_team_id' }, { column: 'provider_id' }]),
        'care_team_id', rows.map((row) => Number(row.id)));
      return rows.map((row) => toCareTeam(row, members.get(Number(row.id)) ?? []));
    },
  });
}

type Member = Record<string, unknown>;

function toCareTeam(row: Record<string, unknown>, members: Member[]): ProvidedResource {
  const resource: FhirResource = {
    resourceType: 'CareTeam',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-careteam')] },
    status: String(row.status),
    name: String(row.name),
    subject: { reference: `Patient/${String(row.patient_id)}` },
    // FHIR forbids empty arrays: a team without members (not in the seed) simply has no participant element.
    ...(members.length > 0 ? {
      participant: members.map((member) => ({
        role: [{ coding: [{ system: nucc, code: String(member.role_code), display: String(member.role_display) }] }],
        member: { reference: `Practitioner/${String(member.provider_id)}` },
      })),
    } : {}),
  };
  return chartResource(row, resource);
}
