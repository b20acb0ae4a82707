import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createSmartPlugin } from '../../src/index.ts';
import { startSmartServer, TEST_SECRET, ORIGIN, type SmartServer } from '../support/smart-server.ts';

async function passwordToken(server: SmartServer): Promise<string> {
  const response = await request(server.app).post('/smart/auth/token').auth('svc-client', 'svc-client-secret').type('form')
    .send({ grant_type: 'password', username: 'svc-portal', password: 'demo-password', scope: 'user/Patient.rs' });
  assert.equal(response.status, 200, response.text);
  return response.body.access_token as string;
}

async function introspect(server: SmartServer, token: string): Promise<boolean> {
  const response = await request(server.app).post('/smart/auth/introspect').auth('demo-confidential', 'demo-confidential-secret')
    .type('form').send({ token });
  assert.equal(response.status, 200);
  return response.body.active as boolean;
}

describe('token signing keys', () => {
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer();
  });
  after(() => server.close());

  it('generates a key on first use, stores its private half sealed, and publishes only the public half', async () => {
    const token = await passwordToken(server);
    const jwks = await request(server.app).get('/smart/auth/jwks').expect(200);
    assert.equal(jwks.body.keys.length, 1);
    const [key] = jwks.body.keys;
    assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(jwt.decode(token, { complete: true })?.header.kid, key.kid);
    const row = await server.db.knex('smart_signing_keys').where({ kid: key.kid }).first();
    assert.equal(row.private_key_protection, 'aes-256-gcm');
    assert.doesNotMatch(row.private_key, /PRIVATE KEY/);
  });

  it('rotates: the new key signs, the old stays published and its tokens stay valid until retired', async () => {
    const before = await passwordToken(server);
    const oldKid = jwt.decode(before, { complete: true })?.header.kid;
    const newKid = await server.plugin.keys.rotate();
    const afterRotation = await passwordToken(server);
    assert.equal(jwt.decode(afterRotation, { complete: true })?.header.kid, newKid);
    assert.notEqual(newKid, oldKid);
    const jwks = await request(server.app).get('/smart/auth/jwks').expect(200);
    assert.deepEqual(jwks.body.keys.map((k: { kid: string }) => k.kid).sort(), [newKid, oldKid].sort());
    assert.equal(await introspect(server, before), true, 'a token of the retiring key is still good');

    // Once the retiring key's time is up it is no longer published, and its tokens no longer verify.
    await server.db.knex('smart_signing_keys').where({ kid: oldKid }).update({ retire_after: new Date(Date.now() - 1000) });
    const fresh = await createSmartPlugin({ secret: TEST_SECRET, knex: server.db.knex, publicUrl: `${ORIGIN}/smart`, development: true });
    const express = (await import('express')).default;
    const app = express().use('/smart', fresh.router);
    const published = await request(app).get('/smart/auth/jwks').expect(200);
    assert.deepEqual(published.body.keys.map((k: { kid: string }) => k.kid), [newKid]);
    const answer = await request(app).post('/smart/auth/introspect').auth('demo-confidential', 'demo-confidential-secret').type('form').send({ token: before });
    assert.deepEqual(answer.body, { active: false });
  });

  it('cannot sign with keys sealed under another secret: it retires them and makes a new one', async () => {
    const other = await createSmartPlugin({ secret: 'another-secret-0123456789-0123456789-xyz', knex: server.db.knex, publicUrl: `${ORIGIN}/smart`, development: true });
    const express = (await import('express')).default;
    const app = express().use('/smart', other.router);
    const response = await request(app).post('/smart/auth/token').auth('svc-client', 'svc-client-secret').type('form')
      .send({ grant_type: 'password', username: 'svc-portal', password: 'demo-password', scope: 'user/Patient.rs' });
    assert.equal(response.status, 200, response.text);
    const kid = jwt.decode(response.body.access_token, { complete: true })?.header.kid;
    const active = await server.db.knex('smart_signing_keys').where({ status: 'active' }).select('kid');
    assert.deepEqual(active.map((r) => r.kid), [kid]);
  });
});
