import type { TableDefinition } from './column-sets.ts';

/**
 * The EHR's organisation, staff and access control: who may sign in and what each user may do.
 * The contract views (`contract-views.ts`) are defined over these tables.
 */
export const directoryTables: TableDefinition[] = [
  {
    name: 'ehr_organization',
    build(t) {
      t.increments('id').primary();
      t.string('name', 200).notNullable();
      t.string('npi', 10).notNullable();
      t.string('phone', 30).notNullable();
      t.string('address_line', 200).notNullable();
      t.string('city', 100).notNullable();
      t.string('state', 2).notNullable();
      t.string('postal_code', 10).notNullable();
      t.boolean('is_active').notNullable().defaultTo(true);
    },
  },
  {
    name: 'ehr_locations',
    build(t) {
      t.increments('id').primary();
      t.integer('organization_id').unsigned().notNullable().references('id').inTable('ehr_organization');
      t.string('name', 200).notNullable();
      t.string('status', 20).notNullable();
      // HL7 v3 RoleCode, e.g. 'OF' (outpatient facility), as US Core Location.type expects.
      t.string('type_code', 20).notNullable();
      t.string('type_display', 100).notNullable();
      t.string('phone', 30).notNullable();
      t.string('address_line', 200).notNullable();
      t.string('city', 100).notNullable();
      t.string('state', 2).notNullable();
      t.string('postal_code', 10).notNullable();
    },
  },
  {
    name: 'ehr_providers',
    build(t) {
      t.increments('id').primary();
      t.integer('organization_id').unsigned().notNullable().references('id').inTable('ehr_organization');
      t.string('npi', 10).notNullable().unique();
      t.string('prefix', 20).nullable();
      t.string('given_name', 100).notNullable();
      t.string('family_name', 100).notNullable();
      // NUCC provider taxonomy, the code system US Core PractitionerRole.specialty uses.
      t.string('specialty_code', 20).notNullable();
      t.string('specialty_display', 100).notNullable();
      t.string('phone', 30).notNullable();
      t.string('email', 254).nullable();
      t.boolean('is_active').notNullable().defaultTo(true);
    },
  },
  {
    name: 'ehr_permissions',
    build(t) {
      t.increments('id').primary();
      t.string('name', 100).notNullable().unique();
      t.string('description', 300).notNullable();
    },
  },
  {
    name: 'ehr_roles',
    build(t) {
      t.increments('id').primary();
      t.string('name', 100).notNullable().unique();
      t.string('description', 300).notNullable();
    },
  },
  {
    name: 'ehr_role_permissions',
    build(t) {
      t.integer('role_id').unsigned().notNullable().references('id').inTable('ehr_roles');
      t.integer('permission_id').unsigned().notNullable().references('id').inTable('ehr_permissions');
      t.primary(['role_id', 'permission_id']);
    },
  },
  {
    name: 'ehr_users',
    build(t) {
      t.increments('id').primary();
      t.string('login_name', 100).notNullable().unique();
      t.string('display_name', 200).notNullable();
      // `scrypt$N$r$p$salt$hash` (see auth/password-hash.ts); NULL for users who only sign in with Azure AD.
      t.string('password_hash', 255).nullable();
      t.boolean('is_active').notNullable().defaultTo(true);
      t.string('email', 254).nullable();
      // Azure AD B2B: a staff member is matched by tenant id + object id, never by email (mutable, reusable).
      t.string('aad_tenant_id', 36).nullable();
      t.string('aad_object_id', 36).nullable();
      t.integer('provider_id').unsigned().nullable().references('id').inTable('ehr_providers');
      // Not unique: SQL Server treats NULLs as equal in a unique index, and most users have no AAD link.
      t.index(['aad_tenant_id', 'aad_object_id']);
    },
  },
  {
    name: 'ehr_user_roles',
    build(t) {
      t.integer('user_id').unsigned().notNullable().references('id').inTable('ehr_users');
      t.integer('role_id').unsigned().notNullable().references('id').inTable('ehr_roles');
      t.primary(['user_id', 'role_id']);
    },
  },
  {
    name: 'ehr_user_permission_overrides',
    build(t) {
      t.integer('user_id').unsigned().notNullable().references('id').inTable('ehr_users');
      t.integer('permission_id').unsigned().notNullable().references('id').inTable('ehr_permissions');
      // One row per user and permission, so a permission cannot be granted and revoked at once.
      t.string('effect', 6).notNullable().checkIn(['grant', 'revoke']);
      t.primary(['user_id', 'permission_id']);
    },
  },
  {
    name: 'ehr_document_types',
    build(t) {
      t.increments('id').primary();
      t.string('code', 20).notNullable().unique();
      t.string('name', 100).notNullable().unique();
      // LOINC document type, for DocumentReference.type.
      t.string('loinc_code', 20).notNullable();
      t.string('loinc_display', 100).notNullable();
      t.boolean('is_confidential').notNullable().defaultTo(false);
    },
  },
  {
    name: 'ehr_role_document_types',
    build(t) {
      t.integer('role_id').unsigned().notNullable().references('id').inTable('ehr_roles');
      t.integer('document_type_id').unsigned().notNullable().references('id').inTable('ehr_document_types');
      t.primary(['role_id', 'document_type_id']);
    },
  },
  {
    name: 'ehr_user_document_types',
    build(t) {
      t.integer('user_id').unsigned().notNullable().references('id').inTable('ehr_users');
      t.integer('document_type_id').unsigned().notNullable().references('id').inTable('ehr_document_types');
      t.primary(['user_id', 'document_type_id']);
    },
  },
];
