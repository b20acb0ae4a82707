import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createClinicalFixture, criterion, day, idsOf, patientToken, reference, rowIds, searchAll, sortedIds,
  token, unrestricted, type ClinicalFixture,
} from './providers-clinical-fixture.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import type { ResourceProvider } from '../../src/index.ts';

let f: ClinicalFixture;
let observations: ResourceProvider;

before(async () => {
  f = await createClinicalFixture();
  observations = f.provider('Observation');
});
after(() => f.db.drop());

const categorySystem = 'http://terminology.hl7.org/CodeSystem/observation-category';
const loinc = 'http://loinc.org';

/** Every Observation id of one patient's rows in the given tables, from the database itself. */
async function expectedIds(patientId: string, tables: Array<'vital' | 'lab' | 'social'>): Promise<string[]> {
  const table = { vital: 'ehr_vitals', lab: 'ehr_lab_results', social: 'ehr_social_history' };
  const ids = await Promise.all(tables.map((prefix) => rowIds(f.knex(table[prefix]).where('patient_id', patientId), `${prefix}-`)));
  return ids.flat().sort();
}

describe('Observation provider: read', () => {
  it('reads a blood pressure panel as US Core blood pressure with both components', async () => {
    const row = await f.knex('ehr_vitals').where({ patient_id: f.patients.pat, loinc_code: '85354-9' }).first();
    const read = await observations.read(`vital-${row.id}`, { restrictions: unrestricted() });
    assert.ok(read);
    assertValidR4(read.resource);
    assert.deepEqual(read.resource, {
      resourceType: 'Observation', id: `vital-${row.id}`,
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure'] },
      status: 'final',
      category: [{ coding: [{ system: categorySystem, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }],
      code: { coding: [{ system: loinc, code: '85354-9', display: 'Blood pressure panel with all children optional' }],
        text: 'Blood pressure panel with all children optional' },
      subject: { reference: `Patient/${f.patients.pat}` },
      encounter: { reference: `Encounter/${row.encounter_id}` },
      effectiveDateTime: '2026-03-10T14:10:00Z',
      component: [
        { code: { coding: [{ system: loinc, code: '8480-6', display: 'Systolic blood pressure' }], text: 'Systolic blood pressure' },
          valueQuantity: { value: 138, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
        { code: { coding: [{ system: loinc, code: '8462-4', display: 'Diastolic blood pressure' }], text: 'Diastolic blood pressure' },
          valueQuantity: { value: 86, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      ],
    });
    assert.equal(read.patientId, f.patients.pat);
    assert.equal(read.confidentialDocumentType, null);
  });

  it('gives pulse oximetry both LOINC codes US Core requires', async () => {
    const row = await f.knex('ehr_vitals').where({ patient_id: f.patients.maria, loinc_code: '59408-5' }).first();
    const read = await observations.read(`vital-${row.id}`, { restrictions: unrestricted() });
    const codes = (read!.resource.code as { coding: Array<{ code: string }> }).coding.map((coding) => coding.code);
    assert.deepEqual(codes, ['59408-5', '2708-6']);
    assert.deepEqual(read!.resource.meta?.profile, ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-pulse-oximetry']);
    assert.deepEqual(read!.resource.valueQuantity, { value: 99, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
  });

  it('reads a laboratory result with its reference range and interpretation', async () => {
    // Pat's LDL, 134 mg/dL above a high of 100: interpreted High, with no low bound.
    const row = await f.knex('ehr_lab_results').where({ patient_id: f.patients.pat, loinc_code: '18262-6' }).first();
    const read = await observations.read(`lab-${row.id}`, { restrictions: unrestricted() });
    assertValidR4(read!.resource);
    const resource = read!.resource;
    assert.deepEqual(resource.meta?.profile, ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab']);
    assert.deepEqual(resource.category, [{ coding: [{ system: categorySystem, code: 'laboratory', display: 'Laboratory' }], text: 'Laboratory' }]);
    assert.deepEqual(resource.valueQuantity, { value: 134, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' });
    assert.deepEqual(resource.referenceRange, [{ high: { value: 100, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' } }]);
    assert.deepEqual(resource.interpretation, [{ coding: [{
      system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H', display: 'High' }] }]);
  });

  it('reads smoking status as US Core smoking status with a SNOMED CT value', async () => {
    const row = await f.knex('ehr_social_history').where({ patient_id: f.patients.pat }).first();
    const read = await observations.read(`social-${row.id}`, { restrictions: unrestricted() });
    assertValidR4(read!.resource);
    assert.deepEqual(read!.resource.meta?.profile, ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-smokingstatus']);
    assert.deepEqual(read!.resource.valueCodeableConcept,
      { coding: [{ system: 'http://snomed.info/sct', code: '8517006', display: 'Ex-smoker' }], text: 'Ex-smoker' });
    assert.equal((read!.resource.code as { coding: Array<{ code: string }> }).coding[0]!.code, '72166-2');
  });

  it('finds nothing for ids without a known prefix, of another table, or of no row', async () => {
    const vital = await f.knex('ehr_vitals').first();
    for (const id of [String(vital.id), `vitals-${vital.id}`, `vital-x`, 'lab-99999', `social-${vital.id}0000`]) {
      assert.equal(await observations.read(id, { restrictions: unrestricted() }), undefined, id);
    }
  });
});

describe('Observation provider: US Core searches', () => {
  it('patient+category, by code and by system|code, with the patient as id or Patient/id', async () => {
    for (const [code, tables] of [['vital-signs', ['vital']], ['laboratory', ['lab']], ['social-history', ['social']]] as const) {
      const expected = await expectedIds(f.patients.leo, [...tables]);
      assert.ok(expected.length > 0);
      const plain = await searchAll(observations, unrestricted(), criterion('patient', reference(f.patients.leo)), criterion('category', token(code)));
      assert.deepEqual(sortedIds(plain.resources), expected, code);
      const typed = await searchAll(observations, unrestricted(),
        criterion('patient', reference(f.patients.leo, 'Patient')), criterion('category', token(code, categorySystem)));
      assert.deepEqual(sortedIds(typed.resources), expected, code);
    }
    const otherSystem = await searchAll(observations, unrestricted(),
      criterion('patient', reference(f.patients.leo)), criterion('category', token('laboratory', 'http://example.org/categories')));
    assert.equal(otherSystem.total, 0);
    const twoCategories = await searchAll(observations, unrestricted(),
      criterion('patient', reference(f.patients.leo)), criterion('category', token('laboratory'), token('social-history')));
    assert.deepEqual(sortedIds(twoCategories.resources), await expectedIds(f.patients.leo, ['lab', 'social']));
  });

  it('a reference to another resource type, or a non-numeric id, matches nothing', async () => {
    for (const value of [reference(f.patients.leo, 'Group'), reference('leo')]) {
      const result = await searchAll(observations, unrestricted(), criterion('patient', value), criterion('category', token('laboratory')));
      assert.equal(result.total, 0);
    }
  });

  it('patient+code, by code and by system|code; 2708-6 also finds pulse oximetry', async () => {
    const heartRate = await rowIds(f.knex('ehr_vitals').where({ patient_id: f.patients.mia, loinc_code: '8867-4' }), 'vital-');
    const hdl = await rowIds(f.knex('ehr_lab_results').where({ patient_id: f.patients.pat, loinc_code: '2085-9' }), 'lab-');
    const spo2 = await rowIds(f.knex('ehr_vitals').where({ patient_id: f.patients.mia, loinc_code: '59408-5' }), 'vital-');
    assert.equal(heartRate.length, 1);
    const search = (patient: string, ...codes: ReturnType<typeof token>[]) =>
      searchAll(observations, unrestricted(), criterion('patient', reference(patient)), criterion('code', ...codes));
    assert.deepEqual(sortedIds((await search(f.patients.mia, token('8867-4'))).resources), heartRate);
    assert.deepEqual(sortedIds((await search(f.patients.pat, token('2085-9', loinc))).resources), hdl);
    assert.deepEqual(sortedIds((await search(f.patients.mia, token('2708-6', loinc))).resources), spo2);
    assert.deepEqual(sortedIds((await search(f.patients.mia, token('8867-4'), token('59408-5'))).resources), [...heartRate, ...spo2].sort());
    assert.equal((await search(f.patients.mia, token('8867-4', 'http://snomed.info/sct'))).total, 0);
    assert.equal((await search(f.patients.mia, token('8867-4', ''))).total, 0);
  });

  it('patient+category+date with gt, ge, lt, le and eq', async () => {
    // Every observation of a checkup shares the checkup's time: Leo's is 2026-05-12.
    const vitals = await expectedIds(f.patients.leo, ['vital']);
    const search = (comparator: Parameters<typeof day>[0], date: string) => searchAll(observations, unrestricted(),
      criterion('patient', reference(f.patients.leo)), criterion('category', token('vital-signs')), criterion('date', day(comparator, date)));
    const cases: Array<[Parameters<typeof day>[0], string, string[]]> = [
      ['ge', '2026-05-12', vitals], ['gt', '2026-05-12', []], ['gt', '2026-05-11', vitals],
      ['le', '2026-05-12', vitals], ['lt', '2026-05-12', []], ['lt', '2026-05-13', vitals],
      ['eq', '2026-05-12', vitals], ['eq', '2026-05-13', []],
    ];
    for (const [comparator, date, expected] of cases) {
      assert.deepEqual(sortedIds((await search(comparator, date)).resources), expected, `${comparator}${date}`);
    }
    const instant = await searchAll(observations, unrestricted(), criterion('patient', reference(f.patients.leo)),
      criterion('category', token('vital-signs')),
      criterion('date', { kind: 'date', comparator: 'gt', start: '2026-05-12T14:10:00Z', end: '2026-05-12T14:10:01Z' }));
    assert.equal(instant.total, 0);
  });

  it('category+date across patients: only the checkups on or after the date', async () => {
    const expected = await rowIds(f.knex('ehr_lab_results').where('effective_at', '>=', '2026-04-02'), 'lab-');
    const result = await searchAll(observations, unrestricted(), criterion('category', token('laboratory')), criterion('date', day('ge', '2026-04-02')));
    assert.deepEqual(sortedIds(result.resources), expected);
    // Maria (2026-04-02), Leo and Mia: three CBC panels of four results.
    assert.equal(result.total, 12);
  });

  it('patient+category+status, with several statuses OR-ed', async () => {
    const labs = await expectedIds(f.patients.maria, ['lab']);
    const search = (...statuses: ReturnType<typeof token>[]) => searchAll(observations, unrestricted(),
      criterion('patient', reference(f.patients.maria)), criterion('category', token('laboratory')), criterion('status', ...statuses));
    assert.deepEqual(sortedIds((await search(token('final'))).resources), labs);
    assert.deepEqual(sortedIds((await search(token('preliminary'), token('final', 'http://hl7.org/fhir/observation-status'))).resources), labs);
    assert.equal((await search(token('preliminary'), token('amended'))).total, 0);
  });
});

describe('Observation provider: one order and paging across the three tables', () => {
  it('orders newest first, then lab, social, vital, then row id', async () => {
    const all = await searchAll(observations, unrestricted());
    const rowsIn = async (table: string) => (await rowIds(f.knex(table))).length;
    assert.equal(all.total, await rowsIn('ehr_vitals') + await rowsIn('ehr_lab_results') + await rowsIn('ehr_social_history'));
    const keys = all.resources.map(({ resource }) => {
      const [prefix, id] = resource.id!.split('-') as [string, string];
      return { at: String(resource.effectiveDateTime), prefix, id: Number(id) };
    });
    const sorted = [...keys].sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1)
      : a.prefix !== b.prefix ? (a.prefix < b.prefix ? -1 : 1) : a.id - b.id));
    assert.deepEqual(keys, sorted);
    // Mia's checkup (2026-06-01) is the newest: her first lab result leads.
    const miaFirstLab = await f.knex('ehr_lab_results').where('patient_id', f.patients.mia).orderBy('id').first();
    assert.equal(all.resources[0]!.resource.id, `lab-${miaFirstLab.id}`);
  });

  it('pages through the merged list with the right total on every page', async () => {
    const all = idsOf((await searchAll(observations, unrestricted())).resources);
    const paged: string[] = [];
    for (let offset = 0; offset < all.length + 7; offset += 7) {
      const page = await observations.search({ criteria: [], offset, count: 7, restrictions: unrestricted() });
      assert.equal(page.total, all.length);
      assert.equal(page.resources.length, Math.max(0, Math.min(7, all.length - offset)));
      paged.push(...idsOf(page.resources));
    }
    assert.deepEqual(paged, all);
    const pat = await observations.search({ criteria: [criterion('patient', reference(f.patients.pat))], offset: 3, count: 3, restrictions: unrestricted() });
    const patAll = idsOf((await searchAll(observations, unrestricted(), criterion('patient', reference(f.patients.pat)))).resources);
    assert.equal(pat.total, patAll.length);
    assert.deepEqual(idsOf(pat.resources), patAll.slice(3, 6));
    const none = await observations.search({ criteria: [], offset: 0, count: 0, restrictions: unrestricted() });
    assert.deepEqual(none, { resources: [], total: all.length });
  });
});

describe('Observation provider: restrictions', () => {
  it('keeps a patient token inside its compartment', async () => {
    const maria = patientToken(f.patients.maria);
    const own = await searchAll(observations, maria, criterion('patient', reference(f.patients.maria)));
    assert.deepEqual(sortedIds(own.resources), await expectedIds(f.patients.maria, ['vital', 'lab', 'social']));
    assert.equal((await searchAll(observations, maria, criterion('patient', reference(f.patients.pat)))).total, 0);
    assert.equal((await searchAll(observations, maria)).total, own.total);
    const patVital = await f.knex('ehr_vitals').where('patient_id', f.patients.pat).first();
    assert.equal(await observations.read(`vital-${patVital.id}`, { restrictions: maria }), undefined);
  });

  it('hides a sensitive chart unless the caller may see sensitive charts', async () => {
    const samIds = await expectedIds(f.patients.sam, ['vital', 'lab', 'social']);
    const withSensitive = await searchAll(observations, unrestricted(), criterion('patient', reference(f.patients.sam)));
    assert.deepEqual(sortedIds(withSensitive.resources), samIds);
    const without = unrestricted({ sensitiveCharts: false });
    assert.equal((await searchAll(observations, without, criterion('patient', reference(f.patients.sam)))).total, 0);
    assert.equal((await searchAll(observations, patientToken(f.patients.sam))).total, 0);
    assert.equal(await observations.read(samIds[0]!, { restrictions: without }), undefined);
    assert.ok(await observations.read(samIds[0]!, { restrictions: unrestricted() }));
  });

  it('shows only the categories a granular scope allows, in searches and reads', async () => {
    const labsOnly = patientToken(f.patients.pat, [{ system: undefined, code: 'laboratory' }]);
    const seen = await searchAll(observations, labsOnly, criterion('patient', reference(f.patients.pat)));
    assert.deepEqual(sortedIds(seen.resources), await expectedIds(f.patients.pat, ['lab']));
    const vitalsAndSocial = patientToken(f.patients.pat, [
      { system: categorySystem, code: 'vital-signs' }, { system: undefined, code: 'social-history' }]);
    assert.deepEqual(sortedIds((await searchAll(observations, vitalsAndSocial)).resources),
      await expectedIds(f.patients.pat, ['vital', 'social']));
    const wrongSystem = patientToken(f.patients.pat, [{ system: 'http://example.org/x', code: 'laboratory' }]);
    assert.equal((await searchAll(observations, wrongSystem)).total, 0);
    const vital = await f.knex('ehr_vitals').where('patient_id', f.patients.pat).first();
    assert.equal(await observations.read(`vital-${vital.id}`, { restrictions: labsOnly }), undefined);
    assert.ok(await observations.read(`vital-${vital.id}`, { restrictions: vitalsAndSocial }));
  });

  it('hides a row recorded in a confidential document unless its type is allowed, and names the type', async () => {
    // The seed records no observation in a confidential note, so this test files Pat's smoking status in one.
    const note = await f.knex('ehr_documents as d').join('ehr_document_types as t', 't.id', 'd.document_type_id')
      .where({ 'd.patient_id': f.patients.pat, 't.name': 'Genetic Counseling' }).select('d.id').first();
    const row = await f.knex('ehr_social_history').where('patient_id', f.patients.pat).first();
    await f.knex('ehr_social_history').where('id', row.id).update({ document_id: note.id });
    try {
      const id = `social-${row.id}`;
      const search = (restrictions: ReturnType<typeof unrestricted>) =>
        searchAll(observations, restrictions, criterion('patient', reference(f.patients.pat)), criterion('category', token('social-history')));
      const hidden = unrestricted({ documentTypes: new Set(['Behavioral Health']) });
      assert.equal((await search(hidden)).total, 0);
      assert.equal(await observations.read(id, { restrictions: hidden }), undefined);
      const shown = await search(unrestricted({ documentTypes: new Set(['Genetic Counseling']) }));
      assert.deepEqual(idsOf(shown.resources), [id]);
      assert.equal(shown.resources[0]!.confidentialDocumentType, 'Genetic Counseling');
      const all = await searchAll(observations, unrestricted({ documentTypes: new Set() }), criterion('patient', reference(f.patients.pat)));
      assert.equal(all.total, (await expectedIds(f.patients.pat, ['vital', 'lab', 'social'])).length - 1);
    } finally {
      await f.knex('ehr_social_history').where('id', row.id).update({ document_id: null });
    }
  });
});
