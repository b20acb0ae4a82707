import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { mrnSystem } from '../../samples/host-ehr/fhir/directory-patient-resource.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { idsOf, searchAll, serviceToken, userToken, type SearchOutcome } from '../support/fhir-requests.ts';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';

const npi = 'http://hl7.org/fhir/sid/us-npi';
const nucc = 'http://nucc.org/provider-taxonomy';
const gender = 'http://hl7.org/fhir/administrative-gender';
const appointmentStatus = 'http://hl7.org/fhir/appointmentstatus';

/**
 * One search of the table: the query (sent by GET and, as a form body, by POST `_search`) and the ids it must
 * match, computed from the seeded tables. The service user cannot open sensitive charts, so Sam Rivera's rows
 * are never expected.
 */
interface SearchCase {
  type: string;
  query: string;
  expected(knex: Knex): Promise<Array<number | string>>;
  /** Location needs View System Settings, which only the administrator holds. */
  caller?: 'admin';
}

const visiblePatients = (knex: Knex) => knex('ehr_patients').where('is_sensitive', false);
const pluck = async (query: Knex.QueryBuilder) => ((await query.select('id')) as Array<{ id: number }>).map((row) => row.id);
const idOf = async (query: Knex.QueryBuilder) => ((await query.first('id')) as { id: number }).id;
const visibleAppointments = (knex: Knex) => knex('ehr_appointments').whereIn('patient_id', visiblePatients(knex).select('id'));

const cases: Record<string, (ids: Record<string, number>) => SearchCase> = {
  'Patient _id': (ids) => ({ type: 'Patient', query: `_id=${ids.maria}`, expected: async () => [ids.maria!] }),
  'Patient identifier (code)': () => ({ type: 'Patient', query: 'identifier=MRN-1002', expected: (k) => pluck(visiblePatients(k).where('mrn', 'MRN-1002')) }),
  'Patient identifier (system|code)': () => ({ type: 'Patient', query: `identifier=${encodeURIComponent(`${mrnSystem}|MRN-1003`)}`, expected: (k) => pluck(visiblePatients(k).where('mrn', 'MRN-1003')) }),
  'Patient name (given or family prefix)': () => ({ type: 'Patient', query: 'name=lop', expected: (k) => pluck(visiblePatients(k).where('family_name', 'Lopez')) }),
  'Patient name hides the sensitive chart': () => ({ type: 'Patient', query: 'name=Sam', expected: async () => [] }),
  'Patient birthdate+name': () => ({ type: 'Patient', query: 'birthdate=2015-05-09&name=Lopez', expected: (k) => pluck(visiblePatients(k).where({ family_name: 'Lopez', birth_date: '2015-05-09' })) }),
  'Patient birthdate (gt)+name': () => ({ type: 'Patient', query: 'birthdate=gt2015-05-09&name=Lopez', expected: (k) => pluck(visiblePatients(k).where('family_name', 'Lopez').where('birth_date', '>', '2015-05-09')) }),
  'Patient birthdate (le)+name': () => ({ type: 'Patient', query: 'birthdate=le2015-05-09&name=Lopez', expected: (k) => pluck(visiblePatients(k).where('family_name', 'Lopez').where('birth_date', '<=', '2015-05-09')) }),
  'Patient gender (code)+name': () => ({ type: 'Patient', query: 'gender=female&name=Lopez', expected: (k) => pluck(visiblePatients(k).where({ family_name: 'Lopez', sex: 'female' })) }),
  'Patient gender (system|code)+name': () => ({ type: 'Patient', query: `gender=${encodeURIComponent(`${gender}|male`)}&name=Lopez`, expected: (k) => pluck(visiblePatients(k).where({ family_name: 'Lopez', sex: 'male' })) }),
  'Patient family+gender (SHOULD)': () => ({ type: 'Patient', query: 'family=Jones&gender=male', expected: (k) => pluck(visiblePatients(k).where({ family_name: 'Jones', sex: 'male' })) }),
  'Practitioner name': () => ({ type: 'Practitioner', query: 'name=Natara', expected: (k) => pluck(k('ehr_providers').where('family_name', 'Natarajan')) }),
  'Practitioner identifier (code)': () => ({ type: 'Practitioner', query: 'identifier=1234567893', expected: (k) => pluck(k('ehr_providers').where('npi', '1234567893')) }),
  'Practitioner identifier (system|code)': () => ({ type: 'Practitioner', query: `identifier=${encodeURIComponent(`${npi}|1987654328`)}`, expected: (k) => pluck(k('ehr_providers').where('npi', '1987654328')) }),
  'PractitionerRole specialty (code)': () => ({ type: 'PractitionerRole', query: 'specialty=207Q00000X', expected: (k) => pluck(k('ehr_providers').where('specialty_code', '207Q00000X')) }),
  'PractitionerRole specialty (system|code)': () => ({ type: 'PractitionerRole', query: `specialty=${encodeURIComponent(`${nucc}|2084P0800X`)}`, expected: (k) => pluck(k('ehr_providers').where('specialty_code', '2084P0800X')) }),
  'PractitionerRole practitioner (id)': (ids) => ({ type: 'PractitionerRole', query: `practitioner=${ids.chen}`, expected: async () => [ids.chen!] }),
  'PractitionerRole practitioner (Type/id)': (ids) => ({ type: 'PractitionerRole', query: `practitioner=Practitioner/${ids.chen}`, expected: async () => [ids.chen!] }),
  'Organization name': () => ({ type: 'Organization', query: 'name=Riverside', expected: (k) => pluck(k('ehr_organization')) }),
  'Organization address': () => ({ type: 'Organization', query: 'address=62701', expected: (k) => pluck(k('ehr_organization').where('postal_code', '62701')) }),
  'Location name': () => ({ type: 'Location', caller: 'admin', query: 'name=Riverside%20Ped', expected: (k) => pluck(k('ehr_locations').where('name', 'Riverside Pediatrics')) }),
  'Location address': () => ({ type: 'Location', caller: 'admin', query: 'address=100%20river', expected: (k) => pluck(k('ehr_locations').where('address_line', 'like', '100 River%')) }),
  'Location address-city': () => ({ type: 'Location', caller: 'admin', query: 'address-city=Springfield', expected: (k) => pluck(k('ehr_locations').where('city', 'Springfield')) }),
  'Location address-state': () => ({ type: 'Location', caller: 'admin', query: 'address-state=IL', expected: (k) => pluck(k('ehr_locations').where('state', 'IL')) }),
  'Location address-postalcode': () => ({ type: 'Location', caller: 'admin', query: 'address-postalcode=6270', expected: (k) => pluck(k('ehr_locations').where('postal_code', 'like', '6270%')) }),
  'Medication _id': (ids) => ({ type: 'Medication', query: `_id=${ids.medication}`, expected: async () => [ids.medication!] }),
  'Appointment patient (id)': (ids) => ({ type: 'Appointment', query: `patient=${ids.maria}`, expected: (k) => pluck(visibleAppointments(k).where('patient_id', ids.maria!)) }),
  'Appointment patient (Type/id)': (ids) => ({ type: 'Appointment', query: `patient=Patient/${ids.maria}`, expected: (k) => pluck(visibleAppointments(k).where('patient_id', ids.maria!)) }),
  'Appointment status (multipleOr, system|code)': () => ({ type: 'Appointment', query: `status=${encodeURIComponent(`${appointmentStatus}|booked`)},cancelled`, expected: (k) => pluck(visibleAppointments(k).whereIn('status', ['booked', 'cancelled'])) }),
  'Appointment date (ge)': () => ({ type: 'Appointment', query: 'date=ge2027-01-13', expected: (k) => pluck(visibleAppointments(k).where('start_at', '>=', '2027-01-13')) }),
  'Appointment date (lt)+patient': (ids) => ({ type: 'Appointment', query: `date=lt2027-01-01&patient=${ids.pat}`, expected: (k) => pluck(visibleAppointments(k).where('start_at', '<', '2027-01-01').where('patient_id', ids.pat!)) }),
  'Appointment date (gt, le)': () => ({ type: 'Appointment', query: 'date=gt2027-01-12&date=le2027-01-13', expected: (k) => pluck(visibleAppointments(k).where('start_at', '>=', '2027-01-13').where('start_at', '<', '2027-01-14')) }),
  'Appointment practitioner': (ids) => ({ type: 'Appointment', query: `practitioner=Practitioner/${ids.chen}`, expected: (k) => pluck(visibleAppointments(k).where('provider_id', ids.chen!)) }),
  'Schedule actor': (ids) => ({ type: 'Schedule', query: `actor=Practitioner/${ids.chen}`, expected: (k) => pluck(k('ehr_schedules').where('provider_id', ids.chen!)) }),
  'Slot schedule+status': (ids) => ({ type: 'Slot', query: `schedule=${ids.chenSchedule}&status=free`, expected: (k) => pluck(k('ehr_slots').where({ schedule_id: ids.chenSchedule!, status: 'free' })) }),
  'Slot start (ge, lt)': () => ({ type: 'Slot', query: 'start=ge2027-01-13&start=lt2027-01-14&_count=5', expected: (k) => pluck(k('ehr_slots').where('start_at', '>=', '2027-01-13').where('start_at', '<', '2027-01-14')) }),
};

describe(`US Core directory searches over HTTP on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let tokens: { service: string; admin: string };
  let ids: Record<string, number>;

  before(async () => {
    server = await startSmartServer();
    const knex = server.db.knex;
    tokens = {
      service: await serviceToken(server, 'user/*.rs'),
      admin: (await userToken(server, { login: 'admin', scope: 'openid fhirUser user/Location.rs' })).token,
    };
    const chen = await idOf(knex('ehr_providers').where('family_name', 'Chen'));
    ids = {
      pat: await idOf(knex('ehr_patients').where('mrn', 'MRN-1001')), maria: await idOf(knex('ehr_patients').where('mrn', 'MRN-1002')),
      chen, chenSchedule: await idOf(knex('ehr_schedules').where('provider_id', chen)),
      medication: await idOf(knex('ehr_medications').orderBy('id')),
    };
  });
  after(() => server.close());

  for (const [name, build] of Object.entries(cases)) {
    it(name, async () => {
      const search = build(ids);
      const token = search.caller === 'admin' ? tokens.admin : tokens.service;
      const expected = (await search.expected(server.db.knex)).map(String).sort();
      const byGet = await searchAll(server, search.type, search.query, token, 'GET');
      const byPost = await searchAll(server, search.type, search.query, token, 'POST');
      assert.deepEqual(idsOf(byGet.matches), expected);
      assert.deepEqual(idsOf(byPost.matches), expected);
      assert.equal(byGet.total, expected.length);
      assert.equal(byPost.total, expected.length);
      assertResources(search.type, byGet);
    });
  }

  it('PractitionerRole _include=PractitionerRole:practitioner adds the Practitioner', async () => {
    const outcome = await searchAll(server, 'PractitionerRole', `practitioner=${ids.chen}&_include=PractitionerRole:practitioner`, tokens.service);
    assert.deepEqual(idsOf(outcome.matches), [String(ids.chen)]);
    assert.deepEqual(outcome.included.map((resource) => `${resource.resourceType}/${resource.id}`), [`Practitioner/${ids.chen}`]);
    outcome.included.forEach((resource) => assertValidR4(resource));
  });
});

/** Every match is valid R4 of the searched type and labelled by the plugin. */
function assertResources(type: string, outcome: SearchOutcome): void {
  for (const resource of outcome.matches) {
    assert.equal(resource.resourceType, type);
    assertValidR4(resource);
    assert.ok(Array.isArray(resource.meta?.security) && resource.meta.security.length > 0, `${type}/${resource.id} carries meta.security`);
  }
}
