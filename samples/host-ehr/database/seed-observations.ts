import type { Knex } from 'knex';
import { insertRow, insertRows } from './insert-row.ts';
import { chartColumns, codeSystems as cs, type SeedContext } from './seed-context.ts';
import { demoPatients, type PatientKey } from './seed-patients.ts';

/** Vital signs at the checkup: height cm, weight kg, BP mm[Hg], heart and breathing rate /min, temp Cel, SpO2 %. */
const vitals: Record<PatientKey, { height: number; weight: number; bp: [number, number]; hr: number; rr: number; temp: number; spo2: number }> = {
  pat: { height: 175, weight: 84, bp: [138, 86], hr: 72, rr: 16, temp: 36.8, spo2: 97 },
  maria: { height: 163, weight: 68, bp: [118, 76], hr: 70, rr: 14, temp: 36.7, spo2: 99 },
  leo: { height: 146, weight: 38, bp: [104, 64], hr: 84, rr: 18, temp: 36.9, spo2: 99 },
  mia: { height: 116, weight: 21, bp: [96, 58], hr: 96, rr: 22, temp: 37.0, spo2: 99 },
  sam: { height: 180, weight: 77, bp: [122, 78], hr: 64, rr: 14, temp: 36.6, spo2: 98 },
};

type Analyte = [loinc: string, display: string, unit: string, low: number | null, high: number | null];

/** Laboratory panels (the DiagnosticReport code) and their analytes with adult reference ranges. */
const panels: Record<'lipid' | 'cbc' | 'bmp', { loinc: string; display: string; analytes: Analyte[] }> = {
  lipid: { loinc: '57698-3', display: 'Lipid panel with direct LDL - Serum or Plasma', analytes: [
    ['2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', null, 200],
    ['2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', null, 150],
    ['2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 40, null],
    ['18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'mg/dL', null, 100],
  ] },
  cbc: { loinc: '58410-2', display: 'CBC panel - Blood by Automated count', analytes: [
    ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 4.5, 11],
    ['718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 11.5, 15.5],
    ['4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 35, 45],
    ['777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 150, 450],
  ] },
  bmp: { loinc: '51990-0', display: 'Basic metabolic panel - Blood', analytes: [
    ['2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 70, 99],
    ['3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'mg/dL', 7, 20],
    ['2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 0.7, 1.3],
    ['2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 135, 145],
    ['2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 3.5, 5.1],
  ] },
};

/** Each patient's report from the checkup: which panel, and the values in the order of its analytes. */
const labs: Record<PatientKey, [keyof typeof panels, number[], conclusion: string]> = {
  pat: ['lipid', [212, 168, 44, 134], 'Mildly elevated LDL; continue statin.'],
  maria: ['cbc', [7.2, 12.9, 38.5, 260], 'Within normal limits.'],
  leo: ['cbc', [6.8, 13.1, 39, 290], 'Within normal limits.'],
  mia: ['cbc', [8.1, 12.2, 36.4, 310], 'Within normal limits.'],
  sam: ['bmp', [92, 14, 0.98, 139, 4.1], 'Within normal limits.'],
};

const smoking: Record<PatientKey, [code: string, display: string]> = {
  pat: ['8517006', 'Ex-smoker'],
  maria: ['266919005', 'Never smoked tobacco'],
  leo: ['266919005', 'Never smoked tobacco'],
  mia: ['266919005', 'Never smoked tobacco'],
  sam: ['449868002', 'Smokes tobacco daily'],
};

/** Seeds vital signs, a laboratory report with its results, and smoking status for every patient. */
export async function seedObservations(trx: Knex, context: SeedContext): Promise<void> {
  for (const { key, checkup, provider } of demoPatients) {
    const at = `${checkup[2]}T14:10:00Z`;
    const base = { ...chartColumns(context, key, at), status: 'final', effective_at: at };
    await insertRows(trx, 'ehr_vitals', vitalRows(key).map((row) => ({ ...base, ...row })));
    const [panelName, values, conclusion] = labs[key];
    const panel = panels[panelName];
    const reportId = await insertRow(trx, 'ehr_lab_reports', {
      ...base, loinc_code: panel.loinc, display: panel.display, issued_at: `${checkup[2]}T18:00:00Z`,
      // Sam's primary clinician is his psychiatrist; his cardiology labs are ordered by primary care.
      ordering_provider_id: context.directory.providers[key === 'sam' ? 'chen' : provider], conclusion,
    });
    await insertRows(trx, 'ehr_lab_results', panel.analytes.map(([loinc, display, unit, low, high], index) => {
      const value = values[index] ?? null;
      return {
        ...base, report_id: reportId, loinc_code: loinc, display, value, value_text: null, unit,
        reference_low: low, reference_high: high, interpretation: interpret(value, low, high),
      };
    }));
    const [code, display] = smoking[key];
    await insertRows(trx, 'ehr_social_history', [{
      ...base, loinc_code: '72166-2', display: 'Tobacco smoking status',
      value_code_system: cs.snomed, value_code: code, value_display: display,
    }]);
  }
}

function vitalRows(key: PatientKey): Array<Record<string, unknown>> {
  const v = vitals[key];
  const bmi = Math.round((v.weight / (v.height / 100) ** 2) * 10) / 10;
  const single = (loinc: string, display: string, value: number, unit: string) =>
    ({ loinc_code: loinc, display, value, unit, systolic: null, diastolic: null });
  return [
    { loinc_code: '85354-9', display: 'Blood pressure panel with all children optional', value: null, unit: 'mm[Hg]',
      systolic: v.bp[0], diastolic: v.bp[1] },
    single('8867-4', 'Heart rate', v.hr, '/min'),
    single('9279-1', 'Respiratory rate', v.rr, '/min'),
    single('8310-5', 'Body temperature', v.temp, 'Cel'),
    single('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', v.spo2, '%'),
    single('8302-2', 'Body height', v.height, 'cm'),
    single('29463-7', 'Body weight', v.weight, 'kg'),
    single('39156-5', 'Body mass index (BMI) [Ratio]', bmi, 'kg/m2'),
  ];
}

function interpret(value: number | null, low: number | null, high: number | null): string | null {
  if (value === null) return null;
  if (low !== null && value < low) return 'L';
  if (high !== null && value > high) return 'H';
  return 'N';
}
