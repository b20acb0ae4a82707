import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import request from 'supertest';
import type { createSmartPlugin as CreateSmartPlugin } from '../../src/index.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { createSampleProviders } from '../../samples/host-ehr/fhir/index.ts';

/** An Express module as a host imports it (4 or 5). */
export interface ExpressModule {
  (): import('express').Express;
  urlencoded(options?: object): import('express').RequestHandler;
}

/**
 * The same mounting checks for any Express major: two plugin instances at different paths, host routes
 * beside and after them untouched, and each instance answering with its own configuration.
 */
export async function checkMounting(express: ExpressModule, createSmartPlugin: typeof CreateSmartPlugin, knex: Knex): Promise<void> {
  const app = express();
  // A host behind a TLS-terminating proxy on this machine says so; the FHIR API serves TLS requests only.
  (app as unknown as { set(name: string, value: unknown): void }).set('trust proxy', 'loopback');
  await prepareHostDatabase(knex);
  const first = await createSmartPlugin({
    secret: 'test-secret-0123456789-0123456789-abcdef', knex, publicUrl: 'https://ehr.example.org/smart', database: { migrate: true },
    fhirResources: createSampleProviders(knex),
  });
  const second = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef',
    knex, publicUrl: 'https://ehr.example.org/api/v2/smart', database: { tablePrefix: 'second_', migrate: true },
  });
  app.use('/smart', first.router);
  app.use('/api/v2/smart', second.router);
  // A host route that shares the second plugin's mount prefix and reads its own form body.
  app.post('/api/v2/smart/host-form', express.urlencoded({ extended: false }), (req, res) => {
    res.json({ host: true, body: req.body });
  });
  app.get('/patients', (_req, res) => {
    res.type('text/plain').send('host patient list');
  });

  const one = await request(app).get('/smart/status').expect(200);
  assert.equal(one.headers['cache-control'], 'no-store');
  assert.equal(one.headers['x-content-type-options'], 'nosniff');
  assert.deepEqual(one.body, {
    status: 'ok', name: 'smart-ehr-plugin', version: first.manifest.version,
    issuer: 'https://ehr.example.org/smart/auth', fhirBaseUrl: 'https://ehr.example.org/smart/fhir',
    database: { reachable: true, pendingMigrations: [] },
  });
  const two = await request(app).get('/api/v2/smart/status').expect(200);
  assert.equal(two.body.issuer, 'https://ehr.example.org/api/v2/smart/auth');

  // Instances keep separate tables: a client registered in one is unknown to the other.
  await first.clients.register({ clientId: 'only-in-first', authMethod: 'none', scopes: [], grantTypes: ['authorization_code'], redirectUris: ['https://a.example/cb'] });
  assert.equal((await second.clients.get('only-in-first')), undefined);
  assert.equal((await first.clients.get('only-in-first'))?.clientId, 'only-in-first');

  // Requests the plugin does not serve reach the host unchanged, body stream included.
  const form = await request(app).post('/api/v2/smart/host-form').type('form').send('a=1&b=two').expect(200);
  assert.deepEqual(form.body, { host: true, body: { a: '1', b: 'two' } });
  const page = await request(app).get('/patients').expect(200);
  assert.equal(page.text, 'host patient list');
  assert.equal(page.headers['x-content-type-options'], undefined, 'the plugin set no header on a host route');

  await checkFhir(app, first, knex);

  // Unmatched paths under the plugin's mount fall through to the host's own 404.
  await request(app).get('/smart/no-such-route').expect(404);
  await first.close();
  await second.close();
}

/** FHIR search by GET and by POST (form body), and an update (JSON body), through this Express major's parsers. */
async function checkFhir(app: import('express').Express, plugin: Awaited<ReturnType<typeof CreateSmartPlugin>>, knex: Knex): Promise<void> {
  await seedDemoClients(plugin, { origin: 'https://ehr.example.org', knex });
  const tls = { 'X-Forwarded-Proto': 'https' };
  const grant = await request(app).post('/smart/auth/token').set(tls).type('form').send(new URLSearchParams({
    grant_type: 'password', client_id: 'svc-client', client_secret: 'svc-client-secret', username: 'svc-portal',
    password: 'demo-password', scope: 'user/Patient.rs',
  }).toString());
  assert.equal(grant.status, 200, grant.text);
  const auth = { ...tls, Authorization: `Bearer ${grant.body.access_token as string}` };
  const byGet = await request(app).get('/smart/fhir/Patient?name=lopez').set(auth).expect(200);
  const byPost = await request(app).post('/smart/fhir/Patient/_search').set(auth).type('form').send('name=lopez').expect(200);
  assert.equal(byGet.body.total, 3);
  assert.deepEqual(byPost.body.entry.map((e: { fullUrl: string }) => e.fullUrl), byGet.body.entry.map((e: { fullUrl: string }) => e.fullUrl));
  const urlOnly = await request(app).post('/smart/fhir/Patient/_search?name=lopez').set(auth).expect(200);
  assert.equal(urlOnly.body.total, 3);
  const broken = await request(app).put('/smart/fhir/Patient/1').set(auth).type('application/fhir+json').send('{"resourceType":').expect(400);
  assert.equal(broken.body.issue[0].diagnostics, 'The request body is not valid JSON.');
  const plain = await request(app).get('/smart/fhir/metadata').expect(403);
  assert.equal(plain.body.resourceType, 'OperationOutcome');
}
