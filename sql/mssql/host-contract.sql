-- smart-ehr-plugin: host contract views for SQL Server (reference definitions)
--
-- The plugin never reads your EHR tables. It reads only the seven views below, so your DBA decides
-- exactly what it can see. These definitions run over the reference schema of samples/host-ehr
-- (tables ehr_*). Keep the view names and the column names and meanings; replace each SELECT body with
-- one over your own tables. View names can be changed in the plugin options (hostContract.views), and
-- the schema with hostContract.schema.
--
-- Rules that every adapted view must keep:
--   * Ids (user_id, patient_id) may be int, bigint or varchar: the plugin reads every id as a string,
--     so the same id must render identically in every view (no leading zeros in one and not another).
--   * is_active and is_sensitive are 0 or 1 (bit or int). Never NULL.
--   * smart_host_user_permissions holds EFFECTIVE permissions: role permissions, plus per-user grants,
--     minus per-user revokes. A revoke always wins, even over a grant through another role.
--     The plugin caches permissions for a few seconds only, so a change here takes effect quickly.
--   * Dates are text 'YYYY-MM-DD'.
--   * Only confidential document types belong in smart_host_document_type_access.
--   * No row may be repeated: use DISTINCT or UNION where a join can fan out.
--
-- The plugin needs SELECT on these views and nothing else on your tables. Suggested setup, with a
-- dedicated login (adapt names; the plugin's own smart_* tables need their own rights, see
-- plugin-tables.sql):
--
--   CREATE LOGIN smart_plugin WITH PASSWORD = '<a long random password>';
--   CREATE USER smart_plugin FOR LOGIN smart_plugin;
--   GRANT SELECT ON dbo.smart_host_users TO smart_plugin;
--   GRANT SELECT ON dbo.smart_host_user_roles TO smart_plugin;
--   GRANT SELECT ON dbo.smart_host_user_permissions TO smart_plugin;
--   GRANT SELECT ON dbo.smart_host_role_permissions TO smart_plugin;
--   GRANT SELECT ON dbo.smart_host_patients TO smart_plugin;
--   GRANT SELECT ON dbo.smart_host_patient_links TO smart_plugin;
--   GRANT SELECT ON dbo.smart_host_document_type_access TO smart_plugin;
--
-- Ownership chaining lets the views read the base tables without granting them to smart_plugin, as
-- long as the views and tables have the same owner (dbo).
--
-- Batches are separated by lines holding only GO; samples/host-ehr runs them in that order.
-- CREATE OR ALTER needs SQL Server 2016 SP1 or later (on older servers: DROP VIEW, then CREATE VIEW).
-- Avoid question marks in this file: database drivers may read them as parameter placeholders.

-- Staff who may sign in. password_hash is in the host's own format; the plugin's default verifier
-- understands scrypt$N$r$p$salt$hash and pbkdf2-sha256$... Leave it NULL for users who only sign in
-- through Azure AD. aad_tenant_id + aad_object_id identify Azure AD (B2B) users; never match on email.
-- fhir_user is the FHIR reference of the person ('Practitioner/12'), or NULL for non-clinical staff.
CREATE OR ALTER VIEW dbo.smart_host_users AS
SELECT
  u.id AS user_id,
  u.login_name AS login_name,
  u.display_name AS display_name,
  u.password_hash AS password_hash,
  CASE WHEN u.is_active = 1 THEN 1 ELSE 0 END AS is_active,
  u.email AS email,
  u.aad_tenant_id AS aad_tenant_id,
  u.aad_object_id AS aad_object_id,
  CASE WHEN u.provider_id IS NULL THEN NULL
       ELSE N'Practitioner/' + CAST(u.provider_id AS nvarchar(20)) END AS fhir_user
FROM dbo.ehr_users u;
GO

-- Role names each user holds. The plugin looks for the "API Server User" role (password grant for
-- service applications); the name is configurable.
CREATE OR ALTER VIEW dbo.smart_host_user_roles AS
SELECT DISTINCT ur.user_id AS user_id, r.name AS role
FROM dbo.ehr_user_roles ur
JOIN dbo.ehr_roles r ON r.id = ur.role_id;
GO

-- Effective permissions: (permissions of the user's roles UNION per-user grants) minus per-user revokes.
-- If your EHR computes effective rights in a function or stored procedure, wrap that logic here:
-- the plugin will not apply revokes itself.
CREATE OR ALTER VIEW dbo.smart_host_user_permissions AS
SELECT DISTINCT granted.user_id AS user_id, p.name AS permission
FROM (
  SELECT ur.user_id, rp.permission_id
  FROM dbo.ehr_user_roles ur
  JOIN dbo.ehr_role_permissions rp ON rp.role_id = ur.role_id
  UNION
  SELECT o.user_id, o.permission_id
  FROM dbo.ehr_user_permission_overrides o
  WHERE o.effect = N'grant'
) granted
JOIN dbo.ehr_permissions p ON p.id = granted.permission_id
WHERE NOT EXISTS (
  SELECT 1 FROM dbo.ehr_user_permission_overrides r
  WHERE r.user_id = granted.user_id
    AND r.permission_id = granted.permission_id
    AND r.effect = N'revoke'
);
GO

-- Permissions of each role. The plugin reads the "Patient" role here: what patients and their
-- authorized representatives may do.
CREATE OR ALTER VIEW dbo.smart_host_role_permissions AS
SELECT DISTINCT r.name AS role, p.name AS permission
FROM dbo.ehr_role_permissions rp
JOIN dbo.ehr_roles r ON r.id = rp.role_id
JOIN dbo.ehr_permissions p ON p.id = rp.permission_id;
GO

-- Patients, for the patient picker and for security labels. is_sensitive = 1 marks a sensitive chart:
-- only users with the "Sensitive Charts" permission see it (no break-glass).
CREATE OR ALTER VIEW dbo.smart_host_patients AS
SELECT
  p.id AS patient_id,
  p.given_name + N' ' + p.family_name AS display_name,
  p.birth_date AS birth_date,
  CASE WHEN p.is_sensitive = 1 THEN 1 ELSE 0 END AS is_sensitive
FROM dbo.ehr_patients p;
GO

-- Charts an Azure AD B2C identity may open: the patient's own and those they represent.
-- identity is the lower-cased B2C sign-in email (or a stable subject id if your portal stores one).
-- IDENTITY is a reserved word in T-SQL, hence the brackets; the column name itself must stay.
CREATE OR ALTER VIEW dbo.smart_host_patient_links AS
SELECT DISTINCT
  LOWER(l.email) AS [identity],
  l.patient_id AS patient_id,
  l.relationship AS relationship
FROM dbo.ehr_patient_portal_links l;
GO

-- Confidential document types a user (user_id set, role NULL) or a role (role set, user_id NULL) may
-- see. document_type is the type's name, e.g. 'Behavioral Health'; the plugin uses it as the security
-- label of resources created in such documents. Non-confidential types must not appear here.
CREATE OR ALTER VIEW dbo.smart_host_document_type_access AS
SELECT udt.user_id AS user_id, CAST(NULL AS nvarchar(100)) AS role, dt.name AS document_type
FROM dbo.ehr_user_document_types udt
JOIN dbo.ehr_document_types dt ON dt.id = udt.document_type_id
WHERE dt.is_confidential = 1
UNION
SELECT CAST(NULL AS int) AS user_id, r.name AS role, dt.name AS document_type
FROM dbo.ehr_role_document_types rdt
JOIN dbo.ehr_roles r ON r.id = rdt.role_id
JOIN dbo.ehr_document_types dt ON dt.id = rdt.document_type_id
WHERE dt.is_confidential = 1;
GO
