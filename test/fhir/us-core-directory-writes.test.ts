import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { FHIR_PATH, registerWriterApp, userToken } from '../support/fhir-requests.ts';
import { demoPatientId, FHIR_BASE, startSmartServer, type SmartServer } from '../support/smart-server.ts';

/**
 * Booking a slot through the plugin, as the front desk (Edit Schedule). test/fhir/writes.test.ts covers the
 * write surface itself; this adds the slot rules of the sample's Appointment provider as a client sees them.
 */
describe(`slot booking over HTTP on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let token: string;
  let maria: string;

  before(async () => {
    server = await startSmartServer();
    token = (await userToken(server, { clientId: await registerWriterApp(server), login: 'frontdesk', scope: 'openid fhirUser user/Appointment.crs' })).token;
    maria = await demoPatientId(server, 'Maria', 'Lopez');
  });
  after(() => server.close());

  const post = (path: string, body: unknown) => request(server.app).post(`${FHIR_PATH}/${path}`)
    .set({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' }).send(JSON.stringify(body));

  it('POST Appointment books a free slot (201 with Location); a second booking of it is 409, an empty time range 422', async () => {
    const knex = server.db.knex;
    const slot = await knex('ehr_slots as sl').join('ehr_schedules as s', 's.id', 'sl.schedule_id')
      .where('sl.status', 'free').orderBy([{ column: 'sl.start_at' }, { column: 'sl.id' }]).first('sl.id', 's.provider_id', 'sl.start_at');
    const booking = {
      resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${slot.id}` }],
      participant: [{ actor: { reference: `Patient/${maria}` }, status: 'accepted' }, { actor: { reference: `Practitioner/${slot.provider_id}` }, status: 'accepted' }],
    };
    const created = await post('Appointment', booking);
    assert.equal(created.status, 201, created.text);
    assertValidR4(created.body);
    assert.equal(created.headers.location, `${FHIR_BASE}/Appointment/${created.body.id}`);
    assert.equal(created.body.start, slot.start_at);
    assert.equal((await knex('ehr_slots').where('id', slot.id).first()).status, 'busy');
    const again = await post('Appointment', booking);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.issue[0].code, 'conflict');
    assert.equal(again.body.issue[0].diagnostics, `Slot/${slot.id} is not free`);
    const elsewhere = await post('Appointment', { ...booking, slot: undefined, start: '2027-03-01T09:00:00Z', end: '2027-03-01T09:00:00Z' });
    assert.equal(elsewhere.status, 422, elsewhere.text);
    assert.match(elsewhere.body.issue[0].diagnostics, /end must be after/);
  });
});
