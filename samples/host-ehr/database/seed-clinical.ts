import type { Knex } from 'knex';
import { insertRow, insertRows } from './insert-row.ts';
import { chartColumns, codeSystems as cs, type RecordedIn, type SeedContext } from './seed-context.ts';
import type { PatientKey } from './seed-patients.ts';

type Allergy = [PatientKey, system: string, code: string, display: string, category: string, criticality: string,
  reaction: [code: string, display: string, severity: string], onset: string];

const allergies: Allergy[] = [
  ['pat', cs.rxnorm, '70618', 'Penicillin', 'medication', 'high', ['126485001', 'Urticaria', 'moderate'], '1985-06-01'],
  ['maria', cs.snomed, '111088007', 'Latex', 'environment', 'low', ['40275004', 'Contact dermatitis', 'mild'], '2010-03-15'],
  ['leo', cs.snomed, '762952008', 'Peanut', 'food', 'high', ['39579001', 'Anaphylaxis', 'severe'], '2017-08-20'],
  ['mia', cs.rxnorm, '723', 'Amoxicillin', 'medication', 'low', ['271807003', 'Eruption of skin', 'mild'], '2022-02-11'],
  ['sam', cs.rxnorm, '2670', 'Codeine', 'medication', 'low', ['422587007', 'Nausea', 'mild'], '2012-09-01'],
];

type Problem = [PatientKey, category: string, code: string, display: string, onset: string,
  abatement: string | null, where?: RecordedIn];

// ICD-10-CM throughout. Categories follow US Core Condition: problem list, encounter diagnosis, health concern.
const problems: Problem[] = [
  ['pat', 'problem-list-item', 'I10', 'Essential (primary) hypertension', '2012-05-01', null],
  ['pat', 'problem-list-item', 'E78.5', 'Hyperlipidemia, unspecified', '2014-02-10', null],
  ['pat', 'problem-list-item', 'Z95.0', 'Presence of cardiac pacemaker', '2019-06-11', null],
  ['pat', 'encounter-diagnosis', 'I10', 'Essential (primary) hypertension', '2026-09-14', null, { visit: 'followUp' }],
  ['pat', 'health-concern', 'Z72.4', 'Inappropriate diet and eating habits', '2026-03-10', null],
  ['maria', 'problem-list-item', 'J45.909', 'Unspecified asthma, uncomplicated', '2001-01-01', null],
  ['maria', 'problem-list-item', 'Z96.641', 'Presence of right artificial hip joint', '2021-09-08', null],
  ['maria', 'encounter-diagnosis', 'J06.9', 'Acute upper respiratory infection, unspecified', '2026-10-20', '2026-10-31', { visit: 'followUp' }],
  ['maria', 'health-concern', 'Z73.3', 'Stress, not elsewhere classified', '2026-04-02', null],
  ['leo', 'problem-list-item', 'Z91.010', 'Allergy to peanuts', '2017-08-20', null],
  ['leo', 'encounter-diagnosis', 'Z00.129', 'Encounter for routine child health examination without abnormal findings', '2026-05-12', '2026-05-12'],
  ['leo', 'encounter-diagnosis', 'S52.501D', 'Unspecified fracture of the lower end of right radius, subsequent encounter, routine healing', '2026-06-20', '2026-09-01', { visit: 'followUp' }],
  ['leo', 'health-concern', 'Z71.3', 'Dietary counseling and surveillance', '2026-05-12', null],
  ['mia', 'problem-list-item', 'J30.2', 'Other seasonal allergic rhinitis', '2024-04-01', null],
  ['mia', 'problem-list-item', 'Z87.81', 'Personal history of (healed) traumatic fracture', '2025-07-19', null],
  ['mia', 'encounter-diagnosis', 'H66.90', 'Otitis media, unspecified, unspecified ear', '2026-10-06', '2026-10-16', { visit: 'followUp' }],
  ['mia', 'health-concern', 'Z72.821', 'Inadequate sleep hygiene', '2026-06-01', null],
  ['sam', 'problem-list-item', 'I42.1', 'Obstructive hypertrophic cardiomyopathy', '2019-04-02', null],
  ['sam', 'problem-list-item', 'F32.1', 'Major depressive disorder, single episode, moderate', '2025-11-05', null,
    { visit: 'followUp', document: 'samBehavioralHealth' }],
  ['sam', 'encounter-diagnosis', 'F41.1', 'Generalized anxiety disorder', '2026-09-29', null,
    { visit: 'followUp', document: 'samBehavioralHealth' }],
  ['sam', 'health-concern', 'Z56.0', 'Unemployment, unspecified', '2026-02-18', null],
];

const formulary = [
  ['314076', 'lisinopril 10 MG Oral Tablet', 'tablet'],
  ['617310', 'atorvastatin 20 MG Oral Tablet', 'tablet'],
  ['745679', '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', 'inhaler'],
  ['1870230', 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector', 'auto-injector'],
  ['1014678', 'cetirizine hydrochloride 10 MG Oral Tablet', 'tablet'],
  ['866427', '24 HR metoprolol succinate 25 MG Extended Release Oral Tablet', 'tablet'],
  ['312940', 'sertraline 50 MG Oral Tablet', 'tablet'],
] as const;

type Order = [PatientKey, rxnorm: string, prescriber: 'chen' | 'okafor' | 'natarajan', authoredOn: string,
  dosage: string, quantity: number, refills: number, where?: RecordedIn];

const orders: Order[] = [
  ['pat', '314076', 'chen', '2026-03-10', 'Take 1 tablet by mouth once daily', 90, 3],
  ['pat', '617310', 'chen', '2026-03-10', 'Take 1 tablet by mouth at bedtime', 90, 3],
  ['maria', '745679', 'chen', '2026-04-02', 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing', 1, 2],
  ['leo', '1870230', 'natarajan', '2026-05-12', 'Inject 0.3 mg into the outer thigh for anaphylaxis; call 911', 2, 1],
  ['mia', '1014678', 'natarajan', '2026-06-01', 'Take half a tablet (5 mg) by mouth once daily', 30, 5],
  ['sam', '866427', 'chen', '2026-02-18', 'Take 1 tablet by mouth once daily', 90, 3],
  ['sam', '312940', 'okafor', '2026-09-29', 'Take 1 tablet by mouth once daily', 30, 2, { visit: 'followUp', document: 'samBehavioralHealth' }],
];

type Immunization = [PatientKey, cvx: string, display: string, date: string, lot: string];

const immunizations: Immunization[] = [
  ['pat', '140', 'Influenza, seasonal, injectable, preservative free', '2025-10-02', 'FLU2025A'],
  ['pat', '33', 'Pneumococcal polysaccharide vaccine, 23 valent', '2023-10-10', 'PPV23-881'],
  ['maria', '140', 'Influenza, seasonal, injectable, preservative free', '2025-10-15', 'FLU2025B'],
  ['maria', '115', 'Tdap', '2024-04-02', 'TDAP-4410'],
  ['leo', '03', 'MMR', '2016-05-20', 'MMR-1602'],
  ['leo', '20', 'DTaP', '2019-06-01', 'DTAP-1906'],
  ['mia', '03', 'MMR', '2021-12-01', 'MMR-2112'],
  ['mia', '20', 'DTaP', '2025-01-10', 'DTAP-2501'],
  ['sam', '140', 'Influenza, seasonal, injectable, preservative free', '2025-10-20', 'FLU2025C'],
  ['sam', '208', 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose', '2024-09-30', 'CV24-0930'],
];

/** Seeds allergies, problems and health concerns, the formulary and orders, and immunizations. */
export async function seedClinical(trx: Knex, context: SeedContext): Promise<void> {
  await insertRows(trx, 'ehr_allergies', allergies.map(([patient, system, code, display, category, criticality, reaction, onset]) => ({
    ...chartColumns(context, patient, onset, { visit: null }), code_system: system, code, display, category, criticality,
    clinical_status: 'active', verification_status: 'confirmed', reaction_code: reaction[0],
    reaction_display: reaction[1], reaction_severity: reaction[2], onset_date: onset,
  })));
  await insertRows(trx, 'ehr_problems', problems.map(([patient, category, code, display, onset, abatement, where]) => ({
    ...chartColumns(context, patient, onset, where), code_system: cs.icd10cm, code, display, category,
    clinical_status: abatement ? 'resolved' : 'active', verification_status: 'confirmed', onset_date: onset, abatement_date: abatement,
  })));
  const medications = new Map<string, number>();
  for (const [code, display, form] of formulary) {
    medications.set(code, await insertRow(trx, 'ehr_medications', { rxnorm_code: code, display, form }));
  }
  await insertRows(trx, 'ehr_medication_orders', orders.map(([patient, rxnorm, prescriber, authoredOn, dosage, quantity, refills, where]) => ({
    ...chartColumns(context, patient, authoredOn, where), medication_id: medications.get(rxnorm),
    prescriber_id: context.directory.providers[prescriber], status: 'active', intent: 'order', category: 'community',
    authored_on: authoredOn, dosage_text: dosage, quantity, refills,
  })));
  await insertRows(trx, 'ehr_immunizations', immunizations.map(([patient, cvx, display, date, lot]) => ({
    ...chartColumns(context, patient, date, { visit: null }), cvx_code: cvx, display, status: 'completed', occurrence_date: date,
    lot_number: lot, primary_source: true,
  })));
}
