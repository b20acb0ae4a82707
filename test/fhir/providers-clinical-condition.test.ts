import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createClinicalFixture, criterion, day, idsOf, patientToken, reference, rowIds, searchAll, sortedIds,
  token, unrestricted, type ClinicalFixture,
} from './providers-clinical-fixture.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import type { ResourceProvider, SearchCriterion } from '../../src/index.ts';

let f: ClinicalFixture;
let conditions: ResourceProvider;

before(async () => {
  f = await createClinicalFixture();
  conditions = f.provider('Condition');
});
after(() => f.db.drop());

const fhirCategories = 'http://terminology.hl7.org/CodeSystem/condition-category';
const usCoreCategories = 'http://hl7.org/fhir/us/core/CodeSystem/condition-category';
const icd10 = 'http://hl7.org/fhir/sid/icd-10-cm';

const problems = () => f.knex('ehr_problems');
const search = (restrictions: ReturnType<typeof unrestricted>, ...criteria: SearchCriterion[]) =>
  searchAll(conditions, restrictions, ...criteria);
const ofPatient = (patient: string) => criterion('patient', reference(patient));

describe('Condition provider: read', () => {
  it('reads a problem list item as US Core problems and health concerns', async () => {
    const row = await problems().where({ patient_id: f.patients.pat, code: 'E78.5' }).first();
    const read = await conditions.read(String(row.id), { restrictions: unrestricted() });
    assert.ok(read);
    assertValidR4(read.resource);
    assert.deepEqual(read.resource, {
      resourceType: 'Condition', id: String(row.id),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-problems-health-concerns'],
        lastUpdated: '2014-02-10T15:00:00Z' },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
      category: [{ coding: [{ system: fhirCategories, code: 'problem-list-item', display: 'Problem List Item' }], text: 'Problem List Item' }],
      code: { coding: [{ system: icd10, code: 'E78.5', display: 'Hyperlipidemia, unspecified' }], text: 'Hyperlipidemia, unspecified' },
      subject: { reference: `Patient/${f.patients.pat}` },
      encounter: { reference: `Encounter/${row.encounter_id}` },
      onsetDateTime: '2014-02-10',
      recordedDate: '2014-02-10T15:00:00Z',
    });
    assert.deepEqual([read.patientId, read.confidentialDocumentType], [f.patients.pat, null]);
  });

  it('reads a resolved encounter diagnosis with its abatement, and a health concern with the US Core category', async () => {
    const diagnosis = await problems().where({ patient_id: f.patients.maria, code: 'J06.9' }).first();
    const read = (await conditions.read(String(diagnosis.id), { restrictions: unrestricted() }))!.resource;
    assertValidR4(read);
    assert.deepEqual(read.meta?.profile, ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-encounter-diagnosis']);
    assert.equal(read.abatementDateTime, '2026-10-31');
    assert.equal((read.clinicalStatus as { coding: Array<{ code: string }> }).coding[0]!.code, 'resolved');
    const concern = await problems().where({ patient_id: f.patients.maria, category: 'health-concern' }).first();
    const concernRead = (await conditions.read(String(concern.id), { restrictions: unrestricted() }))!.resource;
    assert.deepEqual(concernRead.category,
      [{ coding: [{ system: usCoreCategories, code: 'health-concern', display: 'Health Concern' }], text: 'Health Concern' }]);
  });

  it('finds nothing for a non-numeric or unknown id', async () => {
    for (const id of ['abc', '0', '99999', '1.5']) assert.equal(await conditions.read(id, { restrictions: unrestricted() }), undefined);
  });
});

describe('Condition provider: US Core searches', () => {
  it('patient, as id or Patient/id', async () => {
    const expected = await rowIds(problems().where('patient_id', f.patients.pat));
    assert.equal(expected.length, 5);
    assert.deepEqual(sortedIds((await search(unrestricted(), ofPatient(f.patients.pat))).resources), expected);
    const typed = await search(unrestricted(), criterion('patient', reference(f.patients.pat, 'Patient')));
    assert.deepEqual(sortedIds(typed.resources), expected);
  });

  it('patient+category for each category, by code and system|code, and several OR-ed', async () => {
    for (const [code, system] of [['problem-list-item', fhirCategories], ['encounter-diagnosis', fhirCategories],
      ['health-concern', usCoreCategories]] as const) {
      const expected = await rowIds(problems().where({ patient_id: f.patients.leo, category: code }));
      assert.ok(expected.length > 0, code);
      assert.deepEqual(sortedIds((await search(unrestricted(), ofPatient(f.patients.leo), criterion('category', token(code)))).resources), expected);
      assert.deepEqual(sortedIds((await search(unrestricted(), ofPatient(f.patients.leo), criterion('category', token(code, system)))).resources), expected);
    }
    // health-concern is a US Core code, not a FHIR core one.
    assert.equal((await search(unrestricted(), ofPatient(f.patients.leo), criterion('category', token('health-concern', fhirCategories)))).total, 0);
    const both = await search(unrestricted(), ofPatient(f.patients.leo), criterion('category', token('health-concern'), token('problem-list-item')));
    assert.deepEqual(sortedIds(both.resources),
      await rowIds(problems().where('patient_id', f.patients.leo).whereIn('category', ['health-concern', 'problem-list-item'])));
  });

  it('clinical-status, code and encounter', async () => {
    const resolved = await rowIds(problems().where({ patient_id: f.patients.leo, clinical_status: 'resolved' }));
    assert.equal(resolved.length, 2);
    assert.deepEqual(sortedIds((await search(unrestricted(), ofPatient(f.patients.leo), criterion('clinical-status',
      token('resolved', 'http://terminology.hl7.org/CodeSystem/condition-clinical')))).resources), resolved);
    const hypertension = await rowIds(problems().where({ patient_id: f.patients.pat, code: 'I10' }));
    assert.equal(hypertension.length, 2);
    assert.deepEqual(sortedIds((await search(unrestricted(), ofPatient(f.patients.pat), criterion('code', token('I10', icd10)))).resources), hypertension);
    assert.deepEqual(sortedIds((await search(unrestricted(), ofPatient(f.patients.pat), criterion('code', token('I10')))).resources), hypertension);
    assert.equal((await search(unrestricted(), ofPatient(f.patients.pat), criterion('code', token('I10', 'http://snomed.info/sct')))).total, 0);
    const followUp = await problems().where({ patient_id: f.patients.pat, category: 'encounter-diagnosis' }).first();
    const byEncounter = await search(unrestricted(), ofPatient(f.patients.pat), criterion('encounter', reference(String(followUp.encounter_id), 'Encounter')));
    assert.deepEqual(sortedIds(byEncounter.resources), await rowIds(problems().where('encounter_id', followUp.encounter_id)));
  });

  it('onset-date, abatement-date and recorded-date with gt, ge, lt, le', async () => {
    // Pat's onsets: 2012-05-01, 2014-02-10, 2019-06-11, 2026-03-10, 2026-09-14.
    const onset = async (comparator: Parameters<typeof day>[0], date: string) => sortedIds((await search(unrestricted(),
      ofPatient(f.patients.pat), criterion('onset-date', day(comparator, date)))).resources);
    const where = (op: string, date: string) => rowIds(problems().where('patient_id', f.patients.pat).where('onset_date', op, date));
    assert.deepEqual(await onset('gt', '2019-06-11'), await where('>', '2019-06-11'));
    assert.deepEqual(await onset('ge', '2019-06-11'), await where('>=', '2019-06-11'));
    assert.deepEqual(await onset('lt', '2019-06-11'), await where('<', '2019-06-11'));
    assert.deepEqual(await onset('le', '2019-06-11'), await where('<=', '2019-06-11'));
    assert.equal((await onset('ge', '2019-06-11')).length, 3);
    assert.equal((await onset('lt', '2019-06-11')).length, 2);

    // Leo's abatements: 2026-05-12 and 2026-09-01; the rest are still active and never match.
    const abated = await search(unrestricted(), ofPatient(f.patients.leo), criterion('abatement-date', day('gt', '2026-05-12')));
    assert.deepEqual(sortedIds(abated.resources), await rowIds(problems().where({ patient_id: f.patients.leo, abatement_date: '2026-09-01' })));
    const abatedBefore = await search(unrestricted(), ofPatient(f.patients.leo), criterion('abatement-date', day('le', '2026-05-12')));
    assert.deepEqual(sortedIds(abatedBefore.resources), await rowIds(problems().where({ patient_id: f.patients.leo, abatement_date: '2026-05-12' })));

    // Recorded at 15:00 UTC on the onset day: a day-precision bound still matches the instant.
    const recorded = await search(unrestricted(), ofPatient(f.patients.pat), criterion('recorded-date', day('eq', '2026-03-10')));
    assert.deepEqual(sortedIds(recorded.resources), await rowIds(problems().where({ patient_id: f.patients.pat, onset_date: '2026-03-10' })));
  });

  it('pages in onset order, newest first, with the total on every page', async () => {
    const expected = (await problems().where('patient_id', f.patients.pat).orderBy([{ column: 'onset_date', order: 'desc' }, 'id']).select('id'))
      .map((row: { id: number }) => String(row.id));
    const pages = await Promise.all([0, 2, 4].map((offset) =>
      conditions.search({ criteria: [ofPatient(f.patients.pat)], offset, count: 2, restrictions: unrestricted() })));
    assert.deepEqual(pages.map((page) => page.total), [5, 5, 5]);
    assert.deepEqual(pages.flatMap((page) => idsOf(page.resources)), expected);
  });
});

describe('Condition provider: restrictions', () => {
  it('keeps a patient token inside its compartment', async () => {
    const mia = patientToken(f.patients.mia);
    assert.deepEqual(sortedIds((await search(mia)).resources), await rowIds(problems().where('patient_id', f.patients.mia)));
    assert.equal((await search(mia, ofPatient(f.patients.leo))).total, 0);
    const leos = await problems().where('patient_id', f.patients.leo).first();
    assert.equal(await conditions.read(String(leos.id), { restrictions: mia }), undefined);
  });

  it('hides Sam\'s sensitive chart, and the diagnoses written in his Behavioral Health note', async () => {
    const sams = await rowIds(problems().where('patient_id', f.patients.sam));
    const inNote = await rowIds(problems().where('patient_id', f.patients.sam).whereNotNull('document_id'));
    assert.equal(inNote.length, 2);
    assert.deepEqual(sortedIds((await search(unrestricted(), ofPatient(f.patients.sam))).resources), sams);
    const noBehavioralHealth = unrestricted({ documentTypes: new Set(['Genetic Counseling']) });
    assert.deepEqual(sortedIds((await search(noBehavioralHealth, ofPatient(f.patients.sam))).resources), sams.filter((id) => !inNote.includes(id)));
    assert.equal((await search(unrestricted({ sensitiveCharts: false }), ofPatient(f.patients.sam))).total, 0);
    assert.equal(await conditions.read(inNote[0]!, { restrictions: noBehavioralHealth }), undefined);
    const shown = await conditions.read(inNote[0]!, { restrictions: unrestricted() });
    assert.equal(shown!.confidentialDocumentType, 'Behavioral Health');
    assert.equal(shown!.patientId, f.patients.sam);
  });

  it('shows only the categories a granular scope allows, with their own systems', async () => {
    const concerns = patientToken(f.patients.pat, [{ system: undefined, code: 'health-concern' }]);
    assert.deepEqual(sortedIds((await search(concerns)).resources),
      await rowIds(problems().where({ patient_id: f.patients.pat, category: 'health-concern' })));
    const problemsAndDiagnoses = patientToken(f.patients.pat, [
      { system: fhirCategories, code: 'problem-list-item' }, { system: fhirCategories, code: 'encounter-diagnosis' }]);
    assert.deepEqual(sortedIds((await search(problemsAndDiagnoses)).resources),
      await rowIds(problems().where('patient_id', f.patients.pat).whereNot('category', 'health-concern')));
    assert.equal((await search(patientToken(f.patients.pat, [{ system: fhirCategories, code: 'health-concern' }]))).total, 0);
    const listItem = await problems().where({ patient_id: f.patients.pat, category: 'problem-list-item' }).first();
    assert.equal(await conditions.read(String(listItem.id), { restrictions: concerns }), undefined);
  });
});
