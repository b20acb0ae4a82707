import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { date, everything, openCareFixture, ordinary, read, reference, restrictedTo, search, sortedIds, token, type CareFixture } from './providers-care-fixture.ts';

const cpt = 'http://www.ama-assn.org/go/cpt';
const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

let f: CareFixture;
let encounters: Array<Record<string, unknown>>;

before(async () => {
  f = await openCareFixture();
  encounters = (await f.knex('ehr_encounters').select('*').orderBy('id')) as Array<Record<string, unknown>>;
});
after(() => f.db.drop());

const of = (patient: string) => encounters.filter((row) => String(row.patient_id) === patient);
const idsOf = (rows: Array<Record<string, unknown>>) => sortedIds(rows.map((row) => String(row.id)));

describe('Encounter read', () => {
  test("Pat's checkup: class, CPT type, performer, period, location and the practice", async () => {
    const [checkup] = of(f.patients.pat);
    const found = await read(f.provider('Encounter'), String(checkup!.id));
    assert.ok(found);
    assert.equal(found.patientId, f.patients.pat);
    assert.equal(found.confidentialDocumentType, null);
    const organization = (await f.knex('ehr_locations').where('id', Number(checkup!.location_id)).first('organization_id')) as { organization_id: number };
    const resource = found.resource as Record<string, any>;
    assert.equal(resource.status, 'finished');
    assert.deepEqual(resource.class, { system: actCode, code: 'AMB', display: 'ambulatory' });
    assert.deepEqual(resource.type[0].coding, [{ system: cpt, code: '99397', display: 'Preventive medicine visit, established patient, 65 years and older' }]);
    assert.deepEqual(resource.subject, { reference: `Patient/${f.patients.pat}` });
    assert.deepEqual(resource.period, { start: '2026-03-10T14:00:00Z', end: '2026-03-10T14:30:00Z' });
    assert.deepEqual(resource.participant[0].individual, { reference: `Practitioner/${String(checkup!.provider_id)}` });
    assert.deepEqual(resource.location, [{ location: { reference: `Location/${String(checkup!.location_id)}` } }]);
    assert.deepEqual(resource.serviceProvider, { reference: `Organization/${organization.organization_id}` });
    assert.deepEqual(resource.reasonCode, [{ text: 'Annual preventive visit' }]);
  });

  test("Sam's visits need the sensitive chart; other patients' are outside a compartment", async () => {
    const provider = f.provider('Encounter');
    const [samVisit] = of(f.patients.sam);
    assert.ok(await read(provider, String(samVisit!.id)));
    assert.equal(await read(provider, String(samVisit!.id), ordinary), undefined);
    assert.equal(await read(provider, String(samVisit!.id), restrictedTo({ patientId: f.patients.pat })), undefined);
    assert.equal(await read(provider, 'lab-1'), undefined);
  });
});

describe('Encounter search (US Core 6.1)', () => {
  test('_id and patient (id and Patient/id)', async () => {
    const provider = f.provider('Encounter');
    const [first] = of(f.patients.leo);
    assert.deepEqual((await search(provider, [token('_id', String(first!.id))])).ids, [String(first!.id)]);
    for (const value of [f.patients.leo, `Patient/${f.patients.leo}`]) {
      assert.deepEqual(sortedIds((await search(provider, [reference('patient', value)])).ids), idsOf(of(f.patients.leo)));
    }
  });

  test('date+patient with gt, ge, lt, le and eq over the visit period', async () => {
    const provider = f.provider('Encounter');
    const [checkup, followUp] = of(f.patients.pat).map((row) => String(row.id));
    const ids = async (comparator: 'gt' | 'ge' | 'lt' | 'le' | 'eq', day: string) =>
      sortedIds((await search(provider, [date('date', comparator, day), reference('patient', f.patients.pat)])).ids);
    assert.deepEqual(await ids('eq', '2026-03-10'), [checkup]);
    assert.deepEqual(await ids('ge', '2026-09-14'), [followUp]);
    assert.deepEqual(await ids('gt', '2026-09-14'), []);
    assert.deepEqual(await ids('gt', '2026-09-13'), [followUp]);
    assert.deepEqual(await ids('lt', '2026-09-14'), [checkup]);
    assert.deepEqual(await ids('le', '2026-09-14'), sortedIds([checkup!, followUp!]));
    assert.deepEqual(await ids('lt', '2026-03-10'), []);
  });

  test('class+patient, patient+status (multipleOr), patient+type, patient+location', async () => {
    const provider = f.provider('Encounter');
    const maria = reference('patient', f.patients.maria);
    const all = idsOf(of(f.patients.maria));
    assert.deepEqual(sortedIds((await search(provider, [token('class', 'AMB'), maria])).ids), all);
    assert.deepEqual(sortedIds((await search(provider, [token('class', `${actCode}|AMB`), maria])).ids), all);
    assert.equal((await search(provider, [token('class', `${cpt}|AMB`), maria])).total, 0);
    assert.deepEqual(sortedIds((await search(provider, [maria, token('status', 'planned', 'finished')])).ids), all);
    assert.equal((await search(provider, [maria, token('status', 'in-progress')])).total, 0);
    const followUp = of(f.patients.maria).find((row) => row.type_code === '99214')!;
    assert.deepEqual((await search(provider, [maria, token('type', `${cpt}|99214`)])).ids, [String(followUp.id)]);
    assert.deepEqual((await search(provider, [maria, token('type', '99214')])).ids, [String(followUp.id)]);
    assert.equal((await search(provider, [maria, token('type', 'http://snomed.info/sct|99214')])).total, 0);
    assert.deepEqual(sortedIds((await search(provider, [maria, reference('location', `Location/${String(followUp.location_id)}`)])).ids), all);
  });

  test('the Patient role sees no sensitive chart; pages add up to the total', async () => {
    const provider = f.provider('Encounter');
    const visible = encounters.filter((row) => String(row.patient_id) !== f.patients.sam);
    const found = await search(provider, [], ordinary);
    assert.equal(found.total, visible.length);
    assert.deepEqual(sortedIds(found.ids), idsOf(visible));
    const paged: string[] = [];
    for (let offset = 0; offset < encounters.length; offset += 4) paged.push(...(await search(provider, [], everything, { offset, count: 4 })).ids);
    assert.deepEqual(sortedIds(paged), idsOf(encounters));
    assert.equal(new Set(paged).size, encounters.length);
  });
});
