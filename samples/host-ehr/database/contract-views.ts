import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';

/** The host contract (DESIGN §2): view names and columns the plugin reads. */
export const contractViewColumns = {
  smart_host_users: [
    'user_id', 'login_name', 'display_name', 'password_hash', 'is_active',
    'email', 'aad_tenant_id', 'aad_object_id', 'fhir_user',
  ],
  smart_host_user_roles: ['user_id', 'role'],
  smart_host_user_permissions: ['user_id', 'permission'],
  smart_host_role_permissions: ['role', 'permission'],
  smart_host_patients: ['patient_id', 'display_name', 'birth_date', 'is_sensitive'],
  smart_host_patient_links: ['identity', 'patient_id', 'relationship'],
  smart_host_document_type_access: ['user_id', 'role', 'document_type'],
} as const;

export type ContractViewName = keyof typeof contractViewColumns;

/** Where the SQL Server reference definitions live; they are the source of truth for DBAs. */
export const mssqlContractFile = new URL('../../../sql/mssql/host-contract.sql', import.meta.url);

/**
 * Creates (or re-creates) the host contract views over the reference schema.
 *
 * SQL Server runs the batches of `sql/mssql/host-contract.sql`, so the file a DBA reads is the file we
 * test. SQLite and PostgreSQL get the same logic below, differing only where the dialects do: booleans
 * are tested directly rather than compared with 1, and strings are joined with `||` rather than `+`.
 */
export async function createContractViews(knex: Knex): Promise<void> {
  if (knex.client.dialect === 'mssql') {
    for (const batch of splitBatches(await readFile(mssqlContractFile, 'utf8'))) await knex.raw(batch);
    return;
  }
  // Drop and create in one transaction, so a reader never sees a view missing (both dialects have
  // transactional DDL); CREATE OR REPLACE would fail in PostgreSQL when a column type changes.
  await knex.transaction(async (trx) => {
    for (const [name, select] of Object.entries(portableViewBodies)) {
      await trx.raw(`DROP VIEW IF EXISTS ${name}`);
      await trx.raw(`CREATE VIEW ${name} AS\n${select}`);
    }
  });
}

/** Splits a T-SQL script into batches at lines that are exactly `GO` (as sqlcmd does). */
export function splitBatches(script: string): string[] {
  const batches: string[] = [];
  let current: string[] = [];
  for (const line of script.split(/\r?\n/)) {
    if (line.trim().toUpperCase() === 'GO') {
      batches.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  batches.push(current.join('\n'));
  // A batch of comments alone is nothing to run.
  return batches.filter((batch) => batch.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}

// Logically identical to sql/mssql/host-contract.sql; keep both in step (a test compares their columns).
const portableViewBodies: Record<ContractViewName, string> = {
  smart_host_users: `SELECT
  u.id AS user_id,
  u.login_name AS login_name,
  u.display_name AS display_name,
  u.password_hash AS password_hash,
  CASE WHEN u.is_active THEN 1 ELSE 0 END AS is_active,
  u.email AS email,
  u.aad_tenant_id AS aad_tenant_id,
  u.aad_object_id AS aad_object_id,
  CASE WHEN u.provider_id IS NULL THEN NULL
       ELSE 'Practitioner/' || CAST(u.provider_id AS VARCHAR(20)) END AS fhir_user
FROM ehr_users u`,

  smart_host_user_roles: `SELECT DISTINCT ur.user_id AS user_id, r.name AS role
FROM ehr_user_roles ur
JOIN ehr_roles r ON r.id = ur.role_id`,

  smart_host_user_permissions: `SELECT DISTINCT granted.user_id AS user_id, p.name AS permission
FROM (
  SELECT ur.user_id, rp.permission_id
  FROM ehr_user_roles ur
  JOIN ehr_role_permissions rp ON rp.role_id = ur.role_id
  UNION
  SELECT o.user_id, o.permission_id
  FROM ehr_user_permission_overrides o
  WHERE o.effect = 'grant'
) granted
JOIN ehr_permissions p ON p.id = granted.permission_id
WHERE NOT EXISTS (
  SELECT 1 FROM ehr_user_permission_overrides r
  WHERE r.user_id = granted.user_id
    AND r.permission_id = granted.permission_id
    AND r.effect = 'revoke'
)`,

  smart_host_role_permissions: `SELECT DISTINCT r.name AS role, p.name AS permission
FROM ehr_role_permissions rp
JOIN ehr_roles r ON r.id = rp.role_id
JOIN ehr_permissions p ON p.id = rp.permission_id`,

  smart_host_patients: `SELECT
  p.id AS patient_id,
  p.given_name || ' ' || p.family_name AS display_name,
  p.birth_date AS birth_date,
  CASE WHEN p.is_sensitive THEN 1 ELSE 0 END AS is_sensitive
FROM ehr_patients p`,

  smart_host_patient_links: `SELECT DISTINCT
  LOWER(l.email) AS identity,
  l.patient_id AS patient_id,
  l.relationship AS relationship
FROM ehr_patient_portal_links l`,

  smart_host_document_type_access: `SELECT udt.user_id AS user_id, CAST(NULL AS VARCHAR(100)) AS role, dt.name AS document_type
FROM ehr_user_document_types udt
JOIN ehr_document_types dt ON dt.id = udt.document_type_id
WHERE dt.is_confidential
UNION
SELECT CAST(NULL AS INTEGER) AS user_id, r.name AS role, dt.name AS document_type
FROM ehr_role_document_types rdt
JOIN ehr_roles r ON r.id = rdt.role_id
JOIN ehr_document_types dt ON dt.id = rdt.document_type_id
WHERE dt.is_confidential`,
};
