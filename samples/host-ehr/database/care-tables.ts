import { addChartColumns, type TableDefinition } from './column-sets.ts';

/** Care planning (plans, teams, goals), implanted devices, and the scheduling book. */
export const careTables: TableDefinition[] = [
  {
    name: 'ehr_care_plans',
    build(t) {
      addChartColumns(t);
      t.string('status', 20).notNullable();
      t.string('intent', 20).notNullable();
      // US Core CarePlan category 'assess-plan'.
      t.string('category', 30).notNullable();
      t.string('title', 200).notNullable();
      t.text('description').notNullable();
      t.string('period_start', 10).notNullable();
      t.string('period_end', 10).nullable();
    },
  },
  {
    name: 'ehr_care_teams',
    build(t) {
      t.increments('id').primary();
      t.integer('patient_id').unsigned().notNullable().references('id').inTable('ehr_patients');
      t.string('status', 20).notNullable();
      t.string('name', 200).notNullable();
      t.index(['patient_id']);
    },
  },
  {
    name: 'ehr_care_team_members',
    build(t) {
      t.integer('care_team_id').unsigned().notNullable().references('id').inTable('ehr_care_teams');
      t.integer('provider_id').unsigned().notNullable().references('id').inTable('ehr_providers');
      // NUCC taxonomy of the member's role on this team.
      t.string('role_code', 20).notNullable();
      t.string('role_display', 100).notNullable();
      t.primary(['care_team_id', 'provider_id']);
    },
  },
  {
    name: 'ehr_goals',
    build(t) {
      addChartColumns(t);
      t.integer('care_plan_id').unsigned().nullable().references('id').inTable('ehr_care_plans');
      t.string('lifecycle_status', 20).notNullable();
      t.string('achievement_status', 30).nullable();
      t.string('description', 300).notNullable();
      t.string('start_date', 10).notNullable();
      t.string('target_date', 10).nullable();
    },
  },
  {
    name: 'ehr_devices',
    build(t) {
      // Implantable devices only, as in US Core Implantable Device; the UDI values are fictional.
      addChartColumns(t);
      t.string('type_code', 40).notNullable(); // SNOMED physical object
      t.string('type_display', 200).notNullable();
      t.string('status', 20).notNullable(); // 'active', 'inactive'
      t.string('udi_carrier', 200).notNullable();
      t.string('udi_device_identifier', 40).notNullable();
      t.string('manufacturer', 100).notNullable();
      t.string('model', 100).nullable();
      t.string('lot_number', 40).nullable();
      t.string('serial_number', 40).nullable();
      t.string('manufacture_date', 10).nullable();
      t.string('expiration_date', 10).nullable();
      t.string('implanted_on', 10).notNullable();
    },
  },
  {
    name: 'ehr_schedules',
    build(t) {
      t.increments('id').primary();
      t.integer('provider_id').unsigned().notNullable().references('id').inTable('ehr_providers');
      t.integer('location_id').unsigned().notNullable().references('id').inTable('ehr_locations');
      t.boolean('is_active').notNullable().defaultTo(true);
      t.string('service_type', 100).notNullable();
      t.string('planning_start', 10).notNullable();
      t.string('planning_end', 10).notNullable();
    },
  },
  {
    name: 'ehr_slots',
    build(t) {
      t.increments('id').primary();
      t.integer('schedule_id').unsigned().notNullable().references('id').inTable('ehr_schedules');
      t.string('status', 20).notNullable(); // 'free', 'busy', 'busy-unavailable'
      t.string('start_at', 20).notNullable();
      t.string('end_at', 20).notNullable();
      t.index(['schedule_id', 'start_at']);
    },
  },
  {
    name: 'ehr_appointments',
    build(t) {
      t.increments('id').primary();
      t.integer('patient_id').unsigned().notNullable().references('id').inTable('ehr_patients');
      t.integer('provider_id').unsigned().notNullable().references('id').inTable('ehr_providers');
      t.integer('location_id').unsigned().notNullable().references('id').inTable('ehr_locations');
      t.integer('slot_id').unsigned().nullable().references('id').inTable('ehr_slots');
      t.string('status', 20).notNullable(); // 'booked', 'fulfilled', 'cancelled', 'noshow'
      t.string('service_type', 100).notNullable();
      t.string('reason', 200).nullable();
      t.string('start_at', 20).notNullable();
      t.string('end_at', 20).notNullable();
      t.string('created_at', 20).notNullable();
      t.index(['patient_id']);
    },
  },
];
