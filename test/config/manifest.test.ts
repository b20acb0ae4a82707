import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readBundledManifest, validateManifest } from '../../src/config/manifest.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('plugin.json manifest', () => {
  const manifest = validateManifest(readBundledManifest());

  it('has the same name and version as package.json', () => {
    assert.equal(manifest.name, packageJson.name);
    assert.equal(manifest.version, packageJson.version);
  });

  it('lists exactly the migrations the code runs, in order', () => {
    assert.deepEqual(manifest.migrations, MIGRATIONS.map((m) => m.name));
  });

  it('names the Patient and API Server User roles', () => {
    assert.deepEqual(manifest.roles, { patient: 'Patient', apiServerUser: 'API Server User' });
  });

  it('maps resources to the seed\'s permissions, with alternatives', () => {
    const read = (type: string) => manifest.permissions.resources[type]?.read;
    assert.equal(read('Practitioner'), 'any-user');
    assert.deepEqual(read('Condition'), ['View Charts']);
    assert.deepEqual(read('Patient'), ['Registration', 'View Patient Registration']);
    assert.deepEqual(read('Appointment'), ['Schedule', 'View Patient Appointments']);
    assert.deepEqual(read('Location'), ['View System Settings']);
    assert.deepEqual(read('AuditEvent'), ['System Configuration']);
    assert.equal(read('Binary'), 'owning-resource');
    assert.deepEqual(manifest.permissions.resources.Patient?.update, ['Edit Registration', 'Edit Patient Registration']);
  });

  it('declares every host contract view with the columns DESIGN §2 lists', () => {
    assert.deepEqual(manifest.hostContract.views.users?.columns,
      ['user_id', 'login_name', 'display_name', 'password_hash', 'is_active', 'email', 'aad_tenant_id', 'aad_object_id', 'fhir_user']);
    assert.deepEqual(Object.keys(manifest.hostContract.views).sort(),
      ['documentTypeAccess', 'patientLinks', 'patients', 'rolePermissions', 'userPermissions', 'userRoles', 'users']);
  });

  it('refuses a permission requirement that is neither a list nor a known keyword', () => {
    const broken = structuredClone(readBundledManifest()) as { permissions: { resources: Record<string, unknown> } };
    broken.permissions.resources.Condition = { read: 'everyone' };
    assert.throws(() => validateManifest(broken), {
      name: 'ConfigurationError',
      path: 'manifest.permissions.resources.Condition.read',
    });
  });

  it('refuses an empty list of alternatives', () => {
    const broken = structuredClone(readBundledManifest()) as { permissions: { resources: Record<string, unknown> } };
    broken.permissions.resources.Condition = { read: [] };
    assert.throws(() => validateManifest(broken), { path: 'manifest.permissions.resources.Condition.read' });
  });
});
