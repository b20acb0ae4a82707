import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';

describe('SMART styling (context-style)', () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('advertises context-style and serves the style document every property of which SMART defines', async () => {
    const discovery = await request(server.app).get('/smart/fhir/.well-known/smart-configuration').expect(200);
    assert.ok(discovery.body.capabilities.includes('context-style'));
    const style = await request(server.app).get('/smart/auth/smart-style.json').expect(200);
    assert.equal(style.headers['access-control-allow-origin'], '*');
    assert.deepEqual(Object.keys(style.body).sort(), [
      'color_background', 'color_error', 'color_highlight', 'color_modal_backdrop', 'color_success', 'color_text',
      'dim_border_radius', 'dim_font_size', 'dim_spacing_size', 'font_family_body', 'font_family_heading',
    ]);
  });
});
