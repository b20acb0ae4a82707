import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { assertOutcome, FHIR_PATH, fhirGet, fhirPostSearch, idsOf, searchAll, serviceToken } from '../support/fhir-requests.ts';
import { demoPatientId, FHIR_BASE, ISSUER, startSmartServer, type SmartServer } from '../support/smart-server.ts';

/** The REST details of issue 4: errors, paging, POST search, ETags, includes, CORS and the CapabilityStatement. */
describe(`FHIR REST surface on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let token: string;
  let pat: string;

  before(async () => {
    server = await startSmartServer();
    token = await serviceToken(server, 'user/*.rs');
    pat = await demoPatientId(server, 'Pat', 'Jones');
  });
  after(() => server.close());

  it('serves a valid R4 CapabilityStatement without a token, generated from the providers, with the SMART security extension', async () => {
    const res = await request(server.app).get(`${FHIR_PATH}/metadata`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    const cs = res.body;
    assertValidR4(cs);
    assert.equal(cs.fhirVersion, '4.0.1');
    assert.deepEqual(cs.format, ['json']);
    assert.deepEqual(cs.instantiates, ['http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server']);
    const rest = cs.rest[0];
    assert.deepEqual(rest.security.service[0].coding[0].code, 'SMART-on-FHIR');
    const uris = Object.fromEntries(rest.security.extension[0].extension.map((e: { url: string; valueUri: string }) => [e.url, e.valueUri]));
    assert.deepEqual(uris, { authorize: `${ISSUER}/authorize`, token: `${ISSUER}/token`, revoke: `${ISSUER}/revoke`, introspect: `${ISSUER}/introspect` });
    const byType = new Map<string, { interaction: Array<{ code: string }>; searchParam?: Array<{ name: string }>; searchInclude?: string[]; searchRevInclude?: string[]; supportedProfile?: string[] }>(
      rest.resource.map((r: { type: string }) => [r.type, r]));
    const interactions = (type: string) => byType.get(type)?.interaction.map((i) => i.code);
    assert.deepEqual(interactions('Patient'), ['read', 'search-type', 'update']);
    assert.deepEqual(interactions('Appointment'), ['read', 'search-type', 'create']);
    assert.deepEqual(interactions('Condition'), ['read', 'search-type']);
    assert.deepEqual(interactions('Binary'), ['read']);
    assert.ok(byType.get('Patient')?.supportedProfile?.includes('http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'));
    assert.deepEqual(byType.get('MedicationRequest')?.searchInclude, ['MedicationRequest:medication']);
    assert.deepEqual(byType.get('Condition')?.searchRevInclude, ['Provenance:target']);
    assert.ok(byType.get('Condition')?.searchParam?.some((p) => p.name === 'patient'));
  });

  it('answers 401 with a Bearer challenge for a missing, malformed or unknown token', async () => {
    const missing = await fhirGet(server, `Patient/${pat}`, undefined);
    assertOutcome(missing, 401, 'login', 'An access token is required (Authorization: Bearer).');
    assert.equal(missing.headers['www-authenticate'], `Bearer realm="${FHIR_BASE}"`);
    const basic = await request(server.app).get(`${FHIR_PATH}/Patient/${pat}`).set('Authorization', 'Basic abc');
    assertOutcome(basic, 401, 'login');
    assert.equal(basic.headers['www-authenticate'], `Bearer realm="${FHIR_BASE}", error="invalid_request"`);
    const forged = await fhirGet(server, `Patient/${pat}`, `${token.slice(0, -4)}AAAA`);
    assertOutcome(forged, 401, 'login', 'The access token is invalid, expired or revoked.');
    assert.equal(forged.headers['www-authenticate'], `Bearer realm="${FHIR_BASE}", error="invalid_token"`);
  });

  it('answers an OperationOutcome for unknown types, malformed ids, bad parameters and unsupported interactions', async () => {
    assertOutcome(await fhirGet(server, 'Spaceship/1', token), 404, 'not-supported');
    assertOutcome(await fhirGet(server, 'patient/1', token), 404, 'not-supported');
    assertOutcome(await fhirGet(server, 'Patient/a_b', token), 400, 'invalid', /is not a valid Patient id/);
    assertOutcome(await fhirGet(server, `Patient/${'1'.repeat(65)}`, token), 400, 'invalid');
    assertOutcome(await fhirGet(server, 'Patient?colour=blue', token), 400, 'invalid', 'Unknown search parameter "colour" for Patient.');
    assertOutcome(await fhirGet(server, 'Patient?_sort=name', token), 400, 'invalid', 'The search parameter _sort is not supported.');
    // The message names the parameter, never its value (a birth date, a name): the body may end up in an app's log.
    assertOutcome(await fhirGet(server, 'Patient?birthdate=2020-13-01', token), 400, 'invalid',
      'birthdate: not a date this server understands (eq, ne, gt, lt, ge or le, then YYYY[-MM[-DD[Thh:mm[:ss][Z|±hh:mm]]]]).');
    assertOutcome(await fhirGet(server, 'Condition?patient=Patient/x_y', token), 400, 'invalid', 'patient: not a valid reference (id, Type/id or a URL).');
    assertOutcome(await fhirGet(server, 'Patient?birthdate=sa2020', token), 400, 'invalid', /not a date/);
    assertOutcome(await fhirGet(server, 'Patient?name:fuzzy=x', token), 400, 'invalid', 'The modifier :fuzzy is not supported on name.');
    assertOutcome(await fhirGet(server, 'Condition?patient=Practitioner/1', token), 400, 'invalid');
    assertOutcome(await fhirGet(server, 'Condition?_include=Condition:subject', token), 400, 'invalid');
    assertOutcome(await fhirGet(server, 'Patient?_count=many', token), 400, 'invalid');
    assertOutcome(await fhirGet(server, 'Patient?_format=xml', token), 406, 'not-supported');
    assertOutcome(await fhirGet(server, `Patient/${pat}`, token).set('Accept', 'application/fhir+xml'), 406, 'not-supported');
    assert.equal((await fhirGet(server, `Patient/${pat}`, token).set('Accept', 'text/html,*/*;q=0.8')).status, 200);
    assert.equal((await fhirGet(server, 'Patient?name=lopez&_pretty=true', token)).status, 200);
    const xmlBody = await request(server.app).put(`${FHIR_PATH}/Patient/${pat}`).set('Authorization', `Bearer ${token}`)
      .type('application/fhir+xml').send('<Patient/>');
    assertOutcome(xmlBody, 415, 'not-supported');
    assertOutcome(await fhirGet(server, `Patient/${pat}/_history`, token), 404, 'not-found');
    const del = await request(server.app).delete(`${FHIR_PATH}/Patient/${pat}`).set('Authorization', `Bearer ${token}`);
    assertOutcome(del, 405, 'not-supported');
    assert.equal(del.headers.allow, 'GET, HEAD, PUT');
    const post = await request(server.app).post(`${FHIR_PATH}/Condition`).set('Authorization', `Bearer ${token}`).send({ resourceType: 'Condition' });
    assertOutcome(post, 405, 'not-supported');
    assert.equal(post.headers.allow, 'GET, HEAD');
    const getSearch = await fhirGet(server, 'Patient/_search', token);
    assertOutcome(getSearch, 405, 'not-supported');
  });

  it('reads with an ETag, answers 304 to If-None-Match, and never lets PHI be cached', async () => {
    const read = await fhirGet(server, `Patient/${pat}`, token);
    assert.equal(read.status, 200);
    assert.equal(read.headers['cache-control'], 'no-store');
    assert.match(String(read.headers.etag), /^W\/"[A-Za-z0-9_-]{22}"$/);
    assertValidR4(read.body);
    const again = await fhirGet(server, `Patient/${pat}`, token).set('If-None-Match', String(read.headers.etag));
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    const stale = await fhirGet(server, `Patient/${pat}`, token).set('If-None-Match', 'W/"something-else"');
    assert.equal(stale.status, 200);
    const head = await request(server.app).head(`${FHIR_PATH}/Patient/${pat}`).set('Authorization', `Bearer ${token}`);
    assert.equal(head.status, 200);
    assert.equal(head.headers.etag, read.headers.etag);
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(read.text)));
    assert.equal(head.text, undefined);
    const search = await fhirGet(server, 'Patient?name=lopez', token);
    assert.equal(search.headers.etag, undefined, 'a search Bundle carries no ETag');
  });

  it('POST _search gives the same results as GET, and parameters may be split between URL and body', async () => {
    const byGet = await searchAll(server, 'Patient', 'name=lopez', token);
    const byPost = await searchAll(server, 'Patient', 'name=lopez', token, 'POST');
    assert.equal(byGet.total, 3);
    assert.deepEqual(idsOf(byPost.matches), idsOf(byGet.matches));
    const split = await request(server.app).post(`${FHIR_PATH}/Patient/_search?gender=male`).set('Authorization', `Bearer ${token}`)
      .type('form').send('name=lopez');
    assert.equal(split.status, 200);
    assert.deepEqual(split.body.entry.map((e: { resource: { name: Array<{ given: string[] }> } }) => e.resource.name[0]?.given[0]), ['Leo']);
    const json = await request(server.app).post(`${FHIR_PATH}/Patient/_search`).set('Authorization', `Bearer ${token}`).send({ name: 'lopez' });
    assertOutcome(json, 415, 'not-supported');
  });

  it('pages with opaque cursors that carry no search values, bound to the token that searched', async () => {
    const first = await fhirPostSearch(server, 'Patient', 'name=Lopez&birthdate=ge2000-01-01&_count=1', token);
    assert.equal(first.status, 200);
    assert.equal(first.body.total, 2);
    assert.equal(first.body.entry.length, 1);
    const links = first.body.link as Array<{ relation: string; url: string }>;
    assert.deepEqual(links.map((l) => l.relation), ['self', 'next']);
    for (const link of links) {
      assert.match(link.url, /^http:\/\/localhost:3000\/smart\/fhir\/Patient\?_page=[A-Za-z0-9_-]+\.\d+$/);
      assert.doesNotMatch(link.url, /lopez|2000|birthdate/i);
    }
    const next = links[1]!.url.slice(FHIR_BASE.length + 1);
    const second = await fhirGet(server, next, token);
    assert.equal(second.status, 200);
    assert.equal(second.body.entry.length, 1);
    assert.notEqual(second.body.entry[0].resource.id, first.body.entry[0].resource.id);
    assert.deepEqual(second.body.link.map((l: { relation: string }) => l.relation), ['self', 'previous']);
    const otherToken = await serviceToken(server, 'user/*.rs');
    assertOutcome(await fhirGet(server, next, otherToken), 400, 'invalid', /not valid for this access token/);
    const [sealed, offset] = next.split('.') as [string, string];
    const flipped = `${sealed.slice(0, 40)}${sealed[40] === 'A' ? 'B' : 'A'}${sealed.slice(41)}`;
    assertOutcome(await fhirGet(server, `${flipped}.${offset}`, token), 400, 'invalid');
    assertOutcome(await fhirGet(server, `${sealed}.x`, token), 400, 'invalid');
    const again = await fhirGet(server, `${sealed}.0`, token);
    assert.equal(again.body.entry[0].resource.id, first.body.entry[0].resource.id, 'the offset beside the seal pages within the same search');
    assertOutcome(await fhirGet(server, `${next}&name=x`, token), 400, 'invalid');
    const none = await fhirGet(server, 'Patient?name=lopez&_count=0', token);
    assert.equal(none.body.total, 3);
    assert.equal(none.body.entry, undefined);
    const capped = await fhirGet(server, 'Observation?_count=100000', token);
    assert.equal(capped.status, 200);
  });

  it('follows _include and _revinclude=Provenance:target through the same checks', async () => {
    const orders = await searchAll(server, 'MedicationRequest', `patient=${pat}&intent=order&_include=MedicationRequest:medication`, token);
    assert.ok(orders.matches.length > 0);
    const wanted = new Set(orders.matches.map((m) => (m.medicationReference as { reference: string }).reference));
    assert.deepEqual(new Set(orders.included.map((r) => `${r.resourceType}/${r.id}`)), wanted);
    const conditions = await searchAll(server, 'Condition', `patient=${pat}&_revinclude=Provenance:target`, token);
    assert.equal(conditions.included.length, conditions.matches.length);
    const targets = conditions.included.map((p) => ((p.target as Array<{ reference: string }>)[0]?.reference)).sort();
    assert.deepEqual(targets, conditions.matches.map((c) => `Condition/${c.id}`).sort());
    conditions.included.forEach(assertValidR4);
    // Without a Medication scope the include adds nothing (it never widens the token).
    const narrow = await serviceToken(server, 'user/MedicationRequest.rs');
    const narrowed = await searchAll(server, 'MedicationRequest', `patient=${pat}&intent=order&_include=MedicationRequest:medication`, narrow);
    assert.equal(narrowed.matches.length, orders.matches.length);
    assert.equal(narrowed.included.length, 0);
  });

  it('answers CORS preflights and exposes ETag to browser apps', async () => {
    const preflight = await request(server.app).options(`${FHIR_PATH}/Patient/${pat}`)
      .set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'GET');
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/);
    const read = await fhirGet(server, `Patient/${pat}`, token).set('Origin', 'https://app.example');
    assert.equal(read.headers['access-control-allow-origin'], '*');
    assert.match(String(read.headers['access-control-expose-headers']), /ETag/);
    assert.equal(read.headers['access-control-allow-credentials'], undefined);
  });
});

describe('FHIR over plain HTTP outside development', () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer({ development: false, publicUrl: 'https://ehr.example/smart' });
  });
  after(() => server.close());

  it('is refused with an OperationOutcome unless the request came over TLS', async () => {
    assertOutcome(await request(server.app).get(`${FHIR_PATH}/metadata`), 403, 'security', 'This FHIR API is served over HTTPS only.');
    // The test app trusts its loopback proxy, as a host behind a TLS terminator would.
    const tls = await request(server.app).get(`${FHIR_PATH}/metadata`).set('X-Forwarded-Proto', 'https');
    assert.equal(tls.status, 200);
    assert.equal(tls.body.url, 'https://ehr.example/smart/fhir/metadata');
  });
});
