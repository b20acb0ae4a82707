import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openCareFixture, ordinary, read, reference, restrictedTo, search, sortedIds, token, type CareFixture } from './providers-care-fixture.ts';

const snomed = 'http://snomed.info/sct';

let f: CareFixture;
let devices: Array<Record<string, unknown>>;

before(async () => {
  f = await openCareFixture();
  devices = (await f.knex('ehr_devices').select('*').orderBy('id')) as Array<Record<string, unknown>>;
});
after(() => f.db.drop());

const deviceOf = (patient: string) => devices.find((row) => String(row.patient_id) === patient)!;

describe('Device (US Core Implantable Device)', () => {
  test("read: Pat's pacemaker with its UDI parts", async () => {
    const pacemaker = deviceOf(f.patients.pat);
    const found = await read(f.provider('Device'), String(pacemaker.id));
    assert.ok(found);
    assert.equal(found.patientId, f.patients.pat);
    const resource = found.resource as Record<string, any>;
    assert.deepEqual(resource.udiCarrier, [{
      deviceIdentifier: '00812345000011', issuer: 'http://hl7.org/fhir/NamingSystem/gs1-di',
      jurisdiction: 'http://hl7.org/fhir/NamingSystem/fda-udi', carrierHRF: '(01)00812345000011(17)290611(10)PM19A(21)PMS-44871',
    }]);
    assert.deepEqual(resource.type.coding, [{ system: snomed, code: '56961003', display: 'Cardiac transvenous pacemaker, device' }]);
    assert.equal(resource.lotNumber, 'PM19A');
    assert.equal(resource.serialNumber, 'PMS-44871');
    assert.equal(resource.manufactureDate, '2018-06-11');
    assert.equal(resource.expirationDate, '2029-06-11');
    assert.equal(resource.status, 'active');
    assert.deepEqual(resource.patient, { reference: `Patient/${f.patients.pat}` });
  });

  test('patient (id and Patient/id), +type (code and system|code), +status (multipleOr)', async () => {
    const provider = f.provider('Device');
    const wire = deviceOf(f.patients.mia);
    const mia = reference('patient', f.patients.mia);
    assert.deepEqual((await search(provider, [mia])).ids, [String(wire.id)]);
    assert.deepEqual((await search(provider, [reference('patient', `Patient/${f.patients.mia}`)])).ids, [String(wire.id)]);
    assert.deepEqual((await search(provider, [mia, token('type', '63112008')])).ids, [String(wire.id)]);
    assert.deepEqual((await search(provider, [mia, token('type', `${snomed}|63112008`)])).ids, [String(wire.id)]);
    assert.equal((await search(provider, [mia, token('type', 'http://loinc.org|63112008')])).total, 0);
    assert.deepEqual((await search(provider, [mia, token('status', 'active', 'inactive')])).ids, [String(wire.id)]);
    assert.equal((await search(provider, [mia, token('status', 'active')])).total, 0);
    const active = devices.filter((row) => row.status === 'active').map((row) => String(row.id));
    assert.deepEqual(sortedIds((await search(provider, [token('status', 'http://hl7.org/fhir/device-status|active')])).ids), sortedIds(active));
  });

  test("Sam's defibrillator needs the sensitive chart; a compartment shows only its patient's device", async () => {
    const provider = f.provider('Device');
    const defibrillator = deviceOf(f.patients.sam);
    assert.equal(await read(provider, String(defibrillator.id), ordinary), undefined);
    const visible = devices.filter((row) => String(row.patient_id) !== f.patients.sam).map((row) => String(row.id));
    const found = await search(provider, [], ordinary, { count: 2 });
    assert.equal(found.total, visible.length);
    assert.equal(found.ids.length, 2);
    assert.deepEqual((await search(provider, [], restrictedTo({ patientId: f.patients.leo }))).ids, [String(deviceOf(f.patients.leo).id)]);
  });
});
