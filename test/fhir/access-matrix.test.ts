import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createSmartPlugin, type FhirResource } from '../../src/index.ts';
import { createSampleProviders } from '../../samples/host-ehr/fhir/index.ts';
import { assertOutcome, fhirGet, searchAll, serviceToken, userToken } from '../support/fhir-requests.ts';
import { portalToken, startPortalServer, type PortalServer } from '../support/portal-sign-in.ts';
import { demoPatientId, ORIGIN, TEST_SECRET } from '../support/smart-server.ts';
import { backendClientKey, clientAssertion, clientCredentials } from '../support/token-requests.ts';

const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const DOCUMENT_TYPES = `${ORIGIN}/smart/fhir/CodeSystem/confidential-document-type`;
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

function labelsOf(resource: FhirResource): string[] {
  return (resource.meta?.security ?? []).map((c) => `${c.system}|${c.code}`);
}

/** The allow and deny matrix of issue 4 for the seeded users, through the real HTTP surface (DESIGN §5). */
describe(`FHIR access matrix on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: PortalServer;
  const patients: Record<'pat' | 'maria' | 'leo' | 'mia' | 'sam', string> = { pat: '', maria: '', leo: '', mia: '', sam: '' };
  let samNote = '';
  let patGeneticNote = '';

  before(async () => {
    server = await startPortalServer();
    patients.pat = await demoPatientId(server, 'Pat', 'Jones');
    patients.maria = await demoPatientId(server, 'Maria', 'Lopez');
    patients.leo = await demoPatientId(server, 'Leo', 'Lopez');
    patients.mia = await demoPatientId(server, 'Mia', 'Lopez');
    patients.sam = await demoPatientId(server, 'Sam', 'Rivera');
    const note = (patient: string, type: string) => server.db.knex('ehr_documents as d')
      .join('ehr_document_types as t', 't.id', 'd.document_type_id')
      .where({ 'd.patient_id': Number(patient), 't.name': type }).first('d.id');
    samNote = String((await note(patients.sam, 'Behavioral Health')).id);
    patGeneticNote = String((await note(patients.pat, 'Genetic Counseling')).id);
  });
  after(() => server.close());

  it('frontdesk reads Patient but gets 403 on Observation', async () => {
    const { token } = await userToken(server, { login: 'frontdesk', scope: 'openid fhirUser user/Patient.rs user/Observation.rs' });
    const patient = await fhirGet(server, `Patient/${patients.pat}`, token);
    assert.equal(patient.status, 200, patient.text);
    assert.equal(patient.body.id, patients.pat);
    assertOutcome(await fhirGet(server, `Observation?patient=${patients.pat}`, token), 403, 'forbidden');
    assertOutcome(await fhirGet(server, `Observation/lab-1`, token), 403, 'forbidden');
  });

  it('provider reads charts, but neither Sam\'s sensitive chart nor his Behavioral Health note: 404 like a missing id', async () => {
    const { token } = await userToken(server, { login: 'provider', scope: 'openid fhirUser user/*.rs' });
    const conditions = await searchAll(server, 'Condition', `patient=${patients.pat}`, token);
    assert.ok(conditions.total > 0);
    assert.ok(conditions.matches.every((c) => labelsOf(c).includes(`${CONFIDENTIALITY}|N`)));
    const sam = await fhirGet(server, `Patient/${patients.sam}`, token);
    const missing = await fhirGet(server, 'Patient/987654', token);
    assert.equal(sam.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(sam.text, missing.text.replace('987654', patients.sam), 'a hidden chart answers exactly like a missing one');
    assertOutcome(await fhirGet(server, `DocumentReference/${samNote}`, token), 404, 'not-found');
    assert.equal((await fhirGet(server, `Binary/${samNote}`, token)).status, 404);
    assert.equal((await searchAll(server, 'Condition', `patient=${patients.sam}`, token)).total, 0);
    // Genetic Counseling is confidential by type, and the Provider role may read it: labelled R with the site code.
    const genetic = await fhirGet(server, `DocumentReference/${patGeneticNote}`, token);
    assert.equal(genetic.status, 200, genetic.text);
    assert.deepEqual(labelsOf(genetic.body), [`${CONFIDENTIALITY}|R`, `${DOCUMENT_TYPES}|Genetic Counseling`]);
  });

  it('sensitive-provider reads Sam\'s chart and his Behavioral Health note, labelled restricted', async () => {
    const { token } = await userToken(server, { login: 'sensitive-provider', scope: 'openid fhirUser user/*.rs' });
    const sam = await fhirGet(server, `Patient/${patients.sam}`, token);
    assert.equal(sam.status, 200, sam.text);
    assert.deepEqual(labelsOf(sam.body), [`${CONFIDENTIALITY}|R`]);
    const note = await fhirGet(server, `DocumentReference/${samNote}`, token);
    assert.equal(note.status, 200, note.text);
    assert.deepEqual(labelsOf(note.body), [`${CONFIDENTIALITY}|R`, `${DOCUMENT_TYPES}|Behavioral Health`]);
    const binary = await fhirGet(server, `Binary/${samNote}`, token).set('Accept', 'application/fhir+json');
    assert.equal(binary.status, 200, binary.text);
    assert.equal(binary.body.resourceType, 'Binary');
    // Without a FHIR format asked for, a Binary is its content itself (R4 binary.html), sandboxed.
    const stored = await server.db.knex('ehr_documents').where({ id: Number(samNote) }).first('content', 'content_type');
    const native = await fhirGet(server, `Binary/${samNote}`, token).set('Accept', '*/*');
    assert.equal(native.status, 200);
    assert.equal(String(native.headers['content-type']).split(';')[0], stored.content_type);
    assert.equal(native.headers['content-security-policy'], "default-src 'none'; sandbox");
    assert.equal(native.headers['cache-control'], 'no-store');
    assert.equal(native.text, stored.content);
    const conditions = await searchAll(server, 'Condition', `patient=${patients.sam}`, token);
    const codes = conditions.matches.map((c) => (c.code as { coding: Array<{ code: string }> }).coding[0]?.code).sort();
    assert.deepEqual(codes, ['F32.1', 'F41.1', 'I42.1', 'Z56.0'], 'the diagnoses written in the note are visible too');
  });

  it('Maria\'s token for Leo reads Leo, and neither Mia nor Pat (404); searches stay in Leo\'s chart', async () => {
    const { token, scope } = await portalToken(server, 'maria@example.com', patients.leo, 'patient/Patient.rs patient/Condition.rs');
    assert.equal(scope, 'launch/patient patient/Patient.rs patient/Condition.rs');
    assert.equal((await fhirGet(server, `Patient/${patients.leo}`, token)).status, 200);
    assertOutcome(await fhirGet(server, `Patient/${patients.mia}`, token), 404, 'not-found');
    assertOutcome(await fhirGet(server, `Patient/${patients.pat}`, token), 404, 'not-found');
    assert.equal((await searchAll(server, 'Condition', `patient=${patients.mia}`, token)).total, 0);
    const own = await searchAll(server, 'Condition', '', token);
    const expected = await server.db.knex('ehr_problems').where('patient_id', Number(patients.leo)).count({ n: '*' }).first();
    assert.equal(own.total, Number(expected?.n));
    assert.ok(own.matches.every((c) => (c.subject as { reference: string }).reference === `Patient/${patients.leo}`));
    const miaCondition = await server.db.knex('ehr_problems').where('patient_id', Number(patients.mia)).first('id');
    assertOutcome(await fhirGet(server, `Condition/${miaCondition.id}`, token), 404, 'not-found');
  });

  it('reads a note\'s Binary with a DocumentReference scope alone: Binary follows its owning document', async () => {
    const { token } = await userToken(server, {
      login: 'provider', patientName: 'jones', scope: 'launch/patient patient/DocumentReference.rs',
    });
    const notes = await searchAll(server, 'DocumentReference', `patient=${patients.pat}`, token);
    const url = (notes.matches[0]?.content as Array<{ attachment: { url: string } }>)[0]?.attachment.url;
    assert.match(String(url), /^Binary\/\d+$/);
    const binary = await fhirGet(server, `${String(url)}?_format=json`, token);
    assert.equal(binary.status, 200, binary.text);
    assert.equal(binary.body.resourceType, 'Binary');
    assertOutcome(await fhirGet(server, `Binary/${samNote}`, token), 404, 'not-found');
    assertOutcome(await fhirGet(server, `Condition?patient=${patients.pat}`, token), 403, 'forbidden');
  });

  it('svc-scheduling cannot read Conditions although its role can: its own permission was revoked', async () => {
    const token = await serviceToken(server, 'user/Condition.rs user/Appointment.rs', 'svc-scheduling');
    assertOutcome(await fhirGet(server, `Condition?patient=${patients.pat}`, token), 403, 'forbidden');
    const appointments = await fhirGet(server, `Appointment?patient=${patients.pat}`, token);
    assert.equal(appointments.status, 200, appointments.text);
    // The same role without the revocation reads them.
    const portalService = await serviceToken(server, 'user/Condition.rs', 'svc-portal');
    assert.equal((await fhirGet(server, `Condition?patient=${patients.pat}`, portalService)).status, 200);
  });

  it('a granular patient/Observation.rs?category=laboratory token sees only laboratory results', async () => {
    const { token, patient } = await userToken(server, {
      login: 'provider', patientName: 'jones',
      scope: `launch/patient patient/Patient.rs patient/Observation.rs?category=${OBSERVATION_CATEGORY}|laboratory`,
    });
    assert.equal(patient, patients.pat);
    const all = await searchAll(server, 'Observation', `patient=${patients.pat}`, token);
    const labs = await server.db.knex('ehr_lab_results').where('patient_id', Number(patients.pat)).count({ n: '*' }).first();
    assert.equal(all.total, Number(labs?.n));
    assert.ok(all.total > 0);
    for (const observation of all.matches) {
      const categories = (observation.category as Array<{ coding: Array<{ code: string }> }>).flatMap((c) => c.coding.map((x) => x.code));
      assert.deepEqual(categories, ['laboratory']);
    }
    assert.equal((await searchAll(server, 'Observation', `patient=${patients.pat}&category=vital-signs`, token)).total, 0);
    const vital = await server.db.knex('ehr_vitals').where('patient_id', Number(patients.pat)).first('id');
    assertOutcome(await fhirGet(server, `Observation/vital-${vital.id}`, token), 404, 'not-found');
  });

  it('an EHR permission withdrawn, or a user deactivated, after the token was issued stops it (at once with invalidate)', async () => {
    const token = await serviceToken(server, 'user/Condition.rs', 'svc-portal');
    assert.equal((await fhirGet(server, `Condition?patient=${patients.pat}`, token)).status, 200);
    const knex = server.db.knex;
    const userId = await server.userId('svc-portal');
    const viewCharts = (await knex('ehr_permissions').where({ name: 'View Charts' }).first('id')).id;
    await knex('ehr_user_permission_overrides').insert({ user_id: Number(userId), permission_id: viewCharts, effect: 'revoke' });
    try {
      server.plugin.hostDirectory.invalidate(userId);
      const refused = await fhirGet(server, `Condition?patient=${patients.pat}`, token);
      assertOutcome(refused, 403, 'forbidden');
      assert.equal(refused.body.issue[0].diagnostics, 'The user\'s EHR permissions do not allow search on Condition.');
    } finally {
      await knex('ehr_user_permission_overrides').where({ user_id: Number(userId), permission_id: viewCharts }).delete();
      server.plugin.hostDirectory.invalidate(userId);
    }
    assert.equal((await fhirGet(server, `Condition?patient=${patients.pat}`, token)).status, 200);
    await knex('ehr_users').where({ id: Number(userId) }).update({ is_active: false });
    try {
      server.plugin.hostDirectory.invalidate(userId);
      const stopped = await fhirGet(server, `Condition?patient=${patients.pat}`, token);
      assertOutcome(stopped, 401, 'login');
      assert.equal(stopped.headers['www-authenticate'], `Bearer realm="${ORIGIN}/smart/fhir", error="invalid_token"`);
    } finally {
      await knex('ehr_users').where({ id: Number(userId) }).update({ is_active: true });
      server.plugin.hostDirectory.invalidate(userId);
    }
  });

  it('a backend service (system/ scopes) acts with its service user\'s EHR permissions: every chart but the sensitive one', async () => {
    const res = await clientCredentials(server, await clientAssertion({ key: await backendClientKey() }), 'system/Patient.rs system/Condition.rs');
    assert.equal(res.status, 200, res.text);
    const token = res.body.access_token as string;
    const everyone = await searchAll(server, 'Patient', '', token);
    assert.deepEqual(everyone.matches.map((p) => p.id).sort(), [patients.pat, patients.maria, patients.leo, patients.mia].sort());
    assertOutcome(await fhirGet(server, `Patient/${patients.sam}`, token), 404, 'not-found');
    assert.equal((await fhirGet(server, `Condition?patient=${patients.mia}`, token)).status, 200);
    assertOutcome(await fhirGet(server, `Observation?patient=${patients.mia}`, token), 403, 'forbidden');
  });

  it('a revoked token stops at once on this instance', async () => {
    const { token } = await userToken(server, { login: 'provider', scope: 'openid fhirUser user/Patient.rs' });
    assert.equal((await fhirGet(server, `Patient/${patients.pat}`, token)).status, 200);
    const revoked = await request(server.app).post('/smart/auth/revoke').type('form').send({ token, client_id: 'demo-app' });
    assert.equal(revoked.status, 200, revoked.text);
    const res = await fhirGet(server, `Patient/${patients.pat}`, token);
    assertOutcome(res, 401, 'login');
    assert.equal(res.headers['www-authenticate'], `Bearer realm="${ORIGIN}/smart/fhir", error="invalid_token"`);
  });

  it('a token revoked through another instance stops within seconds', async () => {
    const other = await createSmartPlugin({
      secret: TEST_SECRET, knex: server.db.knex, publicUrl: `${ORIGIN}/smart`, development: true,
      fhirResources: createSampleProviders(server.db.knex),
    });
    try {
      const { token } = await userToken(server, { login: 'provider', scope: 'openid fhirUser user/Patient.rs' });
      assert.equal((await fhirGet(server, `Patient/${patients.pat}`, token)).status, 200);
      const otherApp = (await import('express')).default().use('/smart', other.router);
      const revoked = await request(otherApp).post('/smart/auth/revoke').type('form').send({ token, client_id: 'demo-app' });
      assert.equal(revoked.status, 200);
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 5000) {
        status = (await fhirGet(server, `Patient/${patients.pat}`, token)).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(status, 401);
      assert.ok(Date.now() - started < 3000, `stopped after ${Date.now() - started} ms (fhir.tokenCheckTtlMs is 2000)`);
    } finally {
      await other.close();
    }
  });
});
