import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { FHIR_PATH, fhirGet, registerWriterApp, userToken } from '../support/fhir-requests.ts';
import { portalToken, startPortalServer, type PortalServer } from '../support/portal-sign-in.ts';
import { demoPatientId, FHIR_BASE } from '../support/smart-server.ts';

function put(server: PortalServer, path: string, token: string, body: unknown): request.Test {
  return request(server.app).put(`${FHIR_PATH}/${path}`).set('Authorization', `Bearer ${token}`).type('application/fhir+json').send(JSON.stringify(body));
}

function post(server: PortalServer, path: string, token: string, body: unknown): request.Test {
  return request(server.app).post(`${FHIR_PATH}/${path}`).set('Authorization', `Bearer ${token}`).type('application/fhir+json').send(JSON.stringify(body));
}

/** The two writes of issue 4: Patient update (Edit Registration) and Appointment create (Edit Schedule). */
describe(`FHIR writes on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: PortalServer;
  let frontdesk: string;
  let pat: string;
  let sam: string;
  let practitioner: string;
  let clientId: string;
  let location: string;

  before(async () => {
    server = await startPortalServer();
    clientId = await registerWriterApp(server);
    frontdesk = (await userToken(server, { clientId, login: 'frontdesk', scope: 'openid fhirUser user/Patient.rus user/Appointment.crs' })).token;
    pat = await demoPatientId(server, 'Pat', 'Jones');
    sam = await demoPatientId(server, 'Sam', 'Rivera');
    practitioner = String((await server.db.knex('ehr_providers').orderBy('id').first('id')).id);
    location = String((await server.db.knex('ehr_locations').orderBy('id').first('id')).id);
  });
  after(() => server.close());

  it('front desk updates a patient\'s phone; the change is stored and read back; If-Match guards a stale copy', async () => {
    const read = await fhirGet(server, `Patient/${pat}`, frontdesk);
    assert.equal(read.status, 200);
    const changed = { ...read.body, telecom: [{ system: 'phone', value: '(217) 555-0199', use: 'home' }] };
    delete changed.meta;
    const res = await put(server, `Patient/${pat}`, frontdesk, changed).set('If-Match', String(read.headers.etag));
    assert.equal(res.status, 200, res.text);
    assertValidR4(res.body);
    assert.deepEqual(res.body.telecom.filter((t: { system: string }) => t.system === 'phone').map((t: { value: string }) => t.value), ['(217) 555-0199']);
    assert.equal((await server.db.knex('ehr_patients').where('id', Number(pat)).first('phone')).phone, '(217) 555-0199');
    assert.notEqual(res.headers.etag, read.headers.etag);
    const stale = await put(server, `Patient/${pat}`, frontdesk, changed).set('If-Match', String(read.headers.etag));
    assert.equal(stale.status, 412, stale.text);
    assert.equal(stale.body.issue[0].code, 'conflict');
  });

  it('refuses an update without the scope or the permission, of another id, of a hidden chart, or with bad content', async () => {
    const provider = (await userToken(server, { clientId, login: 'provider', scope: 'openid fhirUser user/Patient.rus' })).token;
    const body = (await fhirGet(server, `Patient/${pat}`, frontdesk)).body;
    delete body.meta;
    // The provider's Patient.u was dropped at consent (no Edit Registration): the token cannot write.
    assert.equal((await put(server, `Patient/${pat}`, provider, body)).status, 403);
    const mismatch = await put(server, 'Patient/999', frontdesk, body);
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.issue[0].diagnostics, 'The resource\'s id must be "999", the id in the URL.');
    const hidden = await put(server, `Patient/${sam}`, frontdesk, { ...body, id: sam });
    assert.equal(hidden.status, 404, 'Sam\'s sensitive chart is not the front desk\'s to see, nor to change');
    assert.equal(hidden.body.issue[0].code, 'not-found');
    const bad = await put(server, `Patient/${pat}`, frontdesk, { ...body, gender: 'robot' });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.body.resourceType, 'OperationOutcome');
    const broken = await request(server.app).put(`${FHIR_PATH}/Patient/${pat}`).set('Authorization', `Bearer ${frontdesk}`)
      .type('application/fhir+json').send('{"resourceType": "Patient",');
    assert.equal(broken.status, 400);
    assert.equal(broken.body.issue[0].diagnostics, 'The request body is not valid JSON.');
  });

  it('front desk books an appointment: 201 with Location, and it can be read back', async () => {
    const appointment = {
      resourceType: 'Appointment', status: 'booked',
      start: '2026-12-01T15:00:00Z', end: '2026-12-01T15:30:00Z',
      participant: [
        { actor: { reference: `Patient/${pat}` }, status: 'accepted' },
        { actor: { reference: `Practitioner/${practitioner}` }, status: 'accepted' },
        { actor: { reference: `Location/${location}` }, status: 'accepted' },
      ],
    };
    const res = await post(server, 'Appointment', frontdesk, appointment);
    assert.equal(res.status, 201, res.text);
    assertValidR4(res.body);
    assert.equal(res.headers.location, `${FHIR_BASE}/Appointment/${res.body.id}`);
    const back = await fhirGet(server, `Appointment/${res.body.id}`, frontdesk);
    assert.equal(back.status, 200);
    assert.equal(back.body.start, '2026-12-01T15:00:00Z');
    const minimal = await post(server, 'Appointment', frontdesk, appointment).set('Prefer', 'return=minimal');
    assert.equal(minimal.status, 201);
    assert.equal(minimal.text, '');
    assert.match(String(minimal.headers.location), /\/Appointment\/\d+$/);
  });

  it('refuses to book for a hidden chart, and a patient\'s representative may not book at all', async () => {
    const forSam = {
      resourceType: 'Appointment', status: 'booked', start: '2026-12-02T15:00:00Z', end: '2026-12-02T15:30:00Z',
      participant: [
        { actor: { reference: `Patient/${sam}` }, status: 'accepted' },
        { actor: { reference: `Practitioner/${practitioner}` }, status: 'accepted' },
        { actor: { reference: `Location/${location}` }, status: 'accepted' },
      ],
    };
    const count = async () => Number((await server.db.knex('ehr_appointments').count({ n: '*' }).first())?.n);
    const before = await count();
    const hidden = await post(server, 'Appointment', frontdesk, forSam);
    assert.equal(hidden.status, 404, hidden.text);
    const leo = await demoPatientId(server, 'Leo', 'Lopez');
    const maria = await portalToken(server, 'maria@example.com', leo, 'patient/Appointment.crs', clientId);
    assert.equal(maria.scope, 'launch/patient patient/Appointment.rs', 'the Patient role may not book: c was dropped at consent');
    const forLeo = { ...forSam, participant: forSam.participant.map((p, i) => (i === 0 ? { ...p, actor: { reference: `Patient/${leo}` } } : p)) };
    const refused = await post(server, 'Appointment', maria.token, forLeo);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(await count(), before, 'nothing was written');
  });
});
