import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { granularChoices } from '../../src/smart/granular-choices.ts';

const CONDITION = 'http://terminology.hl7.org/CodeSystem/condition-category';
const US_CORE_CONDITION = 'http://hl7.org/fhir/us/core/CodeSystem/condition-category';
const OBSERVATION = 'http://terminology.hl7.org/CodeSystem/observation-category';
const US_CORE = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category';

describe('granular choices for the consent page', () => {
  it('offers the US Core Condition categories for a v2 patient scope, keeping its letters', () => {
    assert.deepEqual(granularChoices('patient/Condition.rs'), [
      { scope: `patient/Condition.rs?category=${CONDITION}|problem-list-item`, text: 'Read and search your problem list' },
      { scope: `patient/Condition.rs?category=${CONDITION}|encounter-diagnosis`, text: 'Read and search your visit diagnoses' },
      { scope: `patient/Condition.rs?category=${US_CORE_CONDITION}|health-concern`, text: 'Read and search your health concerns' },
    ]);
  });

  it('offers the US Core Observation categories, including Clinical Test and SDOH', () => {
    assert.deepEqual(granularChoices('patient/Observation.rs'), [
      { scope: `patient/Observation.rs?category=${OBSERVATION}|laboratory`, text: 'Read and search your lab results' },
      { scope: `patient/Observation.rs?category=${OBSERVATION}|vital-signs`, text: 'Read and search your vital signs' },
      { scope: `patient/Observation.rs?category=${OBSERVATION}|social-history`, text: 'Read and search your social history' },
      { scope: `patient/Observation.rs?category=${OBSERVATION}|survey`, text: 'Read and search your survey answers' },
      { scope: `patient/Observation.rs?category=${US_CORE}|sdoh`, text: 'Read and search your social needs and risks (SDOH)' },
      { scope: `patient/Observation.rs?category=${OBSERVATION}|procedure`, text: 'Read and search your clinical test results' },
    ]);
  });

  it('writes v1 scopes in v1 and user/ scopes for user/', () => {
    assert.deepEqual(granularChoices('patient/Condition.read').map((c) => c.scope), [
      `patient/Condition.read?category=${CONDITION}|problem-list-item`,
      `patient/Condition.read?category=${CONDITION}|encounter-diagnosis`,
      `patient/Condition.read?category=${US_CORE_CONDITION}|health-concern`,
    ]);
    assert.deepEqual(granularChoices('user/Observation.read')[0],
      { scope: `user/Observation.read?category=${OBSERVATION}|laboratory`, text: 'Read and search lab results of patients you can access' });
    assert.equal(granularChoices('patient/Observation.*')[0]?.scope, `patient/Observation.*?category=${OBSERVATION}|laboratory`);
  });

  it('keeps every v2 letter, as long as the scope reads or searches', () => {
    assert.equal(granularChoices('user/Condition.cruds')[0]?.scope, `user/Condition.cruds?category=${CONDITION}|problem-list-item`);
    assert.equal(granularChoices('patient/Condition.s')[0]?.scope, `patient/Condition.s?category=${CONDITION}|problem-list-item`);
    assert.equal(granularChoices('patient/Condition.r')[0]?.text, 'Read your problem list');
    assert.deepEqual(granularChoices('patient/Condition.cud'), []);
    assert.deepEqual(granularChoices('patient/Observation.write'), []);
  });

  it('names the patient when staff consent on their behalf', () => {
    assert.equal(granularChoices('patient/Condition.rs', { patientName: 'Leo Lopez' })[0]?.text, "Read and search Leo Lopez's problem list");
  });

  it('offers nothing for other types, system/ scopes, wildcards, already granular scopes and other tokens', () => {
    for (const scope of [
      'patient/Patient.rs', 'patient/DocumentReference.rs', 'system/Condition.rs', 'system/Observation.read', 'patient/*.rs', 'user/*.read',
      `patient/Condition.rs?category=${CONDITION}|problem-list-item`, `patient/Observation.read?category=${OBSERVATION}|laboratory`,
      'launch/patient', 'openid', 'patient/Condition.xyz', 'Condition.rs', '',
    ]) {
      assert.deepEqual(granularChoices(scope), [], scope);
    }
  });
});
