import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FhirRequestError, type AccessRestrictions, type FhirResource, type ResourceProvider } from '../../src/index.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { compartment, directoryFixture, everything, staff, type DirectoryFixture } from './providers-directory-fixture.ts';

let fixture: DirectoryFixture;
let appointments: ResourceProvider;
let chen: { id: number; scheduleId: number; locationId: number; serviceType: string };
let natarajanId: number;

before(async () => {
  fixture = await directoryFixture();
  appointments = fixture.provider('Appointment');
  const knex = fixture.db.knex;
  const provider = (family: string) => knex('ehr_providers').where('family_name', family).first('id') as Promise<{ id: number }>;
  const chenId = Number((await provider('Chen')).id);
  natarajanId = Number((await provider('Natarajan')).id);
  const schedule = await knex('ehr_schedules').where('provider_id', chenId).first();
  chen = { id: chenId, scheduleId: Number(schedule.id), locationId: Number(schedule.location_id), serviceType: schedule.service_type };
});
after(() => fixture.drop());

/** The free slots of Dr. Chen's schedule, in time order. */
async function freeSlots(): Promise<Array<Record<string, any>>> {
  return fixture.db.knex('ehr_slots').where({ schedule_id: chen.scheduleId, status: 'free' }).orderBy([{ column: 'start_at' }, { column: 'id' }]);
}

function appointment(patientId: string, extra: Record<string, unknown> = {}, actors = [`Patient/${patientId}`, `Practitioner/${chen.id}`]): FhirResource {
  return {
    resourceType: 'Appointment', status: 'booked',
    participant: actors.map((reference) => ({ actor: { reference }, status: 'accepted' })),
    ...extra,
  };
}

async function refused(resource: FhirResource, status: number, issue: string, message: RegExp, restrictions: AccessRestrictions = everything) {
  const count = (await fixture.db.knex('ehr_appointments').count({ n: '*' }).first())!.n;
  await assert.rejects(appointments.create!(resource, { restrictions }), (error: unknown) => {
    assert.ok(error instanceof FhirRequestError, String(error));
    assert.deepEqual([error.status, error.issue], [status, issue]);
    assert.match(error.message, message);
    return true;
  });
  assert.equal((await fixture.db.knex('ehr_appointments').count({ n: '*' }).first())!.n, count, 'no appointment was created');
}

describe('Appointment provider: create (booking)', () => {
  it('books a free slot: the slot becomes busy and the appointment takes its times, location and service', async () => {
    const [slot] = await freeSlots();
    const maria = fixture.patients.maria;
    const created = await appointments.create!(
      appointment(maria, { slot: [{ reference: `Slot/${slot!.id}` }], reasonCode: [{ text: 'Annual flu shot' }] }),
      { restrictions: compartment(maria) },
    );
    assertValidR4(created.resource);
    assert.equal(created.patientId, maria);
    const resource = created.resource as Record<string, any>;
    assert.match(resource.id, /^[0-9]+$/);
    assert.deepEqual(
      { status: resource.status, start: resource.start, end: resource.end, slot: resource.slot, serviceType: resource.serviceType, reasonCode: resource.reasonCode },
      { status: 'booked', start: slot!.start_at, end: slot!.end_at, slot: [{ reference: `Slot/${slot!.id}` }], serviceType: [{ text: chen.serviceType }], reasonCode: [{ text: 'Annual flu shot' }] },
    );
    assert.deepEqual(resource.participant.map((p: any) => p.actor.reference), [`Patient/${maria}`, `Practitioner/${chen.id}`, `Location/${chen.locationId}`]);
    assert.equal((await fixture.db.knex('ehr_slots').where('id', slot!.id).first()).status, 'busy');
    assert.deepEqual(await appointments.read(resource.id, { restrictions: everything }), created);
  });

  it('refuses a second booking of the same slot, and a busy slot, with 409', async () => {
    const [slot] = await freeSlots();
    const take = (patient: string) => appointments.create!(appointment(patient, { slot: [{ reference: `Slot/${slot!.id}` }] }), { restrictions: everything });
    const outcomes = await Promise.allSettled([take(fixture.patients.pat), take(fixture.patients.maria)]);
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    assert.ok(failure.reason instanceof FhirRequestError);
    assert.deepEqual([failure.reason.status, failure.reason.issue], [409, 'conflict']);
    await refused(appointment(fixture.patients.pat, { slot: [{ reference: `Slot/${slot!.id}` }] }), 409, 'conflict', /not free/);
  });

  it('books without a slot given instants (normalised to UTC) and a Location', async () => {
    const created = await appointments.create!(appointment(fixture.patients.pat,
      { status: 'proposed', start: '2027-02-01T10:00:00-06:00', end: '2027-02-01T10:30:00.000-06:00', serviceType: [{ coding: [{ display: 'Consult' }] }] },
      [`Patient/${fixture.patients.pat}`, `Practitioner/${chen.id}`, `Location/${chen.locationId}`]), { restrictions: everything });
    assertValidR4(created.resource);
    const resource = created.resource as Record<string, any>;
    assert.deepEqual([resource.status, resource.start, resource.end, resource.serviceType], ['proposed', '2027-02-01T16:00:00Z', '2027-02-01T16:30:00Z', [{ text: 'Consult' }]]);
    assert.equal(resource.slot, undefined);
    assert.equal(resource.participant[0].status, 'needs-action');
  });

  it('answers a patient the caller may not see exactly as a missing one: 404, nothing booked, the slot still free', async () => {
    const [slot] = await freeSlots();
    const inSlot = (patient: string) => appointment(patient, { slot: [{ reference: `Slot/${slot!.id}` }] });
    await refused(inSlot(fixture.patients.leo), 404, 'not-found', /Patient\/.* is not known/, compartment(fixture.patients.maria));
    await refused(inSlot(fixture.patients.sam), 404, 'not-found', /is not known/, staff);
    await refused(inSlot('999999'), 404, 'not-found', /is not known/);
    await refused(inSlot('abc'), 404, 'not-found', /is not known/);
    assert.equal((await fixture.db.knex('ehr_slots').where('id', slot!.id).first()).status, 'free');
  });

  it('refuses invalid content with 400 or 422', async () => {
    const pat = fixture.patients.pat;
    const [slot] = await freeSlots();
    const inSlot = { slot: [{ reference: `Slot/${slot!.id}` }] };
    await refused({ ...appointment(pat, inSlot), resourceType: 'Encounter' }, 400, 'invalid', /Expected an Appointment/);
    await refused(appointment(pat, { ...inSlot, status: 'fulfilled' }), 422, 'value', /status must be proposed, pending or booked/);
    await refused(appointment(pat, inSlot, [`Practitioner/${chen.id}`]), 422, 'invalid', /exactly one Patient/);
    await refused(appointment(pat, inSlot, [`Patient/${pat}`, `Patient/${fixture.patients.maria}`, `Practitioner/${chen.id}`]), 422, 'invalid', /exactly one Patient/);
    await refused(appointment(pat, inSlot, [`Patient/${pat}`]), 422, 'invalid', /exactly one Practitioner/);
    await refused(appointment(pat, inSlot, [`Patient/${pat}`, `Practitioner/${chen.id}`, 'RelatedPerson/1']), 422, 'not-supported', /RelatedPerson\/1/);
    await refused(appointment(pat, inSlot, [`Patient/${pat}`, 'Practitioner/999999']), 422, 'invalid', /Practitioner\/999999 does not exist/);
    await refused(appointment(pat, inSlot, [`Patient/${pat}`, `Practitioner/${natarajanId}`]), 422, 'business-rule', /not in Practitioner/);
    await refused(appointment(pat, { slot: [{ reference: 'Slot/999999' }] }), 422, 'invalid', /Slot\/999999 does not exist/);
    await refused(appointment(pat, { ...inSlot, start: '2030-01-01T09:00:00Z', end: '2030-01-01T09:30:00Z' }), 422, 'business-rule', /must be the slot's/);
    await refused(appointment(pat, { start: '2030-01-01 09:00', end: '2030-01-01T09:30:00Z' }), 422, 'value', /Appointment\.start must be an instant/);
    await refused(appointment(pat, { start: '2030-01-01T09:30:00Z', end: '2030-01-01T09:00:00Z' }), 422, 'invalid', /end must be after/);
    await refused(appointment(pat, { start: '2030-01-01T09:00:00Z' }), 422, 'invalid', /go together/);
    await refused(appointment(pat), 422, 'required', /or a slot, are required/);
    await refused(appointment(pat, { start: '2030-01-01T09:00:00Z', end: '2030-01-01T09:30:00Z' }), 422, 'required', /Location participant or a slot/);
    await refused({ resourceType: 'Appointment', status: 'booked' }, 422, 'required', /participant is required/);
    assert.equal((await fixture.db.knex('ehr_slots').where('id', slot!.id).first()).status, 'free');
  });
});
