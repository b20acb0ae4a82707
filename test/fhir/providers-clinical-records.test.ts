import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createClinicalFixture, criterion, day, idsOf, patientToken, reference, rowIds, searchAll, sortedIds, token, unrestricted,
  type ClinicalFixture,
} from './providers-clinical-fixture.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import type { ResourceProvider, SearchCriterion } from '../../src/index.ts';

let f: ClinicalFixture;
let allergies: ResourceProvider;
let procedures: ResourceProvider;
let reports: ResourceProvider;

before(async () => {
  f = await createClinicalFixture();
  allergies = f.provider('AllergyIntolerance');
  procedures = f.provider('Procedure');
  reports = f.provider('DiagnosticReport');
});
after(() => f.db.drop());

const ofPatient = (patient: string) => criterion('patient', reference(patient));

describe('AllergyIntolerance provider', () => {
  it('reads an allergy with its reaction', async () => {
    const row = await f.knex('ehr_allergies').where('patient_id', f.patients.leo).first();
    const read = await allergies.read(String(row.id), { restrictions: unrestricted() });
    assertValidR4(read!.resource);
    assert.deepEqual(read!.resource, {
      resourceType: 'AllergyIntolerance', id: String(row.id),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-allergyintolerance'] },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
      category: ['food'], criticality: 'high',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '762952008', display: 'Peanut' }], text: 'Peanut' },
      patient: { reference: `Patient/${f.patients.leo}` },
      onsetDateTime: '2017-08-20', recordedDate: '2017-08-20T15:00:00Z',
      reaction: [{ manifestation: [{ coding: [{ system: 'http://snomed.info/sct', code: '39579001', display: 'Anaphylaxis' }],
        text: 'Anaphylaxis' }], severity: 'severe' }],
    });
  });

  it('patient (id and Patient/id) and clinical-status', async () => {
    const pats = await rowIds(f.knex('ehr_allergies').where('patient_id', f.patients.pat));
    assert.equal(pats.length, 1);
    assert.deepEqual(sortedIds((await searchAll(allergies, unrestricted(), ofPatient(f.patients.pat))).resources), pats);
    assert.deepEqual(sortedIds((await searchAll(allergies, unrestricted(), criterion('patient', reference(f.patients.pat, 'Patient')))).resources), pats);
    const active = await searchAll(allergies, unrestricted(), ofPatient(f.patients.pat),
      criterion('clinical-status', token('active', 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical')));
    assert.deepEqual(sortedIds(active.resources), pats);
    assert.equal((await searchAll(allergies, unrestricted(), ofPatient(f.patients.pat), criterion('clinical-status', token('resolved')))).total, 0);
  });

  it('applies the compartment and sensitive charts', async () => {
    assert.equal((await searchAll(allergies, unrestricted({ sensitiveCharts: false }))).total, 4);
    assert.equal((await searchAll(allergies, unrestricted())).total, 5);
    const maria = patientToken(f.patients.maria);
    assert.deepEqual(sortedIds((await searchAll(allergies, maria)).resources), await rowIds(f.knex('ehr_allergies').where('patient_id', f.patients.maria)));
    const sams = await f.knex('ehr_allergies').where('patient_id', f.patients.sam).first();
    assert.equal(await allergies.read(String(sams.id), { restrictions: maria }), undefined);
    assert.equal(await allergies.read(String(sams.id), { restrictions: unrestricted({ sensitiveCharts: false }) }), undefined);
  });
});

describe('Procedure provider', () => {
  const rows = () => f.knex('ehr_procedures');

  it('reads a procedure with its performer and encounter', async () => {
    const row = await rows().where({ patient_id: f.patients.mia, code: '430193006' }).first();
    const read = await procedures.read(String(row.id), { restrictions: unrestricted() });
    assertValidR4(read!.resource);
    assert.deepEqual(read!.resource, {
      resourceType: 'Procedure', id: String(row.id),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure'] },
      status: 'completed',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '430193006', display: 'Medication reconciliation (procedure)' }],
        text: 'Medication reconciliation (procedure)' },
      subject: { reference: `Patient/${f.patients.mia}` },
      encounter: { reference: `Encounter/${row.encounter_id}` },
      performedDateTime: '2026-06-01T14:20:00Z',
      performer: [{ actor: { reference: `Practitioner/${row.performer_id}` } }],
    });
  });

  it('patient, patient+date with gt, ge, lt, le, and code', async () => {
    // Pat: pacemaker 2019-06-11, colonoscopy 2024-03-05, medication reconciliation 2026-03-10.
    const pats = await rowIds(rows().where('patient_id', f.patients.pat));
    assert.equal(pats.length, 3);
    assert.deepEqual(sortedIds((await searchAll(procedures, unrestricted(), ofPatient(f.patients.pat))).resources), pats);
    const byDate = async (comparator: Parameters<typeof day>[0], date: string) =>
      sortedIds((await searchAll(procedures, unrestricted(), ofPatient(f.patients.pat), criterion('date', day(comparator, date)))).resources);
    const after = (op: string, date: string) => rowIds(rows().where('patient_id', f.patients.pat).where('performed_at', op, date));
    assert.deepEqual(await byDate('gt', '2024-03-05'), await after('>=', '2024-03-06'));
    assert.deepEqual(await byDate('ge', '2024-03-05'), await after('>=', '2024-03-05'));
    assert.deepEqual(await byDate('lt', '2024-03-05'), await after('<', '2024-03-05'));
    assert.deepEqual(await byDate('le', '2024-03-05'), await after('<', '2024-03-06'));
    assert.deepEqual((await byDate('gt', '2024-03-05')).length, 1);
    assert.deepEqual((await byDate('le', '2024-03-05')).length, 2);
    const colonoscopy = await rowIds(rows().where({ patient_id: f.patients.pat, code: '73761001' }));
    assert.deepEqual(sortedIds((await searchAll(procedures, unrestricted(), ofPatient(f.patients.pat),
      criterion('code', token('73761001', 'http://snomed.info/sct')))).resources), colonoscopy);
    assert.equal((await searchAll(procedures, unrestricted(), ofPatient(f.patients.pat),
      criterion('code', token('73761001', 'http://www.ama-assn.org/go/cpt')))).total, 0);
  });

  it('hides the assessment recorded in Sam\'s Behavioral Health note, and pages', async () => {
    const sams = await rowIds(rows().where('patient_id', f.patients.sam));
    const inNote = await rowIds(rows().where('patient_id', f.patients.sam).whereNotNull('document_id'));
    assert.equal(inNote.length, 1);
    const withoutNote = unrestricted({ documentTypes: new Set(['Genetic Counseling']) });
    assert.deepEqual(sortedIds((await searchAll(procedures, withoutNote, ofPatient(f.patients.sam))).resources), sams.filter((id) => id !== inNote[0]));
    assert.equal((await procedures.read(inNote[0]!, { restrictions: unrestricted() }))!.confidentialDocumentType, 'Behavioral Health');
    assert.equal(await procedures.read(inNote[0]!, { restrictions: withoutNote }), undefined);
    const expected = (await rows().orderBy([{ column: 'performed_at', order: 'desc' }, 'id']).select('id')).map((row: { id: number }) => String(row.id));
    const pages = await Promise.all([0, 5, 10].map((offset) => procedures.search({ criteria: [], offset, count: 5, restrictions: unrestricted() })));
    assert.deepEqual(pages.map((page) => page.total), [expected.length, expected.length, expected.length]);
    assert.deepEqual(pages.flatMap((page) => idsOf(page.resources)), expected);
  });
});

describe('DiagnosticReport provider', () => {
  const rows = () => f.knex('ehr_lab_reports');
  const lab = 'http://terminology.hl7.org/CodeSystem/v2-0074';

  it('reads a laboratory report that lists its results as lab Observations', async () => {
    const row = await rows().where('patient_id', f.patients.sam).first();
    const results = (await f.knex('ehr_lab_results').where('report_id', row.id).orderBy('id').select('id'))
      .map((result: { id: number }) => ({ reference: `Observation/lab-${result.id}` }));
    assert.equal(results.length, 5);
    const chen = await f.knex('ehr_providers').where('family_name', 'Chen').first();
    const read = await reports.read(String(row.id), { restrictions: unrestricted() });
    assertValidR4(read!.resource);
    assert.deepEqual(read!.resource, {
      resourceType: 'DiagnosticReport', id: String(row.id),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-diagnosticreport-lab'] },
      status: 'final',
      category: [{ coding: [{ system: lab, code: 'LAB', display: 'Laboratory' }], text: 'Laboratory' }],
      code: { coding: [{ system: 'http://loinc.org', code: '51990-0', display: 'Basic metabolic panel - Blood' }], text: 'Basic metabolic panel - Blood' },
      subject: { reference: `Patient/${f.patients.sam}` },
      encounter: { reference: `Encounter/${row.encounter_id}` },
      effectiveDateTime: '2026-02-18T14:10:00Z', issued: '2026-02-18T18:00:00Z',
      performer: [{ reference: `Organization/${chen.organization_id}` }],
      resultsInterpreter: [{ reference: `Practitioner/${chen.id}` }],
      result: results,
      conclusion: 'Within normal limits.',
    });
  });

  it('patient, patient+category, patient+code, patient+category+date with gt, ge, lt, le', async () => {
    const leos = await rowIds(rows().where('patient_id', f.patients.leo));
    assert.equal(leos.length, 1);
    const search = (...criteria: SearchCriterion[]) => searchAll(reports, unrestricted(), ofPatient(f.patients.leo), ...criteria);
    assert.deepEqual(sortedIds((await search()).resources), leos);
    assert.deepEqual(sortedIds((await search(criterion('category', token('LAB')))).resources), leos);
    assert.deepEqual(sortedIds((await search(criterion('category', token('LAB', lab)))).resources), leos);
    assert.equal((await search(criterion('category', token('LAB', 'http://loinc.org')))).total, 0);
    assert.equal((await search(criterion('category', token('laboratory')))).total, 0);
    assert.deepEqual(sortedIds((await search(criterion('code', token('58410-2', 'http://loinc.org')))).resources), leos);
    assert.deepEqual(sortedIds((await search(criterion('code', token('58410-2')))).resources), leos);
    assert.equal((await search(criterion('code', token('57698-3')))).total, 0);
    // Leo's CBC was taken at his checkup, 2026-05-12.
    const byDate = async (comparator: Parameters<typeof day>[0], date: string) =>
      sortedIds((await search(criterion('category', token('LAB')), criterion('date', day(comparator, date)))).resources);
    assert.deepEqual(await byDate('gt', '2026-05-11'), leos);
    assert.deepEqual(await byDate('gt', '2026-05-12'), []);
    assert.deepEqual(await byDate('ge', '2026-05-12'), leos);
    assert.deepEqual(await byDate('lt', '2026-05-12'), []);
    assert.deepEqual(await byDate('lt', '2026-05-13'), leos);
    assert.deepEqual(await byDate('le', '2026-05-12'), leos);
  });

  it('applies categories, the compartment and sensitive charts, and pages', async () => {
    const pats = await rowIds(rows().where('patient_id', f.patients.pat));
    assert.deepEqual(sortedIds((await searchAll(reports, patientToken(f.patients.pat, [{ system: lab, code: 'LAB' }]))).resources), pats);
    assert.deepEqual(sortedIds((await searchAll(reports, patientToken(f.patients.pat, [{ system: undefined, code: 'LAB' }]))).resources), pats);
    assert.equal((await searchAll(reports, patientToken(f.patients.pat, [{ system: undefined, code: 'laboratory' }]))).total, 0);
    assert.equal(await reports.read(pats[0]!, { restrictions: patientToken(f.patients.pat, [{ system: undefined, code: 'laboratory' }]) }), undefined);
    assert.equal(await reports.read(pats[0]!, { restrictions: patientToken(f.patients.maria) }), undefined);
    assert.equal((await searchAll(reports, unrestricted({ sensitiveCharts: false }), ofPatient(f.patients.sam))).total, 0);
    const expected = (await rows().orderBy([{ column: 'effective_at', order: 'desc' }, 'id']).select('id')).map((row: { id: number }) => String(row.id));
    const pages = await Promise.all([0, 2, 4].map((offset) => reports.search({ criteria: [], offset, count: 2, restrictions: unrestricted() })));
    assert.deepEqual(pages.map((page) => page.total), [5, 5, 5]);
    assert.deepEqual(pages.flatMap((page) => idsOf(page.resources)), expected);
  });
});
