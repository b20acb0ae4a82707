/** How the consent page names a kind of record; `shared` records (staff, places, drugs) belong to no patient. */
export interface RecordName {
  noun: string;
  shared: boolean;
}

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const US_CORE_CONDITION_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/condition-category';
const US_CORE_DOCUMENT_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';

// Plural nouns that read after "your" or a patient's name ("Leo Lopez's") and before "of patients you can access".
const RECORDS: Readonly<Record<string, string>> = {
  AllergyIntolerance: 'allergies and intolerances',
  Appointment: 'appointments',
  AuditEvent: 'access logs',
  Binary: 'attached files',
  CarePlan: 'care plans',
  CareTeam: 'care teams',
  Condition: 'conditions (problems)',
  Coverage: 'insurance coverage',
  Device: 'implanted devices',
  DiagnosticReport: 'test and imaging reports',
  DocumentReference: 'documents',
  Encounter: 'visits and hospital stays',
  Goal: 'health goals',
  Immunization: 'immunizations',
  MedicationDispense: 'dispensed medications',
  MedicationRequest: 'prescriptions',
  Observation: 'observations (results, vital signs and other measurements)',
  Patient: 'demographics and contact details',
  Procedure: 'procedures',
  Provenance: 'record history (who entered what, and when)',
  QuestionnaireResponse: 'questionnaire answers',
  RelatedPerson: 'family members and caregivers',
  ServiceRequest: 'orders and referrals',
  Specimen: 'specimens (lab samples)',
};

// Reference data: the same for every patient, so no owner is named.
const SHARED: Readonly<Record<string, string>> = {
  Location: 'locations (clinics, wards and rooms)',
  Medication: 'medication details',
  Organization: 'organizations (hospitals, clinics and insurers)',
  Practitioner: 'practitioners (doctors, nurses and other staff)',
  PractitionerRole: 'practitioner roles and specialties',
  Questionnaire: 'questionnaires (forms)',
  Schedule: 'appointment schedules',
  Slot: 'appointment slots',
};

// US Core category codes a consent page offers (g10 GRANSEL-02), with the code system each belongs to.
const CATEGORIES: Readonly<Record<string, Readonly<Record<string, { system: string; noun: string }>>>> = {
  Observation: {
    'vital-signs': { system: OBSERVATION_CATEGORY, noun: 'vital signs' },
    laboratory: { system: OBSERVATION_CATEGORY, noun: 'lab results' },
    'social-history': { system: OBSERVATION_CATEGORY, noun: 'social history' },
    survey: { system: OBSERVATION_CATEGORY, noun: 'survey answers' },
    exam: { system: OBSERVATION_CATEGORY, noun: 'physical exam findings' },
    imaging: { system: OBSERVATION_CATEGORY, noun: 'imaging results' },
    procedure: { system: OBSERVATION_CATEGORY, noun: 'clinical test results' },
    sdoh: { system: US_CORE_CATEGORY, noun: 'social needs and risks (SDOH)' },
  },
  Condition: {
    'problem-list-item': { system: CONDITION_CATEGORY, noun: 'problem list' },
    'encounter-diagnosis': { system: CONDITION_CATEGORY, noun: 'visit diagnoses' },
    'health-concern': { system: US_CORE_CONDITION_CATEGORY, noun: 'health concerns' },
  },
  DocumentReference: {
    'clinical-note': { system: US_CORE_DOCUMENT_CATEGORY, noun: 'clinical notes' },
  },
};

/** The `system|code` value of a US Core category this server names, for building `?category=` scopes (SMART 2.2 granular scopes). */
export function categoryValue(resourceType: string, code: string): string | undefined {
  const categories = CATEGORIES[resourceType] ?? {};
  const known = Object.hasOwn(categories, code) ? categories[code] : undefined;
  return known === undefined ? undefined : `${known.system}|${code}`;
}

/** Names the records a scope covers for the consent page (SMART 2.2 granular scopes; US Core resource types and categories). */
export function recordName(resourceType: string, category: string | undefined): RecordName {
  const shared = SHARED[resourceType];
  const noun = shared ?? RECORDS[resourceType] ?? `${resourceType} records`;
  if (category === undefined) return { noun, shared: shared !== undefined };
  const bar = category.lastIndexOf('|');
  const code = category.slice(bar + 1);
  const categories = CATEGORIES[resourceType] ?? {};
  // Codes come from the client: `constructor` must not find Object.prototype's.
  const known = Object.hasOwn(categories, code) ? categories[code] : undefined;
  // A code under a system other than the US Core one means something else; name it as written rather than guess.
  const named = known !== undefined && (bar < 0 || category.slice(0, bar) === known.system);
  return { noun: named ? known.noun : `${noun} in category “${category}”`, shared: shared !== undefined };
}
