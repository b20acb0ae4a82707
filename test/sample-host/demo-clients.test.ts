import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { backendClientPublicJwk, demoAppScopes, seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { createSmartPlugin, type SmartPlugin } from '../../src/index.ts';

let db: TestDatabase;
let plugin: SmartPlugin;

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
  plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: 'http://localhost:4123/smart', development: true, database: { migrate: true } });
});
after(async () => {
  await plugin.close();
  await db.drop();
});

describe('demo clients', () => {
  it('registers the four demo clients once, and skips them afterwards', async () => {
    const origin = 'http://localhost:4123';
    assert.deepEqual(await seedDemoClients(plugin, { origin, knex: db.knex }),
      ['demo-app', 'demo-confidential', 'svc-client', 'backend-client']);
    assert.deepEqual(await seedDemoClients(plugin, { origin, knex: db.knex }), []);

    const app = (await plugin.clients.get('demo-app'))!;
    assert.equal(app.authMethod, 'none');
    assert.equal(app.hasSecret, false);
    assert.deepEqual(app.redirectUris, ['http://localhost:4123/apps/demo/', 'http://127.0.0.1:8765/callback']);
    assert.deepEqual(app.grantTypes, ['authorization_code', 'refresh_token']);
    assert.deepEqual(app.scopes, demoAppScopes);
    const confidential = (await plugin.clients.get('demo-confidential'))!;
    assert.equal(confidential.authMethod, 'client_secret_basic');
    assert.equal(await plugin.clients.verifySecret('demo-confidential', 'demo-confidential-secret'), true);
    assert.deepEqual(confidential.redirectUris, app.redirectUris);
    const service = (await plugin.clients.get('svc-client'))!;
    assert.equal(await plugin.clients.verifySecret('svc-client', 'svc-client-secret'), true);
    assert.deepEqual(service.grantTypes, ['password', 'refresh_token']);
  });

  it('registers backend-client with the public key only, acting as svc-portal', async () => {
    const backend = (await plugin.clients.get('backend-client'))!;
    const [svcPortal] = await db.knex('ehr_users').where('login_name', 'svc-portal').select('id');
    assert.equal(backend.serviceUserId, String(svcPortal.id));
    assert.equal(backend.authMethod, 'private_key_jwt');
    assert.deepEqual(backend.grantTypes, ['client_credentials']);
    const [key] = backend.jwks!.keys;
    assert.deepEqual(Object.keys(key!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(key!.kid, 'backend-client-1');
    assert.equal(key!.alg, 'RS384');
  });

  it('commits a key pair whose private half signs what the public JWK verifies (RS384)', async () => {
    const privateKey = createPrivateKey(await readFile(new URL('../../samples/keys/backend-client.private.pem', import.meta.url), 'utf8'));
    const publicKey = createPublicKey({ key: await backendClientPublicJwk(), format: 'jwk' });
    assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    const data = Buffer.from('client assertion');
    const signature = sign('sha384', data, privateKey);
    assert.equal(verify('sha384', data, publicKey, signature), true);
    assert.equal(verify('sha384', Buffer.from('tampered'), publicKey, signature), false);
  });
});
