import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeScope, describeScopes, interactionPhrase } from '../../src/smart/describe-scope.ts';

const OBSERVATION = 'http://terminology.hl7.org/CodeSystem/observation-category';
const CONDITION = 'http://terminology.hl7.org/CodeSystem/condition-category';

describe('describing scopes for the consent page', () => {
  const cases = [
    ['patient/Observation.rs?category=laboratory', 'Read and search your lab results'],
    [`patient/Observation.rs?category=${OBSERVATION}|laboratory`, 'Read and search your lab results'],
    [`patient/Observation.rs?category=${OBSERVATION}|vital-signs`, 'Read and search your vital signs'],
    [`patient/Observation.rs?category=${OBSERVATION}|social-history`, 'Read and search your social history'],
    [`patient/Observation.rs?category=${OBSERVATION}|survey`, 'Read and search your survey answers'],
    [`patient/Observation.rs?category=${OBSERVATION}|exam`, 'Read and search your physical exam findings'],
    [`patient/Observation.rs?category=${OBSERVATION}|imaging`, 'Read and search your imaging results'],
    [`patient/Observation.rs?category=${OBSERVATION}|procedure`, 'Read and search your clinical test results'],
    ['patient/Observation.rs?category=http://hl7.org/fhir/us/core/CodeSystem/us-core-category|sdoh',
      'Read and search your social needs and risks (SDOH)'],
    [`patient/Condition.rs?category=${CONDITION}|problem-list-item`, 'Read and search your problem list'],
    [`user/Condition.rs?category=${CONDITION}|encounter-diagnosis`, 'Read and search visit diagnoses of patients you can access'],
    ['system/Condition.rs?category=http://hl7.org/fhir/us/core/CodeSystem/condition-category|health-concern',
      'Read and search health concerns of all patients'],
    ['patient/DocumentReference.rs?category=clinical-note', 'Read and search your clinical notes'],
    ['patient/Observation.rs?category=http://example.org/codes|laboratory',
      'Read and search your observations (results, vital signs and other measurements) in category “http://example.org/codes|laboratory”'],
    ['patient/Observation.rs?category=constructor',
      'Read and search your observations (results, vital signs and other measurements) in category “constructor”'],
    ['user/Condition.rs', 'Read and search conditions (problems) of patients you can access'],
    ['system/Condition.read', 'Read and search conditions (problems) of all patients'],
    ['patient/*.rs', 'Read and search all of your health record'],
    ['user/*.read', 'Read and search all health records of patients you can access'],
    ['system/*.s', 'Search all health records of all patients'],
    ['patient/*.rs?category=laboratory', 'Read and search all of your health record in category “laboratory”'],
    ['patient/Patient.rus', 'Read, search and update your demographics and contact details'],
    ['user/Appointment.c', 'Create appointments of patients you can access'],
    ['patient/Condition.cruds', 'Read, search, create, update and delete your conditions (problems)'],
    ['patient/Practitioner.rs', 'Read and search practitioners (doctors, nurses and other staff)'],
    ['user/Location.read', 'Read and search locations (clinics, wards and rooms)'],
    ['patient/NutritionOrder.rs', 'Read and search your NutritionOrder records'],
    ['openid', 'Know who you are'],
    ['fhirUser', 'Know who you are'],
    ['profile', 'Know who you are'],
    ['launch', 'Know which patient and visit you have open in the EHR'],
    ['launch/patient', "Know which patient's record you opened"],
    ['launch/encounter', 'Know which visit you opened'],
    ['offline_access', 'Keep access after you close the app (until you revoke it)'],
    ['online_access', 'Keep access while you are signed in'],
    ['bogus', 'Unrecognised access “bogus”'],
  ] as const;
  for (const [token, text] of cases) {
    it(`describes ${token}`, () => assert.equal(describeScope(token), text));
  }

  // US Core 6.1/7.0 resource types, plus the scheduling, audit and Binary types the bundled map serves.
  const named = {
    AllergyIntolerance: 'your allergies and intolerances', Appointment: 'your appointments', AuditEvent: 'your access logs',
    Binary: 'your attached files', CarePlan: 'your care plans', CareTeam: 'your care teams',
    Condition: 'your conditions (problems)', Coverage: 'your insurance coverage', Device: 'your implanted devices',
    DiagnosticReport: 'your test and imaging reports', DocumentReference: 'your documents',
    Encounter: 'your visits and hospital stays', Goal: 'your health goals', Immunization: 'your immunizations',
    Location: 'locations (clinics, wards and rooms)', Medication: 'medication details',
    MedicationDispense: 'your dispensed medications', MedicationRequest: 'your prescriptions',
    Observation: 'your observations (results, vital signs and other measurements)',
    Organization: 'organizations (hospitals, clinics and insurers)', Patient: 'your demographics and contact details',
    Practitioner: 'practitioners (doctors, nurses and other staff)', PractitionerRole: 'practitioner roles and specialties',
    Procedure: 'your procedures', Provenance: 'your record history (who entered what, and when)',
    Questionnaire: 'questionnaires (forms)', QuestionnaireResponse: 'your questionnaire answers',
    RelatedPerson: 'your family members and caregivers', ServiceRequest: 'your orders and referrals',
    Schedule: 'appointment schedules', Slot: 'appointment slots', Specimen: 'your specimens (lab samples)',
  };
  it('names every US Core resource type in plain words', () => {
    for (const [type, words] of Object.entries(named)) {
      assert.equal(describeScope(`patient/${type}.rs`), `Read and search ${words}`);
    }
  });

  it('gives one consent line per distinct text, with the tokens it stands for', () => {
    assert.deepEqual(describeScopes(['launch/patient', 'openid', 'fhirUser', 'patient/Observation.rs', 'patient/Observation.read']), [
      { text: "Know which patient's record you opened", scopes: ['launch/patient'] },
      { text: 'Know who you are', scopes: ['openid', 'fhirUser'] },
      {
        text: 'Read and search your observations (results, vital signs and other measurements)',
        scopes: ['patient/Observation.rs', 'patient/Observation.read'],
      },
    ]);
  });
});

describe("describing scopes for staff consenting on a patient's behalf", () => {
  const leo = { patientName: 'Leo Lopez' };
  const cases = [
    ['patient/Condition.rs', "Read and search Leo Lopez's conditions (problems)"],
    ['patient/Observation.rs?category=laboratory', "Read and search Leo Lopez's lab results"],
    ['patient/*.rs', "Read and search all of Leo Lopez's health record"],
    ['patient/*.rs?category=laboratory', "Read and search all of Leo Lopez's health record in category “laboratory”"],
    // Not the patient's: reference data, and scopes that are about other patients or the user.
    ['patient/Practitioner.rs', 'Read and search practitioners (doctors, nurses and other staff)'],
    ['user/Condition.rs', 'Read and search conditions (problems) of patients you can access'],
    ['system/*.rs', 'Read and search all health records of all patients'],
    ['openid', 'Know who you are'],
    ['launch/patient', "Know which patient's record you opened"],
  ] as const;
  for (const [token, text] of cases) {
    it(`describes ${token} with the patient's name`, () => assert.equal(describeScope(token, leo), text));
  }

  it("adds 's to every name, also one ending in s", () => {
    assert.equal(describeScope('patient/Goal.rs', { patientName: 'James' }), "Read and search James's health goals");
  });

  it('says "your" without a name, or with a blank one', () => {
    for (const wording of [{}, { patientName: '' }, { patientName: '  ' }]) {
      assert.equal(describeScope('patient/Condition.rs', wording), 'Read and search your conditions (problems)');
    }
  });

  it('groups lines by the named text', () => {
    assert.deepEqual(describeScopes(['openid', 'fhirUser', 'patient/Condition.rs', 'patient/Condition.read'], leo), [
      { text: 'Know who you are', scopes: ['openid', 'fhirUser'] },
      { text: "Read and search Leo Lopez's conditions (problems)", scopes: ['patient/Condition.rs', 'patient/Condition.read'] },
    ]);
  });
});

describe('interaction phrases', () => {
  const cases = [
    ['r', 'Read'], ['s', 'Search'], ['rs', 'Read and search'], ['c', 'Create'], ['u', 'Update'], ['cu', 'Create and update'],
    ['rus', 'Read, search and update'], ['crs', 'Read, search and create'], ['cruds', 'Read, search, create, update and delete'],
  ] as const;
  for (const [letters, phrase] of cases) {
    it(`reads .${letters} as "${phrase}"`, () => assert.equal(interactionPhrase(letters), phrase));
  }
});
