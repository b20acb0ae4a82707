import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { hostTableNames } from '../../samples/host-ehr/database/schema.ts';
import {
  contractViewColumns, mssqlContractFile, splitBatches, type ContractViewName,
} from '../../samples/host-ehr/database/contract-views.ts';
import { demoStaffIdentities } from '../../samples/host-ehr/database/demo-identities.ts';

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase();
  await prepareHostDatabase(db.knex);
});
after(async () => {
  await db.drop();
});

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of hostTableNames()) {
    const [row] = await db.knex(table).count({ n: '*' });
    result[table] = Number(row?.n);
  }
  return result;
}

async function userIds(): Promise<Map<string, string>> {
  const rows: Array<{ user_id: unknown; login_name: string }> = await db.knex('smart_host_users').select('user_id', 'login_name');
  return new Map(rows.map((row) => [row.login_name, String(row.user_id)]));
}

/** Values of `column` for one user of a view, sorted. */
async function valuesFor(view: ContractViewName, column: string, userId: string): Promise<string[]> {
  const rows: Array<Record<string, unknown>> = await db.knex(view).select(column).where('user_id', userId).orderBy(column);
  return rows.map((row) => String(row[column]));
}

describe('prepareHostDatabase', () => {
  it('is idempotent: a second run changes no row', async () => {
    const first = await counts();
    await prepareHostDatabase(db.knex);
    assert.deepEqual(await counts(), first);
    assert.equal(first.ehr_users, 7);
    assert.equal(first.ehr_patients, 5);
  });

  it('gives every patient rows for every US Core search', async () => {
    const perPatient = ['ehr_allergies', 'ehr_problems', 'ehr_medication_orders', 'ehr_immunizations', 'ehr_vitals',
      'ehr_lab_reports', 'ehr_lab_results', 'ehr_social_history', 'ehr_procedures', 'ehr_encounters', 'ehr_care_plans',
      'ehr_care_teams', 'ehr_goals', 'ehr_devices', 'ehr_appointments', 'ehr_documents'];
    for (const table of perPatient) {
      const rows: Array<{ patient_id: unknown }> = await db.knex(table).distinct('patient_id').orderBy('patient_id');
      assert.equal(rows.length, 5, `${table} has rows for all five patients`);
    }
    const problemCategories = await db.knex('ehr_problems').distinct('category').orderBy('category');
    assert.deepEqual(problemCategories.map((row: { category: string }) => row.category),
      ['encounter-diagnosis', 'health-concern', 'problem-list-item']);
    const vitalCodes = await db.knex('ehr_vitals').distinct('loinc_code').orderBy('loinc_code');
    assert.deepEqual(vitalCodes.map((row: { loinc_code: string }) => row.loinc_code),
      ['29463-7', '39156-5', '59408-5', '8302-2', '8310-5', '85354-9', '8867-4', '9279-1']);
  });
});

describe('host contract views', () => {
  it('expose exactly the documented columns', async () => {
    for (const [view, columns] of Object.entries(contractViewColumns)) {
      const row: Record<string, unknown> | undefined = await db.knex(view).first();
      assert.ok(row, `${view} has rows`);
      assert.deepEqual(Object.keys(row).sort(), [...columns].sort(), view);
    }
  });

  it('return the effective permissions of every seeded user: roles, plus grants, minus revokes', async () => {
    const ids = await userIds();
    const expected: Record<string, string[]> = {
      'provider': ['Edit Schedule', 'Registration', 'Schedule', 'View Charts'],
      'frontdesk': ['Edit Registration', 'Edit Schedule', 'Registration', 'Schedule'],
      'admin': ['System Configuration', 'View System Settings'],
      'sensitive-provider': ['Edit Schedule', 'Registration', 'Schedule', 'Sensitive Charts', 'View Charts'],
      'svc-portal': ['Registration', 'Schedule', 'View Charts'],
      'svc-scheduling': ['Registration', 'Schedule'],
      'retired': ['Edit Registration', 'Edit Schedule', 'Registration', 'Schedule'],
    };
    assert.deepEqual([...ids.keys()].sort(), Object.keys(expected).sort());
    for (const [login, permissions] of Object.entries(expected)) {
      assert.deepEqual(await valuesFor('smart_host_user_permissions', 'permission', ids.get(login)!), permissions, login);
    }
  });

  it('return the roles of every user and the permissions of every role', async () => {
    const ids = await userIds();
    assert.deepEqual(await valuesFor('smart_host_user_roles', 'role', ids.get('svc-scheduling')!), ['API Server User']);
    assert.deepEqual(await valuesFor('smart_host_user_roles', 'role', ids.get('sensitive-provider')!), ['Provider']);
    const patientRole = await db.knex('smart_host_role_permissions').where('role', 'Patient').orderBy('permission');
    assert.deepEqual(patientRole.map((row: { permission: string }) => row.permission), ['Registration', 'Schedule', 'View Charts']);
    const [count] = await db.knex('smart_host_role_permissions').count({ n: '*' });
    assert.equal(Number(count?.n), 16);
  });

  it('describe users for sign-in: active flag, Azure AD link and fhirUser', async () => {
    const rows: Array<Record<string, unknown>> = await db.knex('smart_host_users').orderBy('login_name');
    const byLogin = new Map(rows.map((row) => [String(row.login_name), row]));
    const provider = byLogin.get('provider')!;
    assert.equal(provider.display_name, 'Dr. Alice Chen');
    assert.equal(Number(provider.is_active), 1);
    assert.equal(provider.aad_tenant_id, demoStaffIdentities.alice.tenantId);
    assert.equal(provider.aad_object_id, demoStaffIdentities.alice.objectId);
    assert.match(String(provider.fhir_user), /^Practitioner\/\d+$/);
    assert.match(String(provider.password_hash), /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.equal(byLogin.get('admin')!.aad_object_id, demoStaffIdentities.bob.objectId);
    assert.equal(byLogin.get('admin')!.fhir_user, null);
    assert.notEqual(byLogin.get('sensitive-provider')!.fhir_user, provider.fhir_user);
    assert.equal(Number(byLogin.get('retired')!.is_active), 0);
    assert.ok(rows.every((row) => row.aad_object_id !== demoStaffIdentities.mallory.objectId), 'mallory is linked to nobody');
  });

  it('list confidential document types by user and by role', async () => {
    const ids = await userIds();
    const rows: Array<Record<string, unknown>> = await db.knex('smart_host_document_type_access').orderBy('document_type');
    assert.deepEqual(rows.map((row) => [row.user_id === null ? null : String(row.user_id), row.role, row.document_type]), [
      [ids.get('sensitive-provider'), null, 'Behavioral Health'],
      [null, 'Provider', 'Genetic Counseling'],
    ]);
  });

  it('list patients with sensitivity, and the charts each portal identity may open', async () => {
    const patients: Array<Record<string, unknown>> = await db.knex('smart_host_patients').orderBy('display_name');
    assert.deepEqual(patients.map((p) => [p.display_name, p.birth_date, Number(p.is_sensitive)]), [
      ['Leo Lopez', '2015-05-09', 0], ['Maria Lopez', '1986-07-22', 0], ['Mia Lopez', '2020-11-30', 0],
      ['Pat Jones', '1958-03-14', 0], ['Sam Rivera', '1992-01-17', 1],
    ]);
    const names = new Map(patients.map((p) => [String(p.patient_id), p.display_name]));
    const links: Array<Record<string, unknown>> = await db.knex('smart_host_patient_links').orderBy(['identity', 'patient_id']);
    const described = links.map((l) => `${String(l.identity)} ${String(names.get(String(l.patient_id)))} ${String(l.relationship)}`).sort();
    assert.deepEqual(described, [
      'maria@example.com Leo Lopez child', 'maria@example.com Maria Lopez self', 'maria@example.com Mia Lopez child',
      'pat@example.com Pat Jones self', 'sam@example.com Sam Rivera self',
    ]);
  });
});

describe('sql/mssql/host-contract.sql', () => {
  it('defines each contract view in its own batch, with every contract column', async () => {
    const script = await readFile(mssqlContractFile, 'utf8');
    const batches = splitBatches(script);
    const views = Object.keys(contractViewColumns);
    assert.equal(batches.length, views.length);
    batches.forEach((batch, index) => {
      const view = views[index]!;
      assert.match(batch, new RegExp(`^CREATE OR ALTER VIEW dbo\\.${view} AS$`, 'm'), view);
      for (const column of contractViewColumns[view as ContractViewName]) {
        assert.match(batch, new RegExp(`AS \\[?${column}\\]?[,\\s]`), `${view}.${column}`);
      }
    });
    // Drivers read "?" as a parameter placeholder, so the script must contain none.
    assert.equal(script.includes('?'), false);
  });
});
