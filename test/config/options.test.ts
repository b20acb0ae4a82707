import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import knexFactory, { type Knex } from 'knex';
import { ConfigurationError, createSmartPlugin } from '../../src/index.ts';

describe('createSmartPlugin option validation', () => {
  let knex: Knex;
  before(() => {
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  });
  after(() => knex.destroy());

  const base = () => ({ knex, publicUrl: 'https://ehr.example.org/smart', secret: 'test-secret-0123456789-0123456789-abcdef' });

  async function refusal(options: unknown): Promise<ConfigurationError> {
    try {
      await createSmartPlugin(options as never);
    } catch (error) {
      assert.ok(error instanceof ConfigurationError, `expected a ConfigurationError, got ${String(error)}`);
      return error;
    }
    assert.fail('the options were accepted');
  }

  const cases: [string, () => unknown, string, string][] = [
    ['no options at all', () => undefined, '(options)', 'Invalid option "(options)": expected an object'],
    ['a missing knex', () => ({ publicUrl: 'https://x.example/smart', secret: 'x'.repeat(32) }), 'knex',
      'Invalid option "knex": expected a knex instance or a knex configuration object with a "client"'],
    ['a knex config without client', () => ({ ...base(), knex: { connection: {} } }), 'knex',
      'Invalid option "knex": expected a knex instance or a knex configuration object with a "client"'],
    ['a relative publicUrl', () => ({ ...base(), publicUrl: '/smart' }), 'publicUrl',
      'Invalid option "publicUrl": expected an absolute URL such as https://ehr.example.org/smart, got "/smart"'],
    ['plain http outside development', () => ({ ...base(), publicUrl: 'http://ehr.example.org/smart' }), 'publicUrl',
      'Invalid option "publicUrl": expected an https: URL (plain http is allowed only with development: true), got "http://ehr.example.org/smart"'],
    ['a publicUrl with a query', () => ({ ...base(), publicUrl: 'https://ehr.example.org/smart?x=1' }), 'publicUrl',
      'Invalid option "publicUrl": expected a URL without query, fragment or credentials, got "https://ehr.example.org/smart?x=1"'],
    ['a non-boolean development flag', () => ({ ...base(), development: 'yes' }), 'development',
      'Invalid option "development": expected true or false, got "yes"'],
    ['a table prefix that is not an identifier', () => ({ ...base(), database: { tablePrefix: 'smart-' } }), 'database.tablePrefix',
      'Invalid option "database.tablePrefix": expected an SQL identifier (a letter, then letters, digits or underscores, at most 20 characters), got "smart-"'],
    ['an unknown database option', () => ({ ...base(), database: { prefix: 'x_' } }), 'database.prefix',
      'Invalid option "database.prefix": expected one of the known options (tablePrefix, schema, migrate)'],
    ['a misspelt top-level option', () => ({ ...base(), pubilcUrl: 'x' }), 'pubilcUrl',
      'Invalid option "pubilcUrl": expected one of the known options (knex, publicUrl, development, database, hostContract, hostDirectory, roles, manifest, logger, secret, tokens, signIn, currentHostUser, allowClientCredentialsWithSecret, vendorCredentials, azure, fhirResources, fhir)'],
    ['a negative cache TTL', () => ({ ...base(), hostContract: { permissionCacheTtlMs: -1 } }), 'hostContract.permissionCacheTtlMs',
      'Invalid option "hostContract.permissionCacheTtlMs": expected an integer from 0 to 300000, got number -1'],
    ['a view name with SQL in it', () => ({ ...base(), hostContract: { views: { users: 'users; drop table x' } } }), 'hostContract.views.users',
      'Invalid option "hostContract.views.users": expected an SQL identifier (a letter, then letters, digits or underscores, at most 128 characters), got "users; drop table x"'],
    ['a host directory override that is not a function', () => ({ ...base(), hostDirectory: { verifyPassword: true } }), 'hostDirectory.verifyPassword',
      'Invalid option "hostDirectory.verifyPassword": expected a function'],
    ['an unknown host directory method', () => ({ ...base(), hostDirectory: { findUser: () => undefined } }), 'hostDirectory.findUser',
      'Invalid option "hostDirectory.findUser": expected one of the known options (findUserById, findUserByLogin, findUserByAzureObject, verifyPassword, getUserRoles, getUserPermissions, getRolePermissions, getUserDocumentTypes, getRoleDocumentTypes, getPatient, findPatientLinks, searchPatients, invalidate)'],
    ['an empty role name', () => ({ ...base(), roles: { patient: ' ' } }), 'roles.patient',
      'Invalid option "roles.patient": expected a non-empty string, got " "'],
    ['a logger without error()', () => ({ ...base(), logger: { info() {}, warn() {} } }), 'logger.error',
      'Invalid option "logger.error": expected a function'],
  ];

  for (const [what, options, path, message] of cases) {
    it(`refuses ${what}, naming ${path}`, async () => {
      const error = await refusal(options());
      assert.equal(error.path, path);
      assert.equal(error.message, message);
    });
  }

  it('requires a secret outside development, and never echoes it', async () => {
    const { secret: _omitted, ...withoutSecret } = base();
    const missing = await refusal(withoutSecret);
    assert.equal(missing.message, 'Invalid option "secret": expected at least 32 characters of secret, the same on every instance (required unless development is true)');
    const short = await refusal({ ...base(), secret: 'too-short-secret' });
    assert.equal(short.message, 'Invalid option "secret": expected a string of at least 32 characters');
  });

  it('never echoes the value of a secret-bearing option', async () => {
    const error = await refusal({ ...base(), knex: 'postgres://admin:hunter2@db/ehr' });
    assert.equal(error.path, 'knex');
    assert.doesNotMatch(error.message, /hunter2/);
  });

  it('refuses a manifest that breaks plugin.json\'s schema, naming the manifest path', async () => {
    const error = await refusal({ ...base(), manifest: { ...(await import('../../plugin.json', { with: { type: 'json' } })).default, roles: { patient: '' } } });
    assert.equal(error.path, 'manifest.roles');
    assert.match(error.message, /^Invalid option "manifest\.roles": expected a manifest matching plugin\.schema\.json \(/);
  });

  it('accepts minimal options, filling the documented defaults', async () => {
    const plugin = await createSmartPlugin(base());
    assert.deepEqual(plugin.urls, {
      publicUrl: 'https://ehr.example.org/smart',
      issuer: 'https://ehr.example.org/smart/auth',
      fhirBaseUrl: 'https://ehr.example.org/smart/fhir',
    });
    assert.deepEqual(plugin.roles, { patient: 'Patient', apiServerUser: 'API Server User' });
    assert.equal(typeof plugin.router, 'function');
    await plugin.close();
  });

  it('accepts plain http in development, and role overrides', async () => {
    const plugin = await createSmartPlugin({ ...base(), publicUrl: 'http://localhost:3000/smart/', development: true, roles: { apiServerUser: 'Interface User' } });
    assert.equal(plugin.urls.fhirBaseUrl, 'http://localhost:3000/smart/fhir');
    assert.deepEqual(plugin.roles, { patient: 'Patient', apiServerUser: 'Interface User' });
  });

  it('opens and closes its own knex when given a configuration', async () => {
    const plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef',
      knex: { client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true },
      publicUrl: 'https://ehr.example.org/smart',
      database: { migrate: true },
    });
    assert.deepEqual(await plugin.migrationStatus(), { applied: ['001_initial_tables'], pending: [] });
    await plugin.close();
  });
});
