import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  date, everything, openCareFixture, ordinary, read, reference, restrictedTo, search, sortedIds, token, type CareFixture,
} from './providers-care-fixture.ts';

const category = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
const loinc = 'http://loinc.org';

let f: CareFixture;
/** The seed's documents, read straight from the table: id, patient, type code, date, confidential type. */
let documents: Array<{ id: string; patient: string; loinc: string; date: string; type: string; confidential: boolean; content: string }>;

before(async () => {
  f = await openCareFixture();
  const rows = (await f.knex('ehr_documents as d').join('ehr_document_types as t', 't.id', 'd.document_type_id')
    .select('d.id', 'd.patient_id', 't.loinc_code', 'd.document_date', 't.name', 't.is_confidential', 'd.content')) as Array<Record<string, unknown>>;
  documents = rows.map((row) => ({
    id: String(row.id), patient: String(row.patient_id), loinc: String(row.loinc_code), date: String(row.document_date),
    type: String(row.name), confidential: row.is_confidential === true || row.is_confidential === 1, content: String(row.content),
  }));
});
after(() => f.db.drop());

const idsWhere = (keep: (doc: (typeof documents)[number]) => boolean) => sortedIds(documents.filter(keep).map((doc) => doc.id));
const documentOf = (patient: string, type: string) => documents.find((doc) => doc.patient === patient && doc.type === type)!;

describe('DocumentReference read', () => {
  test('a progress note is a US Core clinical note whose content is its Binary', async () => {
    const note = documentOf(f.patients.pat, 'Progress Note');
    const found = await read(f.provider('DocumentReference'), note.id);
    assert.ok(found);
    assert.equal(found.patientId, f.patients.pat);
    assert.equal(found.confidentialDocumentType, null);
    const resource = found.resource as Record<string, any>;
    assert.equal(resource.id, note.id);
    assert.equal(resource.status, 'current');
    assert.deepEqual(resource.type.coding, [{ system: loinc, code: '11506-3', display: 'Progress note' }]);
    assert.deepEqual(resource.category, [{ coding: [{ system: category, code: 'clinical-note', display: 'Clinical Note' }] }]);
    assert.deepEqual(resource.subject, { reference: `Patient/${f.patients.pat}` });
    assert.equal(resource.date, note.date);
    assert.equal(resource.content[0].attachment.contentType, 'text/plain');
    assert.equal(resource.content[0].attachment.url, `Binary/${note.id}`);
    assert.match(resource.author[0].reference, /^Practitioner\/\d+$/);
    assert.match(resource.context.encounter[0].reference, /^Encounter\/\d+$/);
  });

  test("Sam's behavioral health note needs both the sensitive chart and its document type", async () => {
    const note = documentOf(f.patients.sam, 'Behavioral Health');
    const provider = f.provider('DocumentReference');
    assert.equal((await read(provider, note.id))?.confidentialDocumentType, 'Behavioral Health');
    assert.equal(await read(provider, note.id, restrictedTo({ documentTypes: new Set(['Genetic Counseling']) })), undefined);
    assert.equal(await read(provider, note.id, restrictedTo({ sensitiveCharts: false })), undefined);
  });

  test("Pat's genetic counseling note is hidden without its type, though his chart is not sensitive", async () => {
    const note = documentOf(f.patients.pat, 'Genetic Counseling');
    const provider = f.provider('DocumentReference');
    assert.equal((await read(provider, note.id, restrictedTo({ documentTypes: new Set(['Genetic Counseling']), sensitiveCharts: false })))
      ?.confidentialDocumentType, 'Genetic Counseling');
    assert.equal(await read(provider, note.id, ordinary), undefined);
  });

  test('ids that are not ours, and other patients under a compartment, read as missing', async () => {
    const provider = f.provider('DocumentReference');
    const note = documentOf(f.patients.pat, 'Progress Note');
    assert.equal(await read(provider, 'abc'), undefined);
    assert.equal(await read(provider, '99999'), undefined);
    assert.equal(await read(provider, note.id, restrictedTo({ patientId: f.patients.maria })), undefined);
    assert.ok(await read(provider, note.id, restrictedTo({ patientId: f.patients.pat })));
  });

  test('a granular scope on another category hides the notes', async () => {
    const provider = f.provider('DocumentReference');
    const note = documentOf(f.patients.pat, 'Progress Note');
    assert.ok(await read(provider, note.id, restrictedTo({ categories: [{ system: category, code: 'clinical-note' }] })));
    assert.ok(await read(provider, note.id, restrictedTo({ categories: [{ system: undefined, code: 'clinical-note' }] })));
    assert.equal(await read(provider, note.id, restrictedTo({ categories: [{ system: 'http://other.example', code: 'clinical-note' }] })), undefined);
    const found = await search(provider, [], restrictedTo({ categories: [{ system: undefined, code: 'laboratory' }] }));
    assert.equal(found.total, 0);
  });
});

describe('DocumentReference search (US Core 6.1 SHALL)', () => {
  test('_id', async () => {
    const note = documentOf(f.patients.maria, 'Progress Note');
    assert.deepEqual((await search(f.provider('DocumentReference'), [token('_id', note.id)])).ids, [note.id]);
    assert.equal((await search(f.provider('DocumentReference'), [token('_id', 'x-1')])).total, 0);
  });

  test('patient, by id and by Patient/id', async () => {
    const provider = f.provider('DocumentReference');
    const expected = idsWhere((doc) => doc.patient === f.patients.pat);
    assert.equal(expected.length, 2);
    assert.deepEqual(sortedIds((await search(provider, [reference('patient', f.patients.pat)])).ids), expected);
    assert.deepEqual(sortedIds((await search(provider, [reference('patient', `Patient/${f.patients.pat}`)])).ids), expected);
    assert.equal((await search(provider, [reference('patient', `Group/${f.patients.pat}`)])).total, 0);
  });

  test('patient+category, by code and system|code', async () => {
    const provider = f.provider('DocumentReference');
    const expected = idsWhere((doc) => doc.patient === f.patients.sam);
    for (const value of ['clinical-note', `${category}|clinical-note`]) {
      assert.deepEqual(sortedIds((await search(provider, [reference('patient', f.patients.sam), token('category', value)])).ids), expected);
    }
    assert.equal((await search(provider, [reference('patient', f.patients.sam), token('category', `${loinc}|clinical-note`)])).total, 0);
  });

  test('patient+type, by code and system|code', async () => {
    const provider = f.provider('DocumentReference');
    const consult = documentOf(f.patients.pat, 'Genetic Counseling');
    assert.deepEqual((await search(provider, [reference('patient', f.patients.pat), token('type', '11488-4')])).ids, [consult.id]);
    assert.deepEqual((await search(provider, [reference('patient', f.patients.pat), token('type', `${loinc}|11506-3`)])).ids,
      [documentOf(f.patients.pat, 'Progress Note').id]);
    assert.equal((await search(provider, [reference('patient', f.patients.pat), token('type', 'http://snomed.info/sct|11488-4')])).total, 0);
  });

  test('patient+category+date with gt, ge, lt, le and eq', async () => {
    const provider = f.provider('DocumentReference');
    const progress = documentOf(f.patients.pat, 'Progress Note');
    const consult = documentOf(f.patients.pat, 'Genetic Counseling');
    const day = consult.date.slice(0, 10);
    const base = [reference('patient', f.patients.pat), token('category', 'clinical-note')];
    const ids = async (comparator: 'gt' | 'ge' | 'lt' | 'le' | 'eq', on: string) => (await search(provider, [...base, date('date', comparator, on)])).ids;
    assert.deepEqual(await ids('ge', day), [consult.id]);
    assert.deepEqual(await ids('gt', day), []);
    assert.deepEqual(await ids('gt', '2026-09-13'), [consult.id]);
    assert.deepEqual(await ids('lt', day), [progress.id]);
    assert.deepEqual(await ids('le', day), [consult.id, progress.id]);
    assert.deepEqual(await ids('eq', progress.date.slice(0, 10)), [progress.id]);
  });

  test('patient+status accepts several statuses (multipleOr)', async () => {
    const provider = f.provider('DocumentReference');
    const all = idsWhere((doc) => doc.patient === f.patients.maria);
    assert.deepEqual(sortedIds((await search(provider, [reference('patient', f.patients.maria), token('status', 'superseded', 'current')])).ids), all);
    assert.equal((await search(provider, [reference('patient', f.patients.maria), token('status', 'superseded')])).total, 0);
  });

  test('patient+type+period follows the visit the note was written in', async () => {
    const provider = f.provider('DocumentReference');
    const consult = documentOf(f.patients.pat, 'Genetic Counseling');
    const base = [reference('patient', f.patients.pat), token('type', '11488-4')];
    assert.deepEqual((await search(provider, [...base, date('period', 'ge', '2026-09-14')])).ids, [consult.id]);
    assert.deepEqual((await search(provider, [...base, date('period', 'lt', '2026-09-14')])).ids, []);
  });
});

describe('DocumentReference restrictions and paging', () => {
  test('the Patient role sees no sensitive chart and no confidential note, and the total says so', async () => {
    const found = await search(f.provider('DocumentReference'), [], ordinary);
    const expected = idsWhere((doc) => doc.patient !== f.patients.sam && !doc.confidential);
    assert.equal(found.total, expected.length);
    assert.deepEqual(sortedIds(found.ids), expected);
  });

  test('a compartment limits a search without a patient parameter, and contradicts one with another', async () => {
    const provider = f.provider('DocumentReference');
    const inCompartment = restrictedTo({ patientId: f.patients.maria });
    assert.deepEqual(sortedIds((await search(provider, [], inCompartment)).ids), idsWhere((doc) => doc.patient === f.patients.maria));
    assert.equal((await search(provider, [reference('patient', f.patients.pat)], inCompartment)).total, 0);
  });

  test('pages are disjoint, newest first, and add up to the total', async () => {
    const provider = f.provider('DocumentReference');
    const pages: string[] = [];
    for (let offset = 0; offset < documents.length; offset += 3) {
      const page = await search(provider, [], everything, { offset, count: 3 });
      assert.equal(page.total, documents.length);
      pages.push(...page.ids);
    }
    const newestFirst = [...documents].sort((a, b) => b.date.localeCompare(a.date) || Number(a.id) - Number(b.id)).map((doc) => doc.id);
    assert.deepEqual(pages, newestFirst);
    assert.deepEqual((await search(provider, [], everything, { offset: documents.length, count: 3 })).ids, []);
  });
});

describe('Binary', () => {
  test("is the note's content, labelled like its DocumentReference", async () => {
    const note = documentOf(f.patients.sam, 'Behavioral Health');
    const found = await read(f.provider('Binary'), note.id);
    assert.ok(found);
    assert.deepEqual(found.resource, {
      resourceType: 'Binary', id: note.id, contentType: 'text/plain', data: Buffer.from(note.content).toString('base64'),
    });
    assert.equal(found.patientId, f.patients.sam);
    assert.equal(found.confidentialDocumentType, 'Behavioral Health');
  });

  test('is hidden exactly when its DocumentReference is', async () => {
    const binary = f.provider('Binary');
    const documentReference = f.provider('DocumentReference');
    for (const restrictions of [everything, ordinary, restrictedTo({ patientId: f.patients.pat }), restrictedTo({ documentTypes: new Set() })]) {
      for (const doc of documents) {
        assert.equal(Boolean(await read(binary, doc.id, restrictions)), Boolean(await read(documentReference, doc.id, restrictions)));
      }
    }
    assert.equal(await read(binary, 'Binary-1'), undefined);
  });

  test('offers no search', async () => {
    assert.deepEqual(f.provider('Binary').searchParameters, []);
    assert.deepEqual(await search(f.provider('Binary'), []), { ids: [], total: 0, provided: [] });
  });
});
