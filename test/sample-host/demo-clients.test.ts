import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import {
  backendClientPublicJwk, demoAppScopes, seedDemoClients, type DemoClientRegistry,
} from '../../samples/host-ehr/demo-clients.ts';
import type { ClientRegistrationInput } from '../../src/index.ts';

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
});
after(async () => {
  await db.drop();
});

/** Stands in for `plugin.clients`, refusing duplicates as the plugin does. */
function registry(): DemoClientRegistry & { saved: Map<string, ClientRegistrationInput> } {
  const saved = new Map<string, ClientRegistrationInput>();
  return {
    saved,
    clients: {
      async register(registration) {
        if (saved.has(registration.clientId)) throw new Error(`client ${registration.clientId} exists`);
        saved.set(registration.clientId, registration);
        return { client: registration };
      },
      async get(clientId) {
        return saved.get(clientId);
      },
    },
  };
}

describe('demo clients', () => {
  it('registers the four demo clients once, and skips them afterwards', async () => {
    const plugin = registry();
    const origin = 'http://localhost:4123';
    assert.deepEqual(await seedDemoClients(plugin, { origin, knex: db.knex }),
      ['demo-app', 'demo-confidential', 'svc-client', 'backend-client']);
    assert.deepEqual(await seedDemoClients(plugin, { origin, knex: db.knex }), []);

    const app = plugin.saved.get('demo-app')!;
    assert.equal(app.authMethod, 'none');
    assert.equal(app.clientSecret, undefined);
    assert.deepEqual(app.redirectUris, ['http://localhost:4123/apps/demo/', 'http://127.0.0.1:8765/callback']);
    assert.deepEqual(app.grantTypes, ['authorization_code', 'refresh_token']);
    assert.deepEqual(app.scopes, demoAppScopes);
    const confidential = plugin.saved.get('demo-confidential')!;
    assert.equal(confidential.authMethod, 'client_secret_basic');
    assert.equal(confidential.clientSecret, 'demo-confidential-secret');
    assert.deepEqual(confidential.redirectUris, app.redirectUris);
    const service = plugin.saved.get('svc-client')!;
    assert.equal(service.clientSecret, 'svc-client-secret');
    assert.deepEqual(service.grantTypes, ['password', 'refresh_token']);
  });

  it('registers backend-client with the public key only, acting as svc-portal', async () => {
    const plugin = registry();
    await seedDemoClients(plugin, { origin: 'http://localhost:3000', knex: db.knex });
    const backend = plugin.saved.get('backend-client')!;
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
