import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isTrue } from '../../samples/host-ehr/database/boolean-column.ts';
import { fhirGet, idsOf, searchAll, serviceToken } from '../support/fhir-requests.ts';
import { demoPatientId, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { assertLabelledAndValid, assertSearchCases, type SearchCase } from './providers-us-core-fixture.ts';

const docCategory = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
const planCategory = 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category';
const cpt = 'http://www.ama-assn.org/go/cpt';
const snomed = 'http://snomed.info/sct';

type Row = Record<string, unknown>;

/**
 * US Core 6.1 SHALL (and SHOULD) searches of DocumentReference, Encounter, CarePlan, CareTeam, Goal and Device,
 * each by GET and by POST `_search` over the real plugin (REQ-USC-1), with the expected ids read from the seed.
 */
describe(`US Core care searches on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let token: string;
  let pat: string;
  let maria: string;
  let sam: string;
  const rows: Record<string, Row[]> = {};

  before(async () => {
    server = await startSmartServer();
    token = await serviceToken(server, 'user/*.rs');
    pat = await demoPatientId(server, 'Pat', 'Jones');
    maria = await demoPatientId(server, 'Maria', 'Lopez');
    sam = await demoPatientId(server, 'Sam', 'Rivera');
    const knex = server.db.knex;
    rows.documents = await knex('ehr_documents as d').join('ehr_document_types as t', 't.id', 'd.document_type_id')
      .select('d.*', 't.loinc_code', 't.is_confidential');
    for (const [key, table] of [['encounters', 'ehr_encounters'], ['plans', 'ehr_care_plans'], ['goals', 'ehr_goals'],
      ['teams', 'ehr_care_teams'], ['devices', 'ehr_devices']] as const) rows[key] = await knex(table).select('*');
  });
  after(() => server.close());

  const confidentialDocs = () => new Set(rows.documents!.filter((d) => isTrue(d.is_confidential)).map((d) => Number(d.id)));
  /** What svc-portal may see of a table: not Sam's chart, nothing recorded in a confidential note. */
  const visible = (key: string, patient: string, keep: (row: Row) => boolean = () => true) => {
    const hidden = confidentialDocs();
    return rows[key]!.filter((row) => String(row.patient_id) === patient && String(row.patient_id) !== sam
      && !hidden.has(Number(key === 'documents' ? row.id : row.document_id)) && keep(row)).map((row) => String(row.id)).sort();
  };

  const cases = (): SearchCase[] => {
    const progressNote = () => visible('documents', pat, (d) => d.loinc_code === '11506-3');
    const followUp = () => visible('encounters', pat, (e) => e.type_code === '99214');
    const checkup = () => visible('encounters', pat, (e) => e.type_code !== '99214');
    return [
      { type: 'DocumentReference', query: `_id=${progressNote()[0]}`, expected: progressNote },
      { type: 'DocumentReference', query: `patient=${pat}`, expected: () => visible('documents', pat) },
      { type: 'DocumentReference', query: `patient=Patient/${pat}`, expected: () => visible('documents', pat) },
      { type: 'DocumentReference', query: `patient=${sam}`, expected: () => [] },
      { type: 'DocumentReference', query: `patient=${maria}&category=clinical-note`, expected: () => visible('documents', maria) },
      { type: 'DocumentReference', query: `patient=${maria}&category=${encodeURIComponent(`${docCategory}|clinical-note`)}`, expected: () => visible('documents', maria) },
      { type: 'DocumentReference', query: `patient=${pat}&type=11506-3`, expected: progressNote },
      { type: 'DocumentReference', query: `patient=${pat}&type=${encodeURIComponent('http://loinc.org|11506-3')}`, expected: progressNote },
      { type: 'DocumentReference', query: `patient=${pat}&type=11488-4`, expected: () => [] },
      { type: 'DocumentReference', query: `patient=${pat}&category=clinical-note&date=ge2026-03-10`, expected: progressNote },
      { type: 'DocumentReference', query: `patient=${pat}&category=clinical-note&date=gt2026-03-10`, expected: () => [] },
      { type: 'DocumentReference', query: `patient=${pat}&category=clinical-note&date=lt2026-03-11`, expected: progressNote },
      { type: 'DocumentReference', query: `patient=${pat}&category=clinical-note&date=le2026-03-09`, expected: () => [] },
      { type: 'DocumentReference', query: `patient=${pat}&status=superseded,current`, expected: () => visible('documents', pat) },
      { type: 'DocumentReference', query: `patient=${pat}&type=11506-3&period=ge2026-03-10`, expected: progressNote },
      { type: 'Encounter', query: `_id=${followUp()[0]}`, expected: followUp },
      { type: 'Encounter', query: `patient=${pat}`, expected: () => visible('encounters', pat) },
      { type: 'Encounter', query: `patient=Patient/${pat}`, expected: () => visible('encounters', pat) },
      { type: 'Encounter', query: `date=ge2026-09-14&patient=${pat}`, expected: followUp },
      { type: 'Encounter', query: `date=gt2026-09-14&patient=${pat}`, expected: () => [] },
      { type: 'Encounter', query: `date=lt2026-09-14&patient=${pat}`, expected: checkup },
      { type: 'Encounter', query: `date=le2026-09-14&patient=${pat}`, expected: () => visible('encounters', pat) },
      { type: 'Encounter', query: `class=AMB&patient=${pat}`, expected: () => visible('encounters', pat) },
      { type: 'Encounter', query: `patient=${pat}&status=planned,finished`, expected: () => visible('encounters', pat) },
      { type: 'Encounter', query: `patient=${pat}&type=${encodeURIComponent(`${cpt}|99214`)}`, expected: followUp },
      { type: 'CarePlan', query: `patient=${maria}&category=assess-plan`, expected: () => visible('plans', maria) },
      { type: 'CarePlan', query: `patient=Patient/${maria}&category=${encodeURIComponent(`${planCategory}|assess-plan`)}`, expected: () => visible('plans', maria) },
      { type: 'CarePlan', query: `patient=${sam}&category=assess-plan`, expected: () => [] },
      { type: 'CarePlan', query: `patient=${maria}&category=assess-plan&status=completed,active`, expected: () => visible('plans', maria) },
      { type: 'CarePlan', query: `patient=${maria}&category=assess-plan&date=ge2026-04-02`, expected: () => visible('plans', maria) },
      { type: 'CarePlan', query: `patient=${maria}&category=assess-plan&date=gt2030-01-01`, expected: () => visible('plans', maria) },
      { type: 'CarePlan', query: `patient=${maria}&category=assess-plan&date=lt2026-04-02`, expected: () => [] },
      { type: 'CarePlan', query: `patient=${maria}&category=assess-plan&date=le2026-04-02`, expected: () => visible('plans', maria) },
      { type: 'CareTeam', query: `patient=${maria}&status=active`, expected: () => visible('teams', maria) },
      { type: 'CareTeam', query: `patient=Patient/${maria}&status=proposed,active`, expected: () => visible('teams', maria) },
      { type: 'CareTeam', query: `patient=${maria}&status=inactive`, expected: () => [] },
      { type: 'Goal', query: `patient=${maria}`, expected: () => visible('goals', maria) },
      { type: 'Goal', query: `patient=Patient/${maria}&lifecycle-status=active`, expected: () => visible('goals', maria) },
      { type: 'Goal', query: `patient=${maria}&target-date=gt2027-04-01`, expected: () => visible('goals', maria) },
      { type: 'Goal', query: `patient=${maria}&target-date=gt2027-04-02`, expected: () => [] },
      { type: 'Goal', query: `patient=${maria}&target-date=ge2027-04-02`, expected: () => visible('goals', maria) },
      { type: 'Goal', query: `patient=${maria}&target-date=lt2027-04-02`, expected: () => [] },
      { type: 'Goal', query: `patient=${maria}&target-date=le2027-04-02`, expected: () => visible('goals', maria) },
      { type: 'Device', query: `patient=${pat}`, expected: () => visible('devices', pat) },
      { type: 'Device', query: `patient=Patient/${pat}&type=${encodeURIComponent(`${snomed}|56961003`)}`, expected: () => visible('devices', pat) },
      { type: 'Device', query: `patient=${pat}&type=67270000`, expected: () => [] },
      { type: 'Device', query: `patient=${pat}&status=inactive,active`, expected: () => visible('devices', pat) },
      { type: 'Device', query: `patient=${sam}`, expected: () => [] },
    ];
  };

  it('answers every search by GET and by POST with exactly the seed ids, valid and labelled', async () => {
    const all = cases();
    // Guards the table itself: empty expectations are the deliberate negative cases only.
    assert.equal(all.filter((c) => c.expected().length === 0).length, 12);
    await assertSearchCases(server, token, all);
  });

  it('pages a search across next links with the same total', async () => {
    const outcome = await searchAll(server, 'Encounter', `patient=${maria}&_count=1`, token);
    assert.equal(outcome.pages, visible('encounters', maria).length);
    assert.deepEqual(idsOf(outcome.matches), visible('encounters', maria));
  });

  it('_include=CareTeam:participant adds the member Practitioners', async () => {
    const members = (await server.db.knex('ehr_care_team_members').whereIn('care_team_id', visible('teams', maria).map(Number))
      .select('provider_id')) as Row[];
    const outcome = await searchAll(server, 'CareTeam', `patient=${maria}&status=active&_include=CareTeam:participant`, token);
    assert.deepEqual(idsOf(outcome.included), [...new Set(members.map((m) => String(m.provider_id)))].sort());
    assert.ok(outcome.included.every((r) => r.resourceType === 'Practitioner'));
  });

  it('_revinclude=Provenance:target adds one Provenance per match, for each care type', async () => {
    for (const [type, key, query] of [
      ['Encounter', 'encounters', `patient=${pat}`], ['DocumentReference', 'documents', `patient=${pat}`],
      ['CarePlan', 'plans', `patient=${pat}&category=assess-plan`], ['Goal', 'goals', `patient=${pat}`], ['Device', 'devices', `patient=${pat}`],
    ] as const) {
      for (const via of ['GET', 'POST'] as const) {
        const outcome = await searchAll(server, type, `${query}&_revinclude=Provenance:target`, token, via);
        assert.deepEqual(idsOf(outcome.included), visible(key, pat).map((id) => `${type}-${id}`).sort(), `${via} ${type}`);
        for (const provenance of outcome.included) {
          assertLabelledAndValid(provenance);
          assert.deepEqual(provenance.target, [{ reference: `${type}/${String(provenance.id).slice(type.length + 1)}` }]);
        }
      }
    }
  });

  it('reads a note and its Binary; a confidential note and its Binary are 404', async () => {
    const [noteId] = visible('documents', pat);
    const note = await fhirGet(server, `DocumentReference/${noteId}`, token);
    assert.equal(note.status, 200, note.text);
    assertLabelledAndValid(note.body);
    const binary = await fhirGet(server, note.body.content[0].attachment.url as string, token).set('Accept', 'application/fhir+json');
    assert.equal(binary.status, 200, binary.text);
    assert.equal(binary.body.resourceType, 'Binary');
    const row = rows.documents!.find((d) => String(d.id) === noteId)!;
    assert.equal(Buffer.from(binary.body.data as string, 'base64').toString('utf8'), row.content);
    const consult = rows.documents!.find((d) => String(d.patient_id) === pat && isTrue(d.is_confidential))!;
    assert.equal((await fhirGet(server, `DocumentReference/${String(consult.id)}`, token)).status, 404);
    assert.equal((await fhirGet(server, `Binary/${String(consult.id)}`, token)).status, 404);
    assert.equal((await fhirGet(server, `Provenance/DocumentReference-${String(consult.id)}`, token)).status, 404);
    const provenance = await fhirGet(server, `Provenance/DocumentReference-${noteId}`, token);
    assert.equal(provenance.status, 200, provenance.text);
    assertLabelledAndValid(provenance.body);
  });
});
