import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { readBundledManifest, validateManifest } from '../../src/config/manifest.ts';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';

describe('plugin.json routes', () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('lists exactly routes the router serves (each answers something other than 404)', async () => {
    const { routes } = validateManifest(readBundledManifest());
    assert.ok(routes.length >= 16);
    for (const route of routes) {
      // Placeholders of the FHIR routes, filled with a type and an id the sample serves.
      const path = `/smart${route.path.replace('{type}', route.method === 'PUT' ? 'Patient' : route.method === 'POST' ? 'Appointment' : 'Patient').replace('{id}', '1')}`;
      const call = route.method === 'GET' ? request(server.app).get(path)
        : route.method === 'PUT' ? request(server.app).put(path).type('application/fhir+json').send('{}')
          : request(server.app).post(path).type('form').send('');
      const response = await call;
      assert.notEqual(response.status, 404, `${route.method} ${route.path}`);
      assert.ok(response.status < 500, `${route.method} ${route.path} answered ${response.status}`);
    }
  });

  it('answers an unknown auth path with 404 and leaves it to the host', async () => {
    await request(server.app).get('/smart/auth/nothing-here').expect(404);
  });
});
