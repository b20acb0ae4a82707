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
      const call = route.method === 'GET' ? request(server.app).get(`/smart${route.path}`) : request(server.app).post(`/smart${route.path}`).type('form').send('');
      const response = await call;
      assert.notEqual(response.status, 404, `${route.method} ${route.path}`);
      assert.ok(response.status < 500, `${route.method} ${route.path} answered ${response.status}`);
    }
  });

  it('answers an unknown auth path with 404 and leaves it to the host', async () => {
    await request(server.app).get('/smart/auth/nothing-here').expect(404);
  });
});
