import type { TableDefinition } from './column-sets.ts';

/** Patients, who may open their charts through the portal, encounters, and the documents of a chart. */
export const chartTables: TableDefinition[] = [
  {
    name: 'ehr_patients',
    build(t) {
      t.increments('id').primary();
      t.string('mrn', 20).notNullable().unique();
      t.string('given_name', 100).notNullable();
      t.string('family_name', 100).notNullable();
      t.string('birth_date', 10).notNullable();
      // FHIR administrative gender: 'female', 'male', 'other', 'unknown'.
      t.string('sex', 10).notNullable();
      t.string('address_line', 200).notNullable();
      t.string('city', 100).notNullable();
      t.string('state', 2).notNullable();
      t.string('postal_code', 10).notNullable();
      t.string('phone', 30).notNullable();
      t.string('email', 254).nullable();
      // CDC race and ethnicity codes, for the US Core Patient extensions.
      t.string('race_code', 10).notNullable();
      t.string('race_display', 100).notNullable();
      t.string('ethnicity_code', 10).notNullable();
      t.string('ethnicity_display', 100).notNullable();
      t.string('language', 10).notNullable();
      t.integer('primary_provider_id').unsigned().nullable().references('id').inTable('ehr_providers');
      // A sensitive chart is only shown to users with the "Sensitive Charts" permission; no break-glass.
      t.boolean('is_sensitive').notNullable().defaultTo(false);
    },
  },
  {
    name: 'ehr_patient_portal_links',
    build(t) {
      t.increments('id').primary();
      // The Azure AD B2C sign-in email of the patient or an authorized representative, stored lower-case.
      t.string('email', 254).notNullable();
      t.integer('patient_id').unsigned().notNullable().references('id').inTable('ehr_patients');
      // 'self', 'child', 'spouse', 'parent', 'guardian', ...
      t.string('relationship', 20).notNullable();
      t.unique(['email', 'patient_id']);
    },
  },
  {
    name: 'ehr_encounters',
    build(t) {
      t.increments('id').primary();
      t.integer('patient_id').unsigned().notNullable().references('id').inTable('ehr_patients');
      t.integer('provider_id').unsigned().notNullable().references('id').inTable('ehr_providers');
      t.integer('location_id').unsigned().notNullable().references('id').inTable('ehr_locations');
      t.string('status', 20).notNullable();
      // HL7 v3 ActCode, e.g. 'AMB' (ambulatory).
      t.string('class_code', 10).notNullable();
      t.string('type_code_system', 100).notNullable();
      t.string('type_code', 20).notNullable();
      t.string('type_display', 200).notNullable();
      t.string('reason', 200).nullable();
      t.string('start_at', 20).notNullable();
      t.string('end_at', 20).nullable();
      t.index(['patient_id']);
    },
  },
  {
    name: 'ehr_documents',
    build(t) {
      t.increments('id').primary();
      t.integer('patient_id').unsigned().notNullable().references('id').inTable('ehr_patients');
      t.integer('document_type_id').unsigned().notNullable().references('id').inTable('ehr_document_types');
      t.integer('encounter_id').unsigned().nullable().references('id').inTable('ehr_encounters');
      t.integer('author_provider_id').unsigned().notNullable().references('id').inTable('ehr_providers');
      t.string('document_date', 20).notNullable();
      t.string('status', 20).notNullable();
      t.string('title', 200).notNullable();
      t.text('content').notNullable();
      t.string('content_type', 100).notNullable();
      t.index(['patient_id']);
    },
  },
];
