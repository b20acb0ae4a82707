import type { Knex } from 'knex';
import { isTrue } from './boolean-column.ts';

export type Row = Record<string, unknown>;

export interface PatientSummary {
  id: number;
  mrn: string;
  name: string;
  birthDate: string;
  sex: string;
  isSensitive: boolean;
}

/** The patient list, by family then given name. */
export async function listPatients(knex: Knex): Promise<PatientSummary[]> {
  const rows: Row[] = await knex('ehr_patients')
    .select('id', 'mrn', 'given_name', 'family_name', 'birth_date', 'sex', 'is_sensitive')
    .orderBy([{ column: 'family_name' }, { column: 'given_name' }, { column: 'id' }]);
  return rows.map(toSummary);
}

export async function findPatient(knex: Knex, id: number): Promise<(PatientSummary & { row: Row }) | undefined> {
  const row: Row | undefined = await knex('ehr_patients').where('id', id).first();
  return row ? { ...toSummary(row), row } : undefined;
}

function toSummary(row: Row): PatientSummary {
  return {
    id: Number(row.id),
    mrn: String(row.mrn),
    name: `${String(row.given_name)} ${String(row.family_name)}`,
    birthDate: String(row.birth_date),
    sex: String(row.sex),
    isSensitive: isTrue(row.is_sensitive),
  };
}

/** The clinical chart, already filtered to what the reader may see. */
export interface Chart {
  problems: Row[];
  allergies: Row[];
  medications: Row[];
  immunizations: Row[];
  vitals: Row[];
  labResults: Row[];
  procedures: Row[];
  devices: Row[];
  carePlans: Row[];
  encounters: Row[];
  documents: Row[];
}

/**
 * Loads a patient's chart. Documents of a confidential type the reader may not see are left out,
 * and so is every clinical row created in such a document: hiding the note but showing the diagnosis
 * written in it would disclose the same thing.
 */
export async function loadChart(knex: Knex, patientId: number, visibleDocumentTypes: ReadonlySet<string>): Promise<Chart> {
  const documents: Row[] = await knex('ehr_documents as d')
    .join('ehr_document_types as t', 't.id', 'd.document_type_id')
    .join('ehr_providers as p', 'p.id', 'd.author_provider_id')
    .select('d.id', 'd.title', 'd.document_date', 'd.content', 't.name as type_name', 't.is_confidential',
      'p.given_name as author_given', 'p.family_name as author_family')
    .where('d.patient_id', patientId)
    .orderBy([{ column: 'd.document_date', order: 'desc' }, { column: 'd.id' }]);
  const hidden = new Set(documents
    .filter((doc) => isTrue(doc.is_confidential) && !visibleDocumentTypes.has(String(doc.type_name)))
    .map((doc) => Number(doc.id)));
  const visible = (rows: Row[]) => rows.filter((row) => row.document_id == null || !hidden.has(Number(row.document_id)));
  const rowsOf = async (table: string, order: string, direction: 'asc' | 'desc' = 'desc') =>
    visible(await knex(table).where('patient_id', patientId).orderBy([{ column: order, order: direction }, { column: 'id' }]));
  return {
    problems: await rowsOf('ehr_problems', 'onset_date'),
    allergies: await rowsOf('ehr_allergies', 'onset_date'),
    medications: visible(await knex('ehr_medication_orders as o')
      .join('ehr_medications as m', 'm.id', 'o.medication_id')
      .select('o.*', 'm.display', 'm.rxnorm_code')
      .where('o.patient_id', patientId)
      .orderBy([{ column: 'o.authored_on', order: 'desc' }, { column: 'o.id' }])),
    immunizations: await rowsOf('ehr_immunizations', 'occurrence_date'),
    vitals: await rowsOf('ehr_vitals', 'effective_at'),
    labResults: visible(await knex('ehr_lab_results as r')
      .leftJoin('ehr_lab_reports as rep', 'rep.id', 'r.report_id')
      .select('r.*', 'rep.display as report_display')
      .where('r.patient_id', patientId)
      .orderBy([{ column: 'r.effective_at', order: 'desc' }, { column: 'r.id' }])),
    procedures: await rowsOf('ehr_procedures', 'performed_at'),
    devices: await rowsOf('ehr_devices', 'implanted_on'),
    carePlans: await rowsOf('ehr_care_plans', 'period_start'),
    encounters: await rowsOf('ehr_encounters', 'start_at'),
    documents: documents.filter((doc) => !hidden.has(Number(doc.id))),
  };
}

/** Appointments of a patient, for staff with the Schedule permission. */
export function listAppointments(knex: Knex, patientId: number): Promise<Row[]> {
  return knex('ehr_appointments as a')
    .join('ehr_providers as p', 'p.id', 'a.provider_id')
    .select('a.start_at', 'a.status', 'a.service_type', 'a.reason', 'p.family_name as provider_family')
    .where('a.patient_id', patientId)
    .orderBy([{ column: 'a.start_at', order: 'desc' }, { column: 'a.id' }]);
}
