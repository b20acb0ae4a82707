import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { launchRequirements } from '../../src/smart/launch-requirements.ts';
import { parseScopes } from '../../src/smart/parse-scope.ts';

describe('launch requirements of a request', () => {
  const cases = [
    ['launch/patient openid fhirUser offline_access patient/Patient.rs',
      { needsPatientPicker: true, needsEncounter: false, wantsIdToken: true, wantsRefreshToken: true }],
    ['launch launch/patient openid fhirUser online_access user/Patient.rs',
      { needsPatientPicker: false, needsEncounter: false, wantsIdToken: true, wantsRefreshToken: true }],
    ['launch/patient launch/encounter openid profile',
      { needsPatientPicker: true, needsEncounter: true, wantsIdToken: true, wantsRefreshToken: false }],
    ['openid patient/Patient.rs',
      { needsPatientPicker: false, needsEncounter: false, wantsIdToken: false, wantsRefreshToken: false }],
    ['fhirUser',
      { needsPatientPicker: false, needsEncounter: false, wantsIdToken: false, wantsRefreshToken: false }],
    ['',
      { needsPatientPicker: false, needsEncounter: false, wantsIdToken: false, wantsRefreshToken: false }],
  ] as const;
  for (const [scope, expected] of cases) {
    it(`reads "${scope}"`, () => assert.deepEqual(launchRequirements(parseScopes(scope)), expected));
  }
});
