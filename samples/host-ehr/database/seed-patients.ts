import type { Knex } from 'knex';
import { demoPortalIdentities } from './demo-identities.ts';
import { insertRow, insertRows } from './insert-row.ts';
import type { DirectoryIds, ProviderKey } from './seed-directory.ts';

export type PatientKey = 'pat' | 'maria' | 'leo' | 'mia' | 'sam';

/** Ids of the chart rows that clinical data refers to. */
export interface ChartIds {
  patients: Record<PatientKey, number>;
  /** Each patient has a preventive visit and a follow-up visit. */
  encounters: Record<PatientKey, { checkup: number; followUp: number }>;
  /** Confidential documents; clinical rows created in them inherit their confidentiality. */
  documents: { samBehavioralHealth: number; patGeneticCounseling: number };
}

const cpt = 'http://www.ama-assn.org/go/cpt';
const white = { race_code: '2106-3', race_display: 'White' };
const hispanic = { ethnicity_code: '2135-2', ethnicity_display: 'Hispanic or Latino' };
const notHispanic = { ethnicity_code: '2186-5', ethnicity_display: 'Not Hispanic or Latino' };
const lopezHome = { address_line: '48 Oak Avenue', city: 'Springfield', state: 'IL', postal_code: '62704', phone: '(217) 555-0142' };

interface PatientSeed {
  key: PatientKey;
  row: Record<string, unknown>;
  provider: ProviderKey;
  checkup: [code: string, display: string, date: string];
  followUp: [reason: string, date: string];
}

/** The five demo patients. Sam Rivera's chart is sensitive; Leo and Mia are Maria Lopez's children. */
export const demoPatients: PatientSeed[] = [
  {
    key: 'pat', provider: 'chen',
    row: { mrn: 'MRN-1001', given_name: 'Pat', family_name: 'Jones', birth_date: '1958-03-14', sex: 'male',
      address_line: '12 Elm Street', city: 'Springfield', state: 'IL', postal_code: '62701', phone: '(217) 555-0101',
      email: 'pat@example.com', ...white, ...notHispanic, language: 'en', is_sensitive: false },
    checkup: ['99397', 'Preventive medicine visit, established patient, 65 years and older', '2026-03-10'],
    followUp: ['Hypertension follow-up', '2026-09-14'],
  },
  {
    key: 'maria', provider: 'chen',
    row: { mrn: 'MRN-1002', given_name: 'Maria', family_name: 'Lopez', birth_date: '1986-07-22', sex: 'female',
      ...lopezHome, email: 'maria@example.com', ...white, ...hispanic, language: 'es', is_sensitive: false },
    checkup: ['99396', 'Preventive medicine visit, established patient, 40-64 years', '2026-04-02'],
    followUp: ['Cough and congestion', '2026-10-20'],
  },
  {
    key: 'leo', provider: 'natarajan',
    row: { mrn: 'MRN-1003', given_name: 'Leo', family_name: 'Lopez', birth_date: '2015-05-09', sex: 'male',
      ...lopezHome, email: null, ...white, ...hispanic, language: 'en', is_sensitive: false },
    checkup: ['99393', 'Preventive medicine visit, established patient, 5-11 years', '2026-05-12'],
    followUp: ['Wrist fracture follow-up', '2026-08-03'],
  },
  {
    key: 'mia', provider: 'natarajan',
    row: { mrn: 'MRN-1004', given_name: 'Mia', family_name: 'Lopez', birth_date: '2020-11-30', sex: 'female',
      ...lopezHome, email: null, ...white, ...hispanic, language: 'en', is_sensitive: false },
    checkup: ['99393', 'Preventive medicine visit, established patient, 5-11 years', '2026-06-01'],
    followUp: ['Ear pain', '2026-10-06'],
  },
  {
    key: 'sam', provider: 'okafor',
    row: { mrn: 'MRN-1005', given_name: 'Sam', family_name: 'Rivera', birth_date: '1992-01-17', sex: 'male',
      address_line: '7 Birch Lane, Apt 3', city: 'Springfield', state: 'IL', postal_code: '62702', phone: '(217) 555-0175',
      email: 'sam@example.com', race_code: '2054-5', race_display: 'Black or African American', ...notHispanic,
      language: 'en', is_sensitive: true },
    checkup: ['99395', 'Preventive medicine visit, established patient, 18-39 years', '2026-02-18'],
    followUp: ['Medication management', '2026-09-29'],
  },
];

/** Seeds patients, their portal links, two encounters each, and their notes. */
export async function seedPatients(trx: Knex, directory: DirectoryIds): Promise<ChartIds> {
  const patients = {} as ChartIds['patients'];
  const encounters = {} as ChartIds['encounters'];
  const progressNotes: Array<Record<string, unknown>> = [];
  for (const seed of demoPatients) {
    const patientId = await insertRow(trx, 'ehr_patients', { ...seed.row, primary_provider_id: directory.providers[seed.provider] });
    patients[seed.key] = patientId;
    const visit = (provider: ProviderKey, code: string, display: string, reason: string | null, date: string) =>
      insertRow(trx, 'ehr_encounters', {
        patient_id: patientId, provider_id: directory.providers[provider],
        location_id: seed.provider === 'natarajan' ? directory.locations.pediatrics : directory.locations.main,
        status: 'finished', class_code: 'AMB', type_code_system: cpt, type_code: code, type_display: display,
        reason, start_at: `${date}T14:00:00Z`, end_at: `${date}T14:30:00Z`,
      });
    const [code, display, date] = seed.checkup;
    const [reason, followUpDate] = seed.followUp;
    encounters[seed.key] = {
      checkup: await visit(seed.provider, code, display, 'Annual preventive visit', date),
      followUp: await visit(seed.provider, '99214', 'Office visit, established patient, moderate complexity', reason, followUpDate),
    };
    progressNotes.push(document(patientId, directory.documentTypes.progressNote, encounters[seed.key].checkup,
      directory.providers[seed.provider], date, 'Annual visit progress note',
      `${String(seed.row.given_name)} seen for an annual preventive visit. History reviewed, immunizations updated, ` +
      'counselled on diet and exercise. Return in one year or sooner as needed.'));
  }
  await insertRows(trx, 'ehr_documents', progressNotes);
  await insertRows(trx, 'ehr_patient_portal_links', portalLinks(patients));
  const documents = {
    samBehavioralHealth: await insertRow(trx, 'ehr_documents', document(patients.sam, directory.documentTypes.behavioralHealth,
      encounters.sam.followUp, directory.providers.okafor, '2026-09-29', 'Behavioral health follow-up',
      'Follow-up for major depressive disorder and generalized anxiety. PHQ-9 today 11 (was 17). Tolerating ' +
      'sertraline 50 mg daily; continue. Weekly psychotherapy. No suicidal ideation. Safety plan reviewed.')),
    patGeneticCounseling: await insertRow(trx, 'ehr_documents', document(patients.pat, directory.documentTypes.geneticCounseling,
      encounters.pat.followUp, directory.providers.chen, '2026-09-14', 'Genetic counseling consult',
      'Family history of early cardiac conduction disease reviewed. Genetic testing discussed and declined for now.')),
  };
  return { patients, encounters, documents };
}

function document(patientId: number, typeId: number, encounterId: number, authorId: number, date: string,
  title: string, content: string): Record<string, unknown> {
  return {
    patient_id: patientId, document_type_id: typeId, encounter_id: encounterId, author_provider_id: authorId,
    document_date: `${date}T15:00:00Z`, status: 'current', title, content, content_type: 'text/plain',
  };
}

function portalLinks(patients: ChartIds['patients']): Array<Record<string, unknown>> {
  const byMrn = new Map(demoPatients.map((seed) => [String(seed.row.mrn), patients[seed.key]]));
  return Object.values(demoPortalIdentities).flatMap((identity) => identity.charts.map((chart) => ({
    email: identity.email.toLowerCase(), patient_id: byMrn.get(chart.mrn), relationship: chart.relationship,
  })));
}
