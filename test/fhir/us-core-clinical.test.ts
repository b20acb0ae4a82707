import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FhirResource } from '../../src/index.ts';
import { fhirGet, idsOf, searchAll, serviceToken } from '../support/fhir-requests.ts';
import { demoPatientId, startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { assertLabelledAndValid, assertSearchCases, type SearchCase } from './providers-us-core-fixture.ts';

const loinc = 'http://loinc.org';
const icd10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const obsCategory = 'http://terminology.hl7.org/CodeSystem/observation-category';
const conditionCategory = 'http://terminology.hl7.org/CodeSystem/condition-category';
const usCoreConditionCategory = 'http://hl7.org/fhir/us/core/CodeSystem/condition-category';
const v20074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const intentSystem = 'http://hl7.org/fhir/CodeSystem/medicationrequest-intent';
const snomed = 'http://snomed.info/sct';

type Row = Record<string, unknown>;
const tables = {
  allergies: 'ehr_allergies', problems: 'ehr_problems', vitals: 'ehr_vitals', labs: 'ehr_lab_results',
  social: 'ehr_social_history', orders: 'ehr_medication_orders', immunizations: 'ehr_immunizations',
  procedures: 'ehr_procedures', reports: 'ehr_lab_reports',
} as const;
const prefixes: Partial<Record<keyof typeof tables, string>> = { vitals: 'vital-', labs: 'lab-', social: 'social-' };

const q = encodeURIComponent;

/**
 * US Core 6.1 SHALL (and some SHOULD) searches of AllergyIntolerance, Condition, Observation, MedicationRequest,
 * Immunization, Procedure and DiagnosticReport, by GET and by POST `_search` over the real plugin, as the
 * svc-portal service user (no sensitive chart, no confidential note), with the expected ids read from the seed.
 */
describe(`US Core clinical searches on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let token: string;
  let pat: string;
  let maria: string;
  let leo: string;
  let sam: string;
  const rows = {} as Record<keyof typeof tables, Row[]>;

  before(async () => {
    server = await startSmartServer();
    token = await serviceToken(server, 'user/*.rs');
    pat = await demoPatientId(server, 'Pat', 'Jones');
    maria = await demoPatientId(server, 'Maria', 'Lopez');
    leo = await demoPatientId(server, 'Leo', 'Lopez');
    sam = await demoPatientId(server, 'Sam', 'Rivera');
    for (const [key, table] of Object.entries(tables)) rows[key as keyof typeof tables] = await server.db.knex(table).select('*');
  });
  after(() => server.close());

  /** What svc-portal may see of a table for one patient: not Sam's chart, nothing recorded in a confidential note. */
  const visible = (key: keyof typeof tables, patient: string, keep: (row: Row) => boolean = () => true) => () =>
    rows[key].filter((row) => String(row.patient_id) === patient && patient !== sam && row.document_id == null && keep(row))
      .map((row) => `${prefixes[key] ?? ''}${String(row.id)}`).sort();
  const none = () => [];

  const cases = (): SearchCase[] => [
    { type: 'AllergyIntolerance', query: `patient=${leo}`, expected: visible('allergies', leo) },
    { type: 'AllergyIntolerance', query: `patient=Patient/${leo}`, expected: visible('allergies', leo) },
    { type: 'AllergyIntolerance', query: `patient=${sam}`, expected: none },
    { type: 'AllergyIntolerance', query: `patient=${leo}&clinical-status=active`, expected: visible('allergies', leo) },

    { type: 'Condition', query: `patient=${pat}`, expected: visible('problems', pat) },
    { type: 'Condition', query: `patient=Patient/${pat}`, expected: visible('problems', pat) },
    { type: 'Condition', query: `patient=${sam}`, expected: none },
    { type: 'Condition', query: `patient=${pat}&category=problem-list-item`, expected: visible('problems', pat, (r) => r.category === 'problem-list-item') },
    { type: 'Condition', query: `patient=${pat}&category=${q(`${conditionCategory}|encounter-diagnosis`)}`, expected: visible('problems', pat, (r) => r.category === 'encounter-diagnosis') },
    { type: 'Condition', query: `patient=${pat}&category=${q(`${usCoreConditionCategory}|health-concern`)}`, expected: visible('problems', pat, (r) => r.category === 'health-concern') },
    { type: 'Condition', query: `patient=${pat}&category=${q(`${conditionCategory}|health-concern`)}`, expected: none },
    { type: 'Condition', query: `patient=${pat}&category=problem-list-item,health-concern`, expected: visible('problems', pat, (r) => r.category !== 'encounter-diagnosis') },
    { type: 'Condition', query: `patient=${leo}&clinical-status=resolved`, expected: visible('problems', leo, (r) => r.clinical_status === 'resolved') },
    { type: 'Condition', query: `patient=${pat}&code=${q(`${icd10}|I10`)}`, expected: visible('problems', pat, (r) => r.code === 'I10') },
    { type: 'Condition', query: `patient=${pat}&onset-date=gt2019-06-11`, expected: visible('problems', pat, (r) => String(r.onset_date) > '2019-06-11') },
    { type: 'Condition', query: `patient=${pat}&onset-date=ge2019-06-11`, expected: visible('problems', pat, (r) => String(r.onset_date) >= '2019-06-11') },
    { type: 'Condition', query: `patient=${pat}&onset-date=lt2019-06-11`, expected: visible('problems', pat, (r) => String(r.onset_date) < '2019-06-11') },
    { type: 'Condition', query: `patient=${pat}&onset-date=le2019-06-11`, expected: visible('problems', pat, (r) => String(r.onset_date) <= '2019-06-11') },
    { type: 'Condition', query: `patient=${leo}&abatement-date=ge2026-09-01`, expected: visible('problems', leo, (r) => r.abatement_date === '2026-09-01') },
    { type: 'Condition', query: `patient=${pat}&recorded-date=lt2014-02-11`, expected: visible('problems', pat, (r) => String(r.recorded_at) < '2014-02-11') },

    { type: 'Observation', query: `patient=${maria}&category=vital-signs`, expected: visible('vitals', maria) },
    { type: 'Observation', query: `patient=Patient/${maria}&category=${q(`${obsCategory}|laboratory`)}`, expected: visible('labs', maria) },
    { type: 'Observation', query: `patient=${maria}&category=social-history`, expected: visible('social', maria) },
    { type: 'Observation', query: `patient=${sam}&category=laboratory`, expected: none },
    { type: 'Observation', query: `patient=${maria}&code=8867-4`, expected: visible('vitals', maria, (r) => r.loinc_code === '8867-4') },
    { type: 'Observation', query: `patient=${maria}&code=${q(`${loinc}|718-7`)}`, expected: visible('labs', maria, (r) => r.loinc_code === '718-7') },
    { type: 'Observation', query: `patient=${maria}&code=${q(`${loinc}|2708-6`)}`, expected: visible('vitals', maria, (r) => r.loinc_code === '59408-5') },
    { type: 'Observation', query: `patient=${maria}&code=72166-2,85354-9`, expected: () => [...visible('social', maria)(), ...visible('vitals', maria, (r) => r.loinc_code === '85354-9')()].sort() },
    { type: 'Observation', query: `patient=${maria}&category=laboratory&date=ge2026-04-02`, expected: visible('labs', maria) },
    { type: 'Observation', query: `patient=${maria}&category=laboratory&date=gt2026-04-02`, expected: none },
    { type: 'Observation', query: `patient=${maria}&category=laboratory&date=gt2026-04-01`, expected: visible('labs', maria) },
    { type: 'Observation', query: `patient=${maria}&category=laboratory&date=lt2026-04-02`, expected: none },
    { type: 'Observation', query: `patient=${maria}&category=laboratory&date=le2026-04-02`, expected: visible('labs', maria) },
    { type: 'Observation', query: `patient=${maria}&category=laboratory&status=final,amended`, expected: visible('labs', maria) },
    { type: 'Observation', query: `patient=${maria}&category=laboratory&status=preliminary`, expected: none },

    { type: 'MedicationRequest', query: `patient=${pat}&intent=order`, expected: visible('orders', pat) },
    { type: 'MedicationRequest', query: `patient=Patient/${pat}&intent=${q(`${intentSystem}|order`)}`, expected: visible('orders', pat) },
    { type: 'MedicationRequest', query: `patient=${pat}&intent=plan`, expected: none },
    { type: 'MedicationRequest', query: `patient=${pat}&intent=order,plan&status=active`, expected: visible('orders', pat) },
    { type: 'MedicationRequest', query: `patient=${pat}&intent=order&status=completed,stopped`, expected: none },
    { type: 'MedicationRequest', query: `patient=${sam}&intent=order`, expected: none },
    { type: 'MedicationRequest', query: `patient=${maria}&intent=order&authoredon=ge2026-04-02`, expected: visible('orders', maria) },
    { type: 'MedicationRequest', query: `patient=${maria}&intent=order&authoredon=gt2026-04-02`, expected: none },
    { type: 'MedicationRequest', query: `patient=${maria}&intent=order&authoredon=lt2026-04-02`, expected: none },
    { type: 'MedicationRequest', query: `patient=${maria}&intent=order&authoredon=le2026-04-02`, expected: visible('orders', maria) },

    { type: 'Immunization', query: `patient=${maria}`, expected: visible('immunizations', maria) },
    { type: 'Immunization', query: `patient=Patient/${maria}`, expected: visible('immunizations', maria) },
    { type: 'Immunization', query: `patient=${sam}`, expected: none },
    { type: 'Immunization', query: `patient=${maria}&date=gt2024-04-02`, expected: visible('immunizations', maria, (r) => r.cvx_code === '140') },
    { type: 'Immunization', query: `patient=${maria}&date=ge2024-04-02`, expected: visible('immunizations', maria) },
    { type: 'Immunization', query: `patient=${maria}&date=lt2025-10-15`, expected: visible('immunizations', maria, (r) => r.cvx_code === '115') },
    { type: 'Immunization', query: `patient=${maria}&date=le2025-10-15`, expected: visible('immunizations', maria) },
    { type: 'Immunization', query: `patient=${maria}&status=completed`, expected: visible('immunizations', maria) },

    { type: 'Procedure', query: `patient=${pat}`, expected: visible('procedures', pat) },
    { type: 'Procedure', query: `patient=Patient/${pat}`, expected: visible('procedures', pat) },
    { type: 'Procedure', query: `patient=${sam}`, expected: none },
    { type: 'Procedure', query: `patient=${pat}&date=gt2024-03-05`, expected: visible('procedures', pat, (r) => String(r.performed_at) >= '2024-03-06') },
    { type: 'Procedure', query: `patient=${pat}&date=ge2024-03-05`, expected: visible('procedures', pat, (r) => String(r.performed_at) >= '2024-03-05') },
    { type: 'Procedure', query: `patient=${pat}&date=lt2024-03-05`, expected: visible('procedures', pat, (r) => String(r.performed_at) < '2024-03-05') },
    { type: 'Procedure', query: `patient=${pat}&date=le2024-03-05`, expected: visible('procedures', pat, (r) => String(r.performed_at) < '2024-03-06') },
    { type: 'Procedure', query: `patient=${pat}&code=${q(`${snomed}|73761001`)}`, expected: visible('procedures', pat, (r) => r.code === '73761001') },

    { type: 'DiagnosticReport', query: `patient=${leo}`, expected: visible('reports', leo) },
    { type: 'DiagnosticReport', query: `patient=Patient/${leo}`, expected: visible('reports', leo) },
    { type: 'DiagnosticReport', query: `patient=${sam}`, expected: none },
    { type: 'DiagnosticReport', query: `patient=${leo}&category=LAB`, expected: visible('reports', leo) },
    { type: 'DiagnosticReport', query: `patient=${leo}&category=${q(`${v20074}|LAB`)}`, expected: visible('reports', leo) },
    { type: 'DiagnosticReport', query: `patient=${leo}&category=laboratory`, expected: none },
    { type: 'DiagnosticReport', query: `patient=${leo}&code=58410-2`, expected: visible('reports', leo) },
    { type: 'DiagnosticReport', query: `patient=${leo}&code=${q(`${loinc}|57698-3`)}`, expected: none },
    { type: 'DiagnosticReport', query: `patient=${leo}&category=LAB&date=gt2026-05-11`, expected: visible('reports', leo) },
    { type: 'DiagnosticReport', query: `patient=${leo}&category=LAB&date=ge2026-05-12`, expected: visible('reports', leo) },
    { type: 'DiagnosticReport', query: `patient=${leo}&category=LAB&date=lt2026-05-12`, expected: none },
    { type: 'DiagnosticReport', query: `patient=${leo}&category=LAB&date=le2026-05-12`, expected: visible('reports', leo) },
  ];

  it('answers every search by GET and by POST with exactly the seed ids, valid and labelled', async () => {
    const all = cases();
    // Guards the table itself: empty expectations are the deliberate negative cases only.
    assert.equal(all.filter((c) => c.expected().length === 0).length, 18);
    await assertSearchCases(server, token, all);
  });

  it('pages Observation across its three tables by next links, each match once', async () => {
    const expected = [...visible('labs', pat)(), ...visible('social', pat)(), ...visible('vitals', pat)()].sort();
    const outcome = await searchAll(server, 'Observation', `patient=${pat}&_count=4`, token);
    assert.equal(outcome.total, expected.length);
    assert.equal(outcome.pages, Math.ceil(expected.length / 4));
    assert.deepEqual(idsOf(outcome.matches), expected);
    assert.equal(new Set(outcome.matches.map((r) => r.id)).size, expected.length);
  });

  it('_include=MedicationRequest:medication adds the formulary Medications', async () => {
    const medications = [...new Set(rows.orders.filter((r) => String(r.patient_id) === pat).map((r) => String(r.medication_id)))].sort();
    for (const via of ['GET', 'POST'] as const) {
      const outcome = await searchAll(server, 'MedicationRequest', `patient=${pat}&intent=order&_include=MedicationRequest:medication`, token, via);
      assert.deepEqual(idsOf(outcome.included), medications, via);
      assert.ok(outcome.included.every((r) => r.resourceType === 'Medication'));
    }
  });

  it('_revinclude=Provenance:target adds one Provenance per match, for each clinical type', async () => {
    for (const [type, key, query] of [
      ['AllergyIntolerance', 'allergies', `patient=${leo}`], ['Condition', 'problems', `patient=${leo}`],
      ['Observation', 'labs', `patient=${leo}&category=laboratory`], ['MedicationRequest', 'orders', `patient=${leo}&intent=order`],
      ['Immunization', 'immunizations', `patient=${leo}`], ['Procedure', 'procedures', `patient=${leo}`],
      ['DiagnosticReport', 'reports', `patient=${leo}`],
    ] as const) {
      const outcome = await searchAll(server, type, `${query}&_revinclude=Provenance:target`, token);
      assert.deepEqual(idsOf(outcome.included), visible(key, leo)().map((id) => `${type}-${id}`).sort(), type);
      for (const provenance of outcome.included) assertLabelledAndValid(provenance);
    }
  });

  it('reads each type by id; Sam\'s chart and other ids answer 404', async () => {
    const reads: Array<[string, string]> = [
      ['AllergyIntolerance', visible('allergies', maria)()[0]!], ['Condition', visible('problems', maria)()[0]!],
      ['Observation', visible('vitals', maria)()[0]!], ['Observation', visible('labs', maria)()[0]!],
      ['Observation', visible('social', maria)()[0]!], ['MedicationRequest', visible('orders', maria)()[0]!],
      ['Immunization', visible('immunizations', maria)()[0]!], ['Procedure', visible('procedures', maria)()[0]!],
      ['DiagnosticReport', visible('reports', maria)()[0]!],
    ];
    for (const [type, id] of reads) {
      const res = await fhirGet(server, `${type}/${id}`, token);
      assert.equal(res.status, 200, `${type}/${id}: ${res.text}`);
      assert.equal(res.body.resourceType, type);
      assert.equal(res.body.id, id);
      assertLabelledAndValid(res.body as FhirResource);
    }
    const samsProblem = rows.problems.find((r) => String(r.patient_id) === sam)!;
    const samsLab = rows.labs.find((r) => String(r.patient_id) === sam)!;
    for (const path of [`Condition/${String(samsProblem.id)}`, `Observation/lab-${String(samsLab.id)}`, `Observation/${String(samsLab.id)}`,
      'Observation/vital-999999', 'DiagnosticReport/abc']) {
      assert.equal((await fhirGet(server, path, token)).status, 404, path);
    }
  });
});
