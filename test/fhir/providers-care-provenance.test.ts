import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { provenanceTargets, targetKey, targetResourceId } from '../../samples/host-ehr/fhir/provenance-targets.ts';
import { everything, openCareFixture, ordinary, read, reference, restrictedTo, search, sortedIds, token, type CareFixture } from './providers-care-fixture.ts';

const author = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] };

let f: CareFixture;
let practice: string;
/** Every row Provenance is synthesized for, read table by table: its Provenance id, target, patient and document. */
let rows: Array<{ id: string; target: string; patient: string; document: number | null; recorded: string }>;

before(async () => {
  f = await openCareFixture();
  practice = String(((await f.knex('ehr_organization').first('id')) as { id: number }).id);
  rows = [];
  for (const target of provenanceTargets) {
    const found = (await f.knex(target.table).select('*')) as Array<Record<string, unknown>>;
    for (const row of found) {
      rows.push({
        id: `${targetKey(target)}-${String(row.id)}`, target: `${target.resourceType}/${targetResourceId(target, Number(row.id))}`,
        patient: String(row.patient_id), recorded: String(row[target.recorded]),
        document: target.document === undefined || row[target.document] == null ? null : Number(row[target.document]),
      });
    }
  }
});
after(() => f.db.drop());

const confidentialDocuments = async () =>
  new Set(((await f.knex('ehr_documents as d').join('ehr_document_types as t', 't.id', 'd.document_type_id')
    .where('t.is_confidential', true).select('d.id')) as Array<{ id: number }>).map((row) => Number(row.id)));

describe('Provenance read', () => {
  test('a Condition recorded without a clinician: the practice is its author', async () => {
    const condition = rows.find((row) => row.id.startsWith('Condition-'))!;
    const found = await read(f.provider('Provenance'), condition.id);
    assert.ok(found);
    assert.deepEqual(found.resource, {
      resourceType: 'Provenance', id: condition.id,
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-provenance'] },
      target: [{ reference: condition.target }], recorded: condition.recorded,
      agent: [{ type: author, who: { reference: `Organization/${practice}` } }],
    });
    assert.equal(found.patientId, condition.patient);
  });

  test("Sam's behavioral assessment: its clinician acts for the practice, and it hides with the note", async () => {
    const procedure = (await f.knex('ehr_procedures').where('code', '96127').first()) as Record<string, unknown>;
    const id = `Procedure-${String(procedure.id)}`;
    const provider = f.provider('Provenance');
    const found = await read(provider, id);
    assert.ok(found);
    assert.equal(found.confidentialDocumentType, 'Behavioral Health');
    assert.deepEqual((found.resource as Record<string, unknown>).agent, [
      { type: author, who: { reference: `Practitioner/${String(procedure.performer_id)}` }, onBehalfOf: { reference: `Organization/${practice}` } },
      { type: author, who: { reference: `Organization/${practice}` } },
    ]);
    assert.equal(await read(provider, id, restrictedTo({ documentTypes: new Set() })), undefined);
    assert.equal(await read(provider, id, restrictedTo({ sensitiveCharts: false })), undefined);
  });

  test('Observation ids keep their table prefix; a document is its own confidential document', async () => {
    const provider = f.provider('Provenance');
    const lab = rows.find((row) => row.id.startsWith('Observation-lab-'))!;
    assert.deepEqual(((await read(provider, lab.id))!.resource as Record<string, unknown>).target, [{ reference: lab.target }]);
    const consult = (await f.knex('ehr_documents').where('title', 'Genetic counseling consult').first()) as Record<string, unknown>;
    const found = await read(provider, `DocumentReference-${String(consult.id)}`);
    assert.equal(found?.confidentialDocumentType, 'Genetic Counseling');
    assert.equal((found?.resource as Record<string, unknown>).recorded, consult.document_date);
    assert.equal(await read(provider, `DocumentReference-${String(consult.id)}`, ordinary), undefined);
  });

  test('ids the sample never issues read as missing', async () => {
    const provider = f.provider('Provenance');
    for (const id of ['Condition-abc', 'Observation-1', 'Observation-lab-', 'CareTeam-1', 'Foo-1', '1', 'Condition-99999']) {
      assert.equal(await read(provider, id), undefined, id);
    }
  });
});

describe('Provenance search', () => {
  test('target (what _revinclude=Provenance:target sends): Type/id of several types at once', async () => {
    const wanted = ['Condition-', 'Observation-lab-', 'Observation-vital-', 'Encounter-', 'DocumentReference-', 'Goal-']
      .map((prefix) => rows.find((row) => row.id.startsWith(prefix))!);
    const found = await search(f.provider('Provenance'), [reference('target', ...wanted.map((row) => row.target))]);
    assert.deepEqual(sortedIds(found.ids), sortedIds(wanted.map((row) => row.id)));
    assert.equal(found.total, wanted.length);
  });

  test('a bare target id matches that row id in every table of an unprefixed type', async () => {
    const found = await search(f.provider('Provenance'), [reference('target', '1')]);
    assert.deepEqual(sortedIds(found.ids), sortedIds(rows.filter((row) => row.target.endsWith('/1')).map((row) => row.id)));
  });

  test('hidden targets have no visible Provenance, and totals leave them out', async () => {
    const hiddenDocuments = await confidentialDocuments();
    const visible = rows.filter((row) => row.patient !== f.patients.sam && (row.document === null || !hiddenDocuments.has(row.document)));
    const found = await search(f.provider('Provenance'), [], ordinary, { count: 1000 });
    assert.equal(found.total, visible.length);
    assert.deepEqual(sortedIds(found.ids), sortedIds(visible.map((row) => row.id)));
    const samTargets = rows.filter((row) => row.patient === f.patients.sam).map((row) => row.target);
    assert.equal((await search(f.provider('Provenance'), [reference('target', ...samTargets)], ordinary)).total, 0);
  });

  test('patient and compartment', async () => {
    const provider = f.provider('Provenance');
    const maria = sortedIds(rows.filter((row) => row.patient === f.patients.maria).map((row) => row.id));
    assert.deepEqual(sortedIds((await search(provider, [reference('patient', `Patient/${f.patients.maria}`)], everything, { count: 1000 })).ids), maria);
    assert.deepEqual(sortedIds((await search(provider, [], restrictedTo({ patientId: f.patients.maria }), { count: 1000 })).ids), maria);
    assert.equal((await search(provider, [reference('patient', f.patients.pat)], restrictedTo({ patientId: f.patients.maria }))).total, 0);
  });

  test('_id, and pages that add up to the total', async () => {
    const provider = f.provider('Provenance');
    const [one, two] = rows;
    assert.deepEqual(sortedIds((await search(provider, [token('_id', one!.id, two!.id, 'nonsense')])).ids), sortedIds([one!.id, two!.id]));
    const paged: string[] = [];
    for (let offset = 0; offset < rows.length; offset += 50) {
      const page = await search(provider, [], everything, { offset, count: 50 });
      assert.equal(page.total, rows.length);
      paged.push(...page.ids);
    }
    assert.equal(new Set(paged).size, rows.length);
    assert.deepEqual(sortedIds(paged), sortedIds(rows.map((row) => row.id)));
  });
});
