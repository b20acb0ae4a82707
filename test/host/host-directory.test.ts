import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createSmartPlugin, type HostDirectory, type SmartPlugin } from '../../src/index.ts';
import { demoStaffIdentities, demoTenants } from '../../samples/host-ehr/database/demo-identities.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe(`host directory over the sample EHR's contract views on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let db: TestDatabase;
  let plugin: SmartPlugin;
  let directory: HostDirectory;
  const idOf = async (login: string) => String((await db.knex('ehr_users').where({ login_name: login }).first('id')).id);
  const sorted = (set: ReadonlySet<string>) => [...set].sort();

  before(async () => {
    db = await createTestDatabase();
    await prepareHostDatabase(db.knex);
    plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: 'https://ehr.example.org/smart', database: { migrate: true } });
    directory = plugin.hostDirectory;
  });
  after(async () => {
    await plugin.close();
    await db.drop();
  });

  it('finds a user by login name, case-insensitively, with the host\'s FHIR reference', async () => {
    const user = await directory.findUserByLogin('Provider');
    assert.ok(user);
    assert.equal(user.userId, await idOf('provider'));
    assert.equal(user.loginName, 'provider');
    assert.equal(user.isActive, true);
    assert.match(user.fhirUser ?? '', /^Practitioner\/\d+$/);
    assert.equal(await directory.findUserByLogin('nobody'), undefined);
    assert.equal(await directory.findUserById('nobody'), undefined);
    assert.equal(await directory.getPatient('x'), undefined);
    assert.deepEqual(await directory.findUserById(user.userId), user);
  });

  it('marks an inactive account', async () => {
    assert.equal((await directory.findUserByLogin('retired'))?.isActive, false);
  });

  it('verifies the host\'s scrypt password hashes, and nothing else', async () => {
    const user = await directory.findUserByLogin('provider');
    assert.ok(user);
    assert.equal(await directory.verifyPassword(user, 'demo-password'), true);
    assert.equal(await directory.verifyPassword(user, 'demo-password '), false);
    assert.equal(await directory.verifyPassword(user, ''), false);
    assert.equal(await directory.verifyPassword({ ...user, passwordHash: null }, 'demo-password'), false);
    assert.equal(await directory.verifyPassword({ ...user, passwordHash: 'md5$abc' }, 'demo-password'), false);
  });

  it('matches Azure AD staff by tenant id and object id, never by email', async () => {
    const alice = demoStaffIdentities.alice;
    const found = await directory.findUserByAzureObject(alice.tenantId.toUpperCase(), alice.objectId);
    assert.equal(found?.loginName, 'provider');
    assert.equal(await directory.findUserByAzureObject(demoTenants.fabrikam.tenantId, alice.objectId), undefined, 'same oid, other tenant');
    assert.equal(await directory.findUserByAzureObject(demoStaffIdentities.mallory.tenantId, demoStaffIdentities.mallory.objectId), undefined);
  });

  it('resolves effective permissions: role permissions ∪ per-user grants − per-user revokes', async () => {
    assert.deepEqual(sorted(await directory.getUserPermissions(await idOf('provider'))), ['Edit Schedule', 'Registration', 'Schedule', 'View Charts']);
    assert.deepEqual(sorted(await directory.getUserPermissions(await idOf('frontdesk'))), ['Edit Registration', 'Edit Schedule', 'Registration', 'Schedule']);
    assert.deepEqual(sorted(await directory.getUserPermissions(await idOf('sensitive-provider'))),
      ['Edit Schedule', 'Registration', 'Schedule', 'Sensitive Charts', 'View Charts']);
    assert.deepEqual(sorted(await directory.getUserPermissions(await idOf('svc-portal'))), ['Registration', 'Schedule', 'View Charts']);
    assert.deepEqual(sorted(await directory.getUserPermissions(await idOf('svc-scheduling'))), ['Registration', 'Schedule']);
    assert.deepEqual(sorted(await directory.getUserPermissions(await idOf('admin'))), ['System Configuration', 'View System Settings']);
    assert.deepEqual(sorted(await directory.getUserPermissions('999999')), []);
    assert.deepEqual(sorted(await directory.getUserPermissions('not-a-number')), [], 'an id of the wrong type names nobody');
  });

  it('reads roles and role permissions, including the built-in Patient role', async () => {
    assert.deepEqual(sorted(await directory.getUserRoles(await idOf('svc-scheduling'))), ['API Server User']);
    assert.deepEqual(sorted(await directory.getUserRoles(await idOf('provider'))), ['Provider']);
    assert.deepEqual(sorted(await directory.getRolePermissions('Patient')), ['Registration', 'Schedule', 'View Charts']);
    assert.deepEqual(sorted(await directory.getRolePermissions('API Server User')), ['Registration', 'Schedule', 'View Charts']);
  });

  it('reads confidential document type access for users and roles', async () => {
    assert.deepEqual(sorted(await directory.getUserDocumentTypes(await idOf('sensitive-provider'))), ['Behavioral Health']);
    assert.deepEqual(sorted(await directory.getUserDocumentTypes(await idOf('provider'))), []);
    assert.deepEqual(sorted(await directory.getRoleDocumentTypes('Patient')), []);
  });

  it('reads patients and the charts a portal identity may open', async () => {
    const links = await directory.findPatientLinks('MARIA@example.com');
    const names = await Promise.all(links.map(async (l) => [(await directory.getPatient(l.patientId))?.displayName, l.relationship]));
    assert.deepEqual(names.sort(), [['Leo Lopez', 'child'], ['Maria Lopez', 'self'], ['Mia Lopez', 'child']]);
    assert.deepEqual(await directory.findPatientLinks('nobody@example.com'), []);
    const [sam] = await directory.searchPatients({ name: 'rivera', limit: 5 });
    assert.ok(sam);
    assert.equal(sam.isSensitive, true);
    assert.match(sam.birthDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal((await directory.getPatient(links[0]?.patientId as string))?.isSensitive, false);
  });

  it('searches patients by name, treating LIKE wildcards as text', async () => {
    assert.deepEqual((await directory.searchPatients({ name: 'LOPEZ', limit: 10 })).map((p) => p.displayName), ['Leo Lopez', 'Maria Lopez', 'Mia Lopez']);
    assert.deepEqual((await directory.searchPatients({ name: 'lopez', limit: 2 })).map((p) => p.displayName), ['Leo Lopez', 'Maria Lopez']);
    assert.deepEqual(await directory.searchPatients({ name: '%', limit: 10 }), []);
    assert.deepEqual(await directory.searchPatients({ name: '_', limit: 10 }), []);
  });

  it('lets a revocation show after the cache TTL, or at once after invalidate()', async () => {
    const quick = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: 'https://ehr.example.org/smart', hostContract: { permissionCacheTtlMs: 300 } });
    const userId = await idOf('frontdesk');
    const permission = await db.knex('ehr_permissions').where({ name: 'Edit Registration' }).first('id');
    assert.ok((await quick.hostDirectory.getUserPermissions(userId)).has('Edit Registration'));
    await db.knex('ehr_user_permission_overrides').insert({ user_id: Number(userId), permission_id: permission.id, effect: 'revoke' });
    try {
      assert.ok((await quick.hostDirectory.getUserPermissions(userId)).has('Edit Registration'), 'still cached');
      await sleep(350);
      assert.equal((await quick.hostDirectory.getUserPermissions(userId)).has('Edit Registration'), false, 'gone after the TTL');
      await db.knex('ehr_user_permission_overrides').where({ user_id: Number(userId), permission_id: permission.id }).delete();
      quick.hostDirectory.invalidate(userId);
      assert.ok((await quick.hostDirectory.getUserPermissions(userId)).has('Edit Registration'), 'back at once after invalidate');
    } finally {
      await db.knex('ehr_user_permission_overrides').where({ user_id: Number(userId), permission_id: permission.id }).delete();
    }
  });

  it('lets the host replace any method in code, keeping the others', async () => {
    const calls: string[] = [];
    const custom = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef',
      knex: db.knex, publicUrl: 'https://ehr.example.org/smart',
      hostDirectory: { verifyPassword: async (user, password) => { calls.push(user.loginName); return password === 'ldap-ok'; } },
    });
    const user = await custom.hostDirectory.findUserByLogin('admin');
    assert.ok(user);
    assert.equal(await custom.hostDirectory.verifyPassword(user, 'ldap-ok'), true);
    assert.equal(await custom.hostDirectory.verifyPassword(user, 'demo-password'), false);
    assert.deepEqual(calls, ['admin', 'admin']);
  });

  it('reads views under other names when the options say so', async () => {
    await db.knex.raw('create view renamed_users as select * from smart_host_users');
    try {
      const renamed = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef',
        knex: db.knex, publicUrl: 'https://ehr.example.org/smart', hostContract: { views: { users: 'renamed_users' } },
      });
      assert.equal((await renamed.hostDirectory.findUserByLogin('admin'))?.loginName, 'admin');
    } finally {
      await db.knex.raw('drop view renamed_users');
    }
  });
});
