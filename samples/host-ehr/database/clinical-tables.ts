import { addChartColumns, addCoding, type TableDefinition } from './column-sets.ts';

/**
 * The chart itself, shaped after the US Core profiles it will be served as: allergies, problems and
 * health concerns, medications, immunizations, vital signs, laboratory results grouped in reports,
 * social history (smoking status) and procedures. Numbers are decimals; PostgreSQL returns decimals
 * as strings, so readers convert with Number().
 */
export const clinicalTables: TableDefinition[] = [
  {
    name: 'ehr_allergies',
    build(t) {
      addChartColumns(t);
      addCoding(t);
      t.string('category', 20).notNullable(); // 'food', 'medication', 'environment', 'biologic'
      t.string('criticality', 20).notNullable(); // 'low', 'high', 'unable-to-assess'
      t.string('clinical_status', 20).notNullable();
      t.string('verification_status', 20).notNullable();
      t.string('reaction_code', 40).nullable(); // SNOMED manifestation
      t.string('reaction_display', 200).nullable();
      t.string('reaction_severity', 20).nullable();
      t.string('onset_date', 10).nullable();
    },
  },
  {
    name: 'ehr_problems',
    build(t) {
      addChartColumns(t);
      addCoding(t);
      // US Core Condition categories: 'problem-list-item', 'encounter-diagnosis', 'health-concern'.
      t.string('category', 30).notNullable();
      t.string('clinical_status', 20).notNullable();
      t.string('verification_status', 20).notNullable();
      t.string('onset_date', 10).nullable();
      t.string('abatement_date', 10).nullable();
    },
  },
  {
    name: 'ehr_medications',
    build(t) {
      // The formulary: one row per RxNorm product, served as the Medication resource.
      t.increments('id').primary();
      t.string('rxnorm_code', 20).notNullable().unique();
      t.string('display', 200).notNullable();
      t.string('form', 50).notNullable();
    },
  },
  {
    name: 'ehr_medication_orders',
    build(t) {
      addChartColumns(t);
      t.integer('medication_id').unsigned().notNullable().references('id').inTable('ehr_medications');
      t.integer('prescriber_id').unsigned().notNullable().references('id').inTable('ehr_providers');
      t.string('status', 20).notNullable(); // 'active', 'completed', 'stopped'
      t.string('intent', 20).notNullable(); // 'order', 'plan'
      t.string('category', 20).notNullable(); // 'community', 'outpatient'
      t.string('authored_on', 20).notNullable();
      t.string('dosage_text', 200).notNullable();
      t.decimal('quantity', 10, 2).nullable();
      t.integer('refills').nullable();
    },
  },
  {
    name: 'ehr_immunizations',
    build(t) {
      addChartColumns(t);
      t.string('cvx_code', 10).notNullable();
      t.string('display', 200).notNullable();
      t.string('status', 20).notNullable(); // 'completed', 'not-done'
      t.string('occurrence_date', 10).notNullable();
      t.string('lot_number', 40).nullable();
      // False when the record came from another source (a state registry, the patient's card).
      t.boolean('primary_source').notNullable().defaultTo(true);
    },
  },
  {
    name: 'ehr_vitals',
    build(t) {
      addChartColumns(t);
      t.string('loinc_code', 20).notNullable();
      t.string('display', 200).notNullable();
      t.string('status', 20).notNullable();
      t.string('effective_at', 20).notNullable();
      // A single value with its UCUM unit, or, for the blood pressure panel (85354-9), both components.
      t.decimal('value', 10, 2).nullable();
      t.string('unit', 20).nullable();
      t.decimal('systolic', 10, 2).nullable();
      t.decimal('diastolic', 10, 2).nullable();
    },
  },
  {
    name: 'ehr_lab_reports',
    build(t) {
      // A DiagnosticReport: the panel that groups individual results.
      addChartColumns(t);
      t.string('loinc_code', 20).notNullable();
      t.string('display', 200).notNullable();
      t.string('status', 20).notNullable();
      t.string('effective_at', 20).notNullable();
      t.string('issued_at', 20).notNullable();
      t.integer('ordering_provider_id').unsigned().notNullable().references('id').inTable('ehr_providers');
      t.string('conclusion', 500).nullable();
    },
  },
  {
    name: 'ehr_lab_results',
    build(t) {
      addChartColumns(t);
      t.integer('report_id').unsigned().nullable().references('id').inTable('ehr_lab_reports');
      t.string('loinc_code', 20).notNullable();
      t.string('display', 200).notNullable();
      t.string('status', 20).notNullable();
      t.string('effective_at', 20).notNullable();
      t.decimal('value', 12, 3).nullable();
      t.string('value_text', 200).nullable();
      t.string('unit', 20).nullable();
      t.decimal('reference_low', 12, 3).nullable();
      t.decimal('reference_high', 12, 3).nullable();
      // HL7 v3 ObservationInterpretation: 'N', 'H', 'L', 'A'.
      t.string('interpretation', 5).nullable();
    },
  },
  {
    name: 'ehr_social_history',
    build(t) {
      addChartColumns(t);
      t.string('loinc_code', 20).notNullable(); // 72166-2 tobacco smoking status
      t.string('display', 200).notNullable();
      t.string('status', 20).notNullable();
      t.string('effective_at', 20).notNullable();
      addCoding(t, 'value_');
    },
  },
  {
    name: 'ehr_procedures',
    build(t) {
      addChartColumns(t);
      addCoding(t);
      t.string('status', 20).notNullable();
      t.string('performed_at', 20).notNullable();
      t.integer('performer_id').unsigned().nullable().references('id').inTable('ehr_providers');
    },
  },
];
