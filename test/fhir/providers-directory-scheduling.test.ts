import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertValidR4 } from '../support/fhir-validate.ts';
import {
  compartment, date, directoryFixture, everything, reference, searchIds, sorted, staff, token, where, type DirectoryFixture,
} from './providers-directory-fixture.ts';

let fixture: DirectoryFixture;
let appointments: Array<Record<string, any>>;
let slots: Array<Record<string, any>>;
let schedules: Array<Record<string, any>>;

before(async () => {
  fixture = await directoryFixture();
  const all = (table: string) => fixture.db.knex(table).select('*').orderBy('id') as Promise<Array<Record<string, any>>>;
  appointments = await all('ehr_appointments');
  slots = await all('ehr_slots');
  schedules = await all('ehr_schedules');
});
after(() => fixture.drop());

const idsOf = (rows: Array<Record<string, any>>) => sorted(rows.map((row) => String(row.id)));

describe('Appointment provider: read and search', () => {
  it('reads a booked appointment with its patient, practitioner, location and slot', async () => {
    const booked = appointments.find((row) => row.status === 'booked' && String(row.patient_id) === fixture.patients.pat)!;
    const found = await fixture.provider('Appointment').read(String(booked.id), { restrictions: everything });
    assert.ok(found);
    assertValidR4(found.resource);
    assert.equal(found.patientId, fixture.patients.pat);
    const resource = found.resource as Record<string, any>;
    assert.equal(resource.status, 'booked');
    assert.equal(resource.start, booked.start_at);
    assert.equal(resource.end, booked.end_at);
    assert.deepEqual(resource.slot, [{ reference: `Slot/${booked.slot_id}` }]);
    assert.deepEqual(resource.participant.map((p: any) => p.actor.reference),
      [`Patient/${booked.patient_id}`, `Practitioner/${booked.provider_id}`, `Location/${booked.location_id}`]);
    assert.deepEqual(resource.reasonCode, [{ text: booked.reason }]);
  });

  it('searches patient (id and Type/id), status (code, system|code, multipleOr), date comparators, practitioner, location', async () => {
    const provider = fixture.provider('Appointment');
    const maria = fixture.patients.maria;
    const ofMaria = appointments.filter((row) => String(row.patient_id) === maria);
    assert.equal(ofMaria.length, 2);
    const search = async (...criteria: Parameters<typeof where>[]) =>
      sorted((await searchIds(provider, criteria.map((args) => where(...args)))).ids);
    assert.deepEqual(await search(['patient', reference(maria)]), idsOf(ofMaria));
    assert.deepEqual(await search(['patient', reference(maria, 'Patient')]), idsOf(ofMaria));
    assert.deepEqual(await search(['patient', reference(maria, 'Practitioner')]), []);
    const system = 'http://hl7.org/fhir/appointmentstatus';
    assert.deepEqual(await search(['status', token('booked')]), idsOf(appointments.filter((row) => row.status === 'booked')));
    assert.deepEqual(await search(['patient', reference(maria)], ['status', token('fulfilled', system)]), idsOf(ofMaria.filter((row) => row.status === 'fulfilled')));
    assert.deepEqual(await search(['status', token('booked'), token('fulfilled')]), idsOf(appointments));
    const day = ['2027-01-12', '2027-01-13'] as const;
    const by = (test: (start: string) => boolean) => idsOf(appointments.filter((row) => test(row.start_at)));
    assert.deepEqual(await search(['date', date('eq', ...day)]), by((start) => start.startsWith('2027-01-12')));
    assert.deepEqual(await search(['date', date('gt', ...day)]), by((start) => start >= '2027-01-13'));
    assert.deepEqual(await search(['date', date('ge', ...day)]), by((start) => start >= '2027-01-12'));
    assert.deepEqual(await search(['date', date('lt', ...day)]), by((start) => start < '2027-01-12'));
    assert.deepEqual(await search(['date', date('le', ...day)]), by((start) => start < '2027-01-13'));
    assert.ok((await search(['date', date('gt', ...day)])).length > 0 && (await search(['date', date('lt', ...day)])).length > 0);
    const instant = date('ge', '2027-01-12T09:30:00Z', '2027-01-12T09:30:01Z');
    assert.deepEqual(await search(['date', instant]), by((start) => start >= '2027-01-12T09:30:00Z'));
    const [first] = appointments;
    assert.deepEqual(await search(['practitioner', reference(String(first!.provider_id), 'Practitioner')]),
      idsOf(appointments.filter((row) => row.provider_id === first!.provider_id)));
    assert.deepEqual(await search(['location', reference(String(first!.location_id))]),
      idsOf(appointments.filter((row) => row.location_id === first!.location_id)));
  });

  it('applies the compartment and hides the sensitive chart, in results and totals', async () => {
    const provider = fixture.provider('Appointment');
    const sam = appointments.filter((row) => String(row.patient_id) === fixture.patients.sam);
    assert.equal(sam.length, 2);
    const visible = await searchIds(provider, [], staff);
    assert.equal(visible.total, appointments.length - sam.length);
    assert.ok(!visible.ids.some((id) => idsOf(sam).includes(id)));
    assert.equal(await provider.read(String(sam[0]!.id), { restrictions: staff }), undefined);
    const leo = await searchIds(provider, [], compartment(fixture.patients.leo));
    assert.deepEqual(sorted(leo.ids), idsOf(appointments.filter((row) => String(row.patient_id) === fixture.patients.leo)));
    assert.equal(await provider.read(String(sam[0]!.id), { restrictions: { ...compartment(fixture.patients.leo), sensitiveCharts: true } }), undefined);
    const page = await searchIds(provider, [], everything, { offset: 2, count: 3 });
    assert.equal(page.total, appointments.length);
    const inOrder = [...appointments].sort((a, b) => a.start_at.localeCompare(b.start_at) || a.id - b.id).map((row) => String(row.id));
    assert.deepEqual(page.ids, inOrder.slice(2, 5));
  });
});

describe('Schedule and Slot providers', () => {
  it('Schedule: actor (Practitioner or Location, id or Type/id), active, date over the planning horizon', async () => {
    const provider = fixture.provider('Schedule');
    const [first] = schedules;
    const found = (await provider.read(String(first!.id), { restrictions: compartment(fixture.patients.pat) }))!;
    assertValidR4(found.resource);
    assert.equal(found.patientId, null);
    const search = async (...criteria: Parameters<typeof where>[]) =>
      sorted((await searchIds(provider, criteria.map((args) => where(...args)))).ids);
    const practitioner = String(first!.provider_id);
    assert.deepEqual(await search(['actor', reference(practitioner, 'Practitioner')]), idsOf(schedules.filter((row) => String(row.provider_id) === practitioner)));
    const location = String(first!.location_id);
    assert.deepEqual(await search(['actor', reference(location, 'Location')]), idsOf(schedules.filter((row) => String(row.location_id) === location)));
    assert.deepEqual(await search(['actor', reference(location)]),
      idsOf(schedules.filter((row) => String(row.location_id) === location || String(row.provider_id) === location)));
    assert.deepEqual(await search(['active', token('true')]), idsOf(schedules));
    assert.deepEqual(await search(['active', token('false')]), []);
    assert.deepEqual(await search(['date', date('eq', '2027-01-12', '2027-01-13')]), idsOf(schedules));
    assert.deepEqual(await search(['date', date('eq', '2025-06-01', '2025-06-02')]), []);
    assert.deepEqual(await search(['date', date('ne', '2025-06-01', '2025-06-02')]), idsOf(schedules));
    assert.deepEqual(await search(['date', date('ne', '2027-01-12T09:00:00Z', '2027-01-12T09:00:01Z')]), []);
    assert.deepEqual(await search(['date', date('gt', '2027-12-31', '2028-01-01')]), []);
    assert.deepEqual(await search(['date', date('ge', '2027-12-31', '2028-01-01')]), idsOf(schedules));
    assert.deepEqual(await search(['date', date('lt', '2026-01-01', '2026-01-02')]), []);
    assert.deepEqual(await search(['date', date('le', '2026-01-01', '2026-01-02')]), idsOf(schedules));
  });

  it('Slot: schedule, status (code, system|code), start comparators, in time order', async () => {
    const provider = fixture.provider('Slot');
    const [first] = slots;
    const found = (await provider.read(String(first!.id), { restrictions: everything }))!;
    assertValidR4(found.resource);
    assert.deepEqual((found.resource as Record<string, any>).schedule, { reference: `Schedule/${first!.schedule_id}` });
    const search = async (...criteria: Parameters<typeof where>[]) =>
      sorted((await searchIds(provider, criteria.map((args) => where(...args)))).ids);
    const schedule = String(first!.schedule_id);
    const ofSchedule = slots.filter((row) => String(row.schedule_id) === schedule);
    assert.deepEqual(await search(['schedule', reference(schedule)]), idsOf(ofSchedule));
    assert.deepEqual(await search(['schedule', reference(schedule, 'Schedule')]), idsOf(ofSchedule));
    const free = ofSchedule.filter((row) => row.status === 'free');
    assert.ok(free.length > 0 && free.length < ofSchedule.length);
    assert.deepEqual(await search(['schedule', reference(schedule)], ['status', token('free')]), idsOf(free));
    assert.deepEqual(await search(['schedule', reference(schedule)], ['status', token('free', 'http://hl7.org/fhir/slotstatus')]), idsOf(free));
    const bound = ['2027-01-13', '2027-01-14'] as const;
    const by = (test: (start: string) => boolean) => idsOf(slots.filter((row) => test(row.start_at)));
    assert.deepEqual(await search(['start', date('ge', ...bound)]), by((start) => start >= '2027-01-13'));
    assert.deepEqual(await search(['start', date('gt', ...bound)]), by((start) => start >= '2027-01-14'));
    assert.deepEqual(await search(['start', date('lt', ...bound)]), by((start) => start < '2027-01-13'));
    assert.deepEqual(await search(['start', date('le', ...bound)]), by((start) => start < '2027-01-14'));
    const page = await searchIds(provider, [where('schedule', reference(schedule))], everything, { count: 2 });
    const inOrder = [...ofSchedule].sort((a, b) => a.start_at.localeCompare(b.start_at) || a.id - b.id);
    assert.deepEqual(page.ids, inOrder.slice(0, 2).map((row) => String(row.id)));
    assert.equal(page.total, ofSchedule.length);
  });
});
