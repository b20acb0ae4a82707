import type { Knex } from 'knex';
import { insertRow, insertRows } from './insert-row.ts';
import { chartColumns, codeSystems as cs, type RecordedIn, type SeedContext } from './seed-context.ts';
import { demoPatients, type PatientKey } from './seed-patients.ts';
import type { ProviderKey } from './seed-directory.ts';

type Procedure = [PatientKey, system: string, code: string, display: string, date: string, performer: ProviderKey | null, where?: RecordedIn];

const history: RecordedIn = { visit: null };

const procedures: Procedure[] = [
  ['pat', cs.cpt, '33208', 'Insertion of permanent pacemaker with transvenous electrodes, atrial and ventricular', '2019-06-11', null, history],
  ['pat', cs.snomed, '73761001', 'Colonoscopy', '2024-03-05', null, history],
  ['maria', cs.cpt, '27130', 'Arthroplasty, acetabular and proximal femoral prosthetic replacement (total hip arthroplasty)', '2021-09-08', null, history],
  ['leo', cs.cpt, '25607', 'Open treatment of distal radial extra-articular fracture, with internal fixation', '2026-06-20', null, history],
  ['mia', cs.cpt, '24538', 'Percutaneous skeletal fixation of supracondylar humeral fracture', '2025-07-19', null, history],
  ['sam', cs.cpt, '33249', 'Insertion of permanent implantable defibrillator system with transvenous leads', '2019-05-14', null, history],
  ['sam', cs.cpt, '96127', 'Brief emotional/behavioral assessment with scoring and documentation', '2026-09-29', 'okafor',
    { visit: 'followUp', document: 'samBehavioralHealth' }],
];

type Device = [PatientKey, snomed: string, display: string, implanted: string, status: string, gtin: string, lot: string, serial: string];

// Fictional UDIs in GS1 form: (01) device identifier, (17) expiry, (10) lot, (21) serial.
const devices: Device[] = [
  ['pat', '56961003', 'Cardiac transvenous pacemaker, device', '2019-06-11', 'active', '00812345000011', 'PM19A', 'PMS-44871'],
  ['maria', '67270000', 'Hip prosthesis', '2021-09-08', 'active', '00812345000028', 'HP21C', 'HPR-10293'],
  ['leo', '68183006', 'Bone screw', '2026-06-20', 'active', '00812345000035', 'BS26F', 'BSC-55012'],
  ['mia', '63112008', 'Bone wire', '2025-07-19', 'inactive', '00812345000042', 'BW25G', 'BWR-31877'],
  ['sam', '72506001', 'Implantable defibrillator', '2019-05-14', 'active', '00812345000059', 'ICD19B', 'ICD-78120'],
];

type Plan = [PatientKey, title: string, description: string, goal: string, where?: RecordedIn];

const plans: Plan[] = [
  ['pat', 'Hypertension management', 'Low-sodium diet, home blood pressure log, lisinopril daily; recheck in 3 months.',
    'Blood pressure below 130/80 mm Hg'],
  ['maria', 'Asthma action plan', 'Avoid triggers, rescue inhaler as needed, step up therapy if used more than twice a week.',
    'Rescue inhaler needed no more than twice a week'],
  ['leo', 'Peanut allergy action plan', 'Strict peanut avoidance; epinephrine auto-injector at home and school.',
    'Carries epinephrine auto-injector at all times'],
  ['mia', 'Allergic rhinitis care', 'Daily cetirizine in pollen season; saline rinses; regular bedtime routine.',
    'Sleeps 10 to 13 hours a night'],
  ['sam', 'Cardiomyopathy follow-up', 'Metoprolol daily, yearly echocardiogram and device interrogation.',
    'No syncope or palpitations'],
  ['sam', 'Depression treatment plan', 'Sertraline 50 mg daily, weekly psychotherapy, PHQ-9 at each visit.',
    'PHQ-9 below 5 within six months', { visit: 'followUp', document: 'samBehavioralHealth' }],
];

const specialties: Record<ProviderKey, [string, string]> = {
  chen: ['207Q00000X', 'Family Medicine'],
  okafor: ['2084P0800X', 'Psychiatry'],
  natarajan: ['208000000X', 'Pediatrics'],
};

/** Seeds procedures, implanted devices, care plans with their goals, and a care team per patient. */
export async function seedCare(trx: Knex, context: SeedContext): Promise<void> {
  const providers = context.directory.providers;
  await insertRows(trx, 'ehr_procedures', [
    ...procedures.map(([patient, system, code, display, date, performer, where]) => ({
      ...chartColumns(context, patient, date, where), code_system: system, code, display, status: 'completed',
      performed_at: `${date}T16:00:00Z`, performer_id: performer ? providers[performer] : null,
    })),
    // Every checkup includes a medication reconciliation by the patient's own clinician.
    ...demoPatients.map(({ key, checkup, provider }) => ({
      ...chartColumns(context, key, checkup[2]), code_system: cs.snomed, code: '430193006',
      display: 'Medication reconciliation (procedure)', status: 'completed', performed_at: `${checkup[2]}T14:20:00Z`,
      performer_id: providers[provider],
    })),
  ]);
  await insertRows(trx, 'ehr_devices', devices.map(([patient, code, display, implanted, status, gtin, lot, serial]) => ({
    ...chartColumns(context, patient, implanted, history), type_code: code, type_display: display, status,
    udi_carrier: `(01)${gtin}(17)${expiry(implanted)}(10)${lot}(21)${serial}`, udi_device_identifier: gtin,
    manufacturer: 'Northwind Medical Devices', model: display, lot_number: lot, serial_number: serial,
    manufacture_date: shiftYear(implanted, -1), expiration_date: shiftYear(implanted, 10), implanted_on: implanted,
  })));
  for (const [patient, title, description, goal, where] of plans) {
    const start = demoPatients.find((seed) => seed.key === patient)?.checkup[2] ?? '2026-01-01';
    const columns = chartColumns(context, patient, start, where);
    const carePlanId = await insertRow(trx, 'ehr_care_plans', {
      ...columns, status: 'active', intent: 'plan', category: 'assess-plan', title, description,
      period_start: start, period_end: null,
    });
    await insertRows(trx, 'ehr_goals', [{
      ...columns, care_plan_id: carePlanId, lifecycle_status: 'active', achievement_status: 'in-progress',
      description: goal, start_date: start, target_date: shiftYear(start, 1),
    }]);
  }
  for (const { key, provider, row } of demoPatients) {
    const teamId = await insertRow(trx, 'ehr_care_teams', {
      patient_id: context.chart.patients[key], status: 'active', name: `${String(row.given_name)} ${String(row.family_name)} care team`,
    });
    // Sam's psychiatrist leads his care; primary care still manages his heart condition.
    const members: ProviderKey[] = key === 'sam' ? ['okafor', 'chen'] : [provider];
    await insertRows(trx, 'ehr_care_team_members', members.map((member) => ({
      care_team_id: teamId, provider_id: providers[member], role_code: specialties[member][0], role_display: specialties[member][1],
    })));
  }
}

function shiftYear(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

/** GS1 (17) expiry, YYMMDD, ten years after implant. */
function expiry(implanted: string): string {
  return shiftYear(implanted, 10).slice(2).replaceAll('-', '');
}
