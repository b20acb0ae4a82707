import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DuplicateClientError, InvalidRegistrationError, createSmartPlugin, type SmartPlugin } from '../../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe(`clients store on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let db: TestDatabase;
  let plugin: SmartPlugin;
  before(async () => {
    db = await createTestDatabase();
    plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: 'https://ehr.example.org/smart', database: { migrate: true } });
  });
  after(async () => {
    await plugin.close();
    await db.drop();
  });

  it('registers a public SMART app and reads it back', async () => {
    const result = await plugin.clients.register({
      clientId: 'growth-chart', name: 'Growth Chart', authMethod: 'none',
      redirectUris: ['https://apps.example.com/growth/callback', 'http://127.0.0.1:8765/callback'],
      scopes: ['launch', 'patient/Observation.rs', 'openid', 'fhirUser'], grantTypes: ['authorization_code'],
      launchUrl: 'https://apps.example.com/growth/launch', accessTokenLifetimeSeconds: 1800,
    });
    assert.equal(result.clientSecret, undefined);
    const client = await plugin.clients.get('growth-chart');
    assert.ok(client);
    assert.deepEqual({ ...client, createdAt: undefined }, {
      clientId: 'growth-chart', name: 'Growth Chart', authMethod: 'none', hasSecret: false,
      redirectUris: ['https://apps.example.com/growth/callback', 'http://127.0.0.1:8765/callback'],
      scopes: ['launch', 'patient/Observation.rs', 'openid', 'fhirUser'], grantTypes: ['authorization_code'],
      launchUrl: 'https://apps.example.com/growth/launch', jwks: null, jwksUri: null, serviceUserId: null,
      accessTokenLifetimeSeconds: 1800, refreshTokenLifetimeSeconds: null, disabled: false, createdAt: undefined,
    });
    assert.ok(Math.abs(client.createdAt.getTime() - Date.now()) < 60_000);
  });

  it('generates a secret once, stores only its SHA-256 digest, and verifies it in constant time', async () => {
    const { clientSecret, client } = await plugin.clients.register({
      clientId: 'portal', authMethod: 'client_secret_basic', scopes: ['user/*.rs'], grantTypes: ['password', 'refresh_token'],
    });
    assert.ok(clientSecret && clientSecret.length >= 43);
    assert.equal(client.hasSecret, true);
    const row = await db.knex('smart_clients').where({ client_id: 'portal' }).first();
    assert.equal(row.secret_hash, createHash('sha256').update(clientSecret).digest('hex'));
    assert.ok(!JSON.stringify(row).includes(clientSecret));
    assert.equal(await plugin.clients.verifySecret('portal', clientSecret), true);
    assert.equal(await plugin.clients.verifySecret('portal', `${clientSecret}x`), false);
    assert.equal(await plugin.clients.verifySecret('nobody', clientSecret), false);
    assert.equal(await plugin.clients.verifySecret('growth-chart', ''), false);
  });

  it('keeps a secret the host chose', async () => {
    const { clientSecret } = await plugin.clients.register({
      clientId: 'chosen', authMethod: 'client_secret_post', clientSecret: 'a-long-enough-secret', scopes: [], grantTypes: ['password'],
    });
    assert.equal(clientSecret, 'a-long-enough-secret');
    assert.equal(await plugin.clients.verifySecret('chosen', 'a-long-enough-secret'), true);
  });

  it('refuses a duplicate client id', async () => {
    await assert.rejects(
      plugin.clients.register({ clientId: 'portal', authMethod: 'none', scopes: [], grantTypes: ['authorization_code'], redirectUris: ['https://x.example/cb'] }),
      (error: unknown) => error instanceof DuplicateClientError && error.message === 'A client with id "portal" is registered already',
    );
  });

  const refusals: [string, Record<string, unknown>, string, string][] = [
    ['a client id with spaces', { clientId: 'my app' }, 'clientId', 'use 1 to 128 letters, digits, ".", "_", "~" or "-"'],
    ['an unknown grant type', { grantTypes: ['implicit'] }, 'grantTypes', 'must be a non-empty list of authorization_code, refresh_token, password, client_credentials'],
    ['a code client without redirect URIs', { redirectUris: [] }, 'redirectUris', 'the authorization_code grant needs at least one redirect URI'],
    ['a redirect URI with a fragment', { redirectUris: ['https://x.example/cb#frag'] }, 'redirectUris[0]', 'must not contain a fragment'],
    ['a plain-http redirect URI off loopback', { redirectUris: ['http://apps.example.com/cb'] }, 'redirectUris[0]', 'must use https (http only for loopback, or a reverse-domain private scheme)'],
    ['a relative redirect URI', { redirectUris: ['/cb'] }, 'redirectUris[0]', 'must be an absolute URL'],
    ['a public client with the password grant', { grantTypes: ['password'] }, 'grantTypes', 'a public client (authMethod none) cannot use the password or client_credentials grant'],
    ['a public client with a secret', { clientSecret: 'sixteen-chars-long' }, 'clientSecret', 'a public client has no secret'],
    ['private_key_jwt without keys', { authMethod: 'private_key_jwt' }, 'jwks', 'private_key_jwt needs jwks or jwksUri'],
    ['a private key in jwks', { authMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', d: 'secret' }] } }, 'jwks', 'must hold public keys only'],
    ['client_credentials without a service user', { authMethod: 'private_key_jwt', grantTypes: ['client_credentials'], jwks: { keys: [{ kty: 'EC' }] } }, 'serviceUserId', 'a client_credentials client acts as an EHR service user; name it'],
    ['a token lifetime under a minute', { accessTokenLifetimeSeconds: 5 }, 'accessTokenLifetimeSeconds', 'must be whole seconds from 60 to 31536000'],
  ];
  for (const [what, change, field, reason] of refusals) {
    it(`refuses ${what}`, async () => {
      const input = { clientId: 'x-app', authMethod: 'none', scopes: ['launch'], grantTypes: ['authorization_code'], redirectUris: ['https://x.example/cb'], ...change };
      await assert.rejects(plugin.clients.register(input as never), (error: unknown) =>
        error instanceof InvalidRegistrationError && error.field === field && error.message === `Invalid client registration "${field}": ${reason}`);
      assert.equal(await plugin.clients.get('x-app'), undefined);
    });
  }

  it('lists clients in id order and removes them', async () => {
    assert.deepEqual((await plugin.clients.list()).map((c) => c.clientId), ['chosen', 'growth-chart', 'portal']);
    assert.equal(await plugin.clients.remove('chosen'), true);
    assert.equal(await plugin.clients.remove('chosen'), false);
    assert.deepEqual((await plugin.clients.list()).map((c) => c.clientId), ['growth-chart', 'portal']);
  });
});
