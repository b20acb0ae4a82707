import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createClinicalFixture, criterion, day, idsOf, patientToken, reference, rowIds, searchAll, sortedIds, token, unrestricted,
  type ClinicalFixture,
} from './providers-clinical-fixture.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import type { ResourceProvider, SearchCriterion } from '../../src/index.ts';

let f: ClinicalFixture;
let requests: ResourceProvider;
let immunizations: ResourceProvider;

before(async () => {
  f = await createClinicalFixture();
  requests = f.provider('MedicationRequest');
  immunizations = f.provider('Immunization');
});
after(() => f.db.drop());

const intentSystem = 'http://hl7.org/fhir/CodeSystem/medicationrequest-intent';
const statusSystem = 'http://hl7.org/fhir/CodeSystem/medicationrequest-status';
const orders = () => f.knex('ehr_medication_orders');
const ofPatient = (patient: string) => criterion('patient', reference(patient));

describe('MedicationRequest provider', () => {
  it('reads an order with its formulary medication, prescriber, dosage and dispense request', async () => {
    const medication = await f.knex('ehr_medications').where('rxnorm_code', '314076').first();
    const row = await orders().where({ patient_id: f.patients.pat, medication_id: medication.id }).first();
    const chen = await f.knex('ehr_providers').where('family_name', 'Chen').first();
    const read = await requests.read(String(row.id), { restrictions: unrestricted() });
    assertValidR4(read!.resource);
    assert.deepEqual(read!.resource, {
      resourceType: 'MedicationRequest', id: String(row.id),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest'] },
      status: 'active', intent: 'order',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'community',
        display: 'Community' }], text: 'Community' }],
      reportedBoolean: false,
      medicationReference: { reference: `Medication/${medication.id}`, display: 'lisinopril 10 MG Oral Tablet' },
      subject: { reference: `Patient/${f.patients.pat}` },
      encounter: { reference: `Encounter/${row.encounter_id}` },
      authoredOn: '2026-03-10',
      requester: { reference: `Practitioner/${chen.id}` },
      dosageInstruction: [{ text: 'Take 1 tablet by mouth once daily' }],
      dispenseRequest: { numberOfRepeatsAllowed: 3, quantity: { value: 90 } },
    });
    const include = requests.includes!.find((candidate) => candidate.name === 'medication')!;
    assert.deepEqual(include.targets, ['Medication']);
    assert.deepEqual(include.referencesOf(read!.resource), [`Medication/${medication.id}`]);
  });

  it('patient+intent and patient+intent+status, by code and system|code, with several values OR-ed', async () => {
    const pats = await rowIds(orders().where('patient_id', f.patients.pat));
    assert.equal(pats.length, 2);
    const search = (...criteria: SearchCriterion[]) => searchAll(requests, unrestricted(), ofPatient(f.patients.pat), ...criteria);
    assert.deepEqual(sortedIds((await search(criterion('intent', token('order')))).resources), pats);
    assert.deepEqual(sortedIds((await search(criterion('intent', token('order', intentSystem)))).resources), pats);
    assert.equal((await search(criterion('intent', token('plan')))).total, 0);
    assert.deepEqual(sortedIds((await search(criterion('intent', token('plan'), token('order')))).resources), pats);
    assert.deepEqual(sortedIds((await search(criterion('intent', token('order')), criterion('status', token('active', statusSystem)))).resources), pats);
    assert.equal((await search(criterion('intent', token('order')), criterion('status', token('completed')))).total, 0);

    // Stop one order for this test: status=active finds the other, active,stopped both.
    const [first, second] = pats as [string, string];
    await orders().where('id', first).update({ status: 'stopped' });
    try {
      const active = await search(criterion('intent', token('order')), criterion('status', token('active')));
      assert.deepEqual(idsOf(active.resources), [second]);
      const either = await search(criterion('intent', token('order'), token('plan')), criterion('status', token('active'), token('stopped')));
      assert.deepEqual(sortedIds(either.resources), pats);
    } finally {
      await orders().where('id', first).update({ status: 'active' });
    }
  });

  it('authoredon with gt, ge, lt, le, and encounter', async () => {
    // Sam's orders: 2026-02-18 (metoprolol) and 2026-09-29 (sertraline, in his Behavioral Health note).
    const sams = (await orders().where('patient_id', f.patients.sam).orderBy('authored_on').select('id')).map((row: { id: number }) => String(row.id));
    const search = async (comparator: Parameters<typeof day>[0], date: string) => sortedIds((await searchAll(requests, unrestricted(),
      ofPatient(f.patients.sam), criterion('intent', token('order')), criterion('authoredon', day(comparator, date)))).resources);
    assert.deepEqual(await search('gt', '2026-02-18'), [sams[1]]);
    assert.deepEqual(await search('ge', '2026-02-18'), [...sams].sort());
    assert.deepEqual(await search('lt', '2026-09-29'), [sams[0]]);
    assert.deepEqual(await search('le', '2026-09-29'), [...sams].sort());
    const sertraline = await orders().where('id', sams[1]!).first();
    const byEncounter = await searchAll(requests, unrestricted(), ofPatient(f.patients.sam), criterion('intent', token('order')),
      criterion('encounter', reference(String(sertraline.encounter_id))));
    assert.deepEqual(idsOf(byEncounter.resources), [sams[1]]);
  });

  it('applies the compartment, sensitive charts, and Sam\'s Behavioral Health note', async () => {
    const sams = await rowIds(orders().where('patient_id', f.patients.sam));
    const inNote = await rowIds(orders().where('patient_id', f.patients.sam).whereNotNull('document_id'));
    assert.equal(inNote.length, 1);
    const withoutNote = unrestricted({ documentTypes: new Set() });
    assert.deepEqual(sortedIds((await searchAll(requests, withoutNote, ofPatient(f.patients.sam), criterion('intent', token('order')))).resources),
      sams.filter((id) => id !== inNote[0]));
    assert.equal(await requests.read(inNote[0]!, { restrictions: withoutNote }), undefined);
    assert.equal((await requests.read(inNote[0]!, { restrictions: unrestricted() }))!.confidentialDocumentType, 'Behavioral Health');
    assert.equal((await searchAll(requests, unrestricted({ sensitiveCharts: false }), ofPatient(f.patients.sam))).total, 0);
    const leo = patientToken(f.patients.leo);
    assert.deepEqual(sortedIds((await searchAll(requests, leo, criterion('intent', token('order')))).resources),
      await rowIds(orders().where('patient_id', f.patients.leo)));
    assert.equal((await searchAll(requests, leo, ofPatient(f.patients.mia), criterion('intent', token('order')))).total, 0);
  });

  it('pages newest first with the total on every page', async () => {
    const expected = (await orders().orderBy([{ column: 'authored_on', order: 'desc' }, 'id']).select('id')).map((row: { id: number }) => String(row.id));
    const pages = await Promise.all([0, 3, 6].map((offset) => requests.search({ criteria: [], offset, count: 3, restrictions: unrestricted() })));
    assert.deepEqual(pages.map((page) => page.total), [expected.length, expected.length, expected.length]);
    assert.deepEqual(pages.flatMap((page) => idsOf(page.resources)), expected);
  });
});

describe('Immunization provider', () => {
  const rows = () => f.knex('ehr_immunizations');

  it('reads a CVX-coded immunization given outside any visit', async () => {
    const row = await rows().where({ patient_id: f.patients.leo, cvx_code: '03' }).first();
    const read = await immunizations.read(String(row.id), { restrictions: unrestricted() });
    assertValidR4(read!.resource);
    assert.deepEqual(read!.resource, {
      resourceType: 'Immunization', id: String(row.id),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-immunization'] },
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '03', display: 'MMR' }], text: 'MMR' },
      patient: { reference: `Patient/${f.patients.leo}` },
      occurrenceDateTime: '2016-05-20',
      recorded: '2016-05-20T15:00:00Z',
      primarySource: true,
      lotNumber: 'MMR-1602',
    });
  });

  it('patient, patient+date with gt, ge, lt, le, and status', async () => {
    const maria = await rowIds(rows().where('patient_id', f.patients.maria));
    assert.equal(maria.length, 2);
    assert.deepEqual(sortedIds((await searchAll(immunizations, unrestricted(), ofPatient(f.patients.maria))).resources), maria);
    assert.deepEqual(sortedIds((await searchAll(immunizations, unrestricted(), criterion('patient', reference(f.patients.maria, 'Patient')))).resources), maria);
    // Maria: Tdap 2024-04-02, influenza 2025-10-15.
    const flu = await rowIds(rows().where({ patient_id: f.patients.maria, cvx_code: '140' }));
    const tdap = await rowIds(rows().where({ patient_id: f.patients.maria, cvx_code: '115' }));
    const byDate = async (comparator: Parameters<typeof day>[0], date: string) =>
      sortedIds((await searchAll(immunizations, unrestricted(), ofPatient(f.patients.maria), criterion('date', day(comparator, date)))).resources);
    assert.deepEqual(await byDate('gt', '2024-04-02'), flu);
    assert.deepEqual(await byDate('ge', '2024-04-02'), maria);
    assert.deepEqual(await byDate('lt', '2025-10-15'), tdap);
    assert.deepEqual(await byDate('le', '2025-10-15'), maria);
    const completed = await searchAll(immunizations, unrestricted(), ofPatient(f.patients.maria), criterion('status', token('completed', 'http://hl7.org/fhir/event-status')));
    assert.equal(completed.total, 2);
    assert.equal((await searchAll(immunizations, unrestricted(), ofPatient(f.patients.maria), criterion('status', token('not-done')))).total, 0);
  });

  it('applies the compartment and sensitive charts, and pages', async () => {
    assert.equal((await searchAll(immunizations, unrestricted({ sensitiveCharts: false }), ofPatient(f.patients.sam))).total, 0);
    assert.equal((await searchAll(immunizations, patientToken(f.patients.sam))).total, 0);
    assert.equal((await searchAll(immunizations, unrestricted(), ofPatient(f.patients.sam))).total, 2);
    const mia = patientToken(f.patients.mia);
    assert.deepEqual(sortedIds((await searchAll(immunizations, mia)).resources), await rowIds(rows().where('patient_id', f.patients.mia)));
    const leos = await rows().where('patient_id', f.patients.leo).first();
    assert.equal(await immunizations.read(String(leos.id), { restrictions: mia }), undefined);
    const all = idsOf((await searchAll(immunizations, unrestricted())).resources);
    const page = await immunizations.search({ criteria: [], offset: 4, count: 4, restrictions: unrestricted() });
    assert.deepEqual([page.total, idsOf(page.resources)], [all.length, all.slice(4, 8)]);
  });
});
