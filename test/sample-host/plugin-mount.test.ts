import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createSmartPlugin, type SmartPlugin } from '../../src/index.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { createHostApp } from '../../samples/host-ehr/app.ts';
import { seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { demoStaffIdentities } from '../../samples/host-ehr/database/demo-identities.ts';
import { signedInBrowser } from './staff-browser.ts';

let db: TestDatabase;
let plugin: SmartPlugin;
let app: Express;
const origin = 'http://localhost:3000';

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: `${origin}/smart`, development: true, database: { migrate: true } });
  app = createHostApp({ knex: db.knex, pluginRouter: plugin.router, secureCookies: false });
});
after(async () => {
  await plugin.close();
  await db.drop();
});

describe('host EHR with the plugin mounted', () => {
  it('serves the plugin under /smart without the host pages\' headers', async () => {
    const response = await request(app).get('/smart/status').expect(200);
    assert.equal(response.body.status, 'ok');
    assert.equal(response.body.issuer, `${origin}/smart/auth`);
    assert.equal(response.headers['x-frame-options'], undefined, 'host page headers stay on host routes');
    assert.equal(response.headers['set-cookie'], undefined, 'no host session is started for plugin requests');
  });

  it('keeps the host pages working beside the plugin', async () => {
    const browser = await signedInBrowser(app, 'provider');
    await browser.get('/patients').expect(200);
  });

  it('registers the demo clients through plugin.clients, once', async () => {
    assert.deepEqual(await seedDemoClients(plugin, { origin, knex: db.knex }),
      ['demo-app', 'demo-confidential', 'svc-client', 'backend-client']);
    assert.deepEqual(await seedDemoClients(plugin, { origin, knex: db.knex }), []);
    const backend = await plugin.clients.get('backend-client');
    const [svcPortal] = await db.knex('ehr_users').where('login_name', 'svc-portal').select('id');
    assert.equal(backend?.serviceUserId, String(svcPortal.id));
    assert.equal(backend?.authMethod, 'private_key_jwt');
    assert.equal((await plugin.clients.get('demo-confidential'))?.hasSecret, true);
  });

  it('gives the plugin\'s host directory what the contract promises', async () => {
    const directory = plugin.hostDirectory;
    const provider = await directory.findUserByLogin('PROVIDER');
    assert.equal(provider?.displayName, 'Dr. Alice Chen');
    assert.equal(provider?.isActive, true);
    assert.match(String(provider?.fhirUser), /^Practitioner\/\d+$/);
    assert.equal(await directory.verifyPassword(provider!, 'demo-password'), true, 'the plugin verifies the host\'s scrypt hashes');
    assert.equal(await directory.verifyPassword(provider!, 'wrong'), false);
    const { alice, mallory } = demoStaffIdentities;
    assert.equal((await directory.findUserByAzureObject(alice.tenantId, alice.objectId))?.userId, provider?.userId);
    assert.equal(await directory.findUserByAzureObject(mallory.tenantId, mallory.objectId), undefined);
    assert.equal((await directory.findUserByLogin('retired'))?.isActive, false);
    const scheduling = await directory.findUserByLogin('svc-scheduling');
    assert.deepEqual([...await directory.getUserPermissions(scheduling!.userId)].sort(), ['Registration', 'Schedule']);
    assert.deepEqual([...await directory.getUserRoles(scheduling!.userId)], ['API Server User']);
    const sensitive = await directory.findUserByLogin('sensitive-provider');
    assert.deepEqual([...await directory.getUserDocumentTypes(sensitive!.userId)], ['Behavioral Health']);
    assert.deepEqual([...await directory.getRoleDocumentTypes('Provider')], ['Genetic Counseling']);
    assert.deepEqual([...await directory.getRolePermissions('Patient')].sort(), ['Registration', 'Schedule', 'View Charts']);
    const links = await directory.findPatientLinks('Maria@Example.com');
    assert.deepEqual(links.map((link) => link.relationship).sort(), ['child', 'child', 'self']);
    const sam = (await directory.searchPatients({ name: 'rivera', limit: 5 }))[0];
    assert.deepEqual(sam && { name: sam.displayName, birthDate: sam.birthDate, isSensitive: sam.isSensitive },
      { name: 'Sam Rivera', birthDate: '1992-01-17', isSensitive: true });
  });
});
