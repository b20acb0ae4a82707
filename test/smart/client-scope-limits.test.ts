import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitToClient } from '../../src/smart/client-scope-limits.ts';
import { formatScopes } from '../../src/smart/format-scope.ts';
import { parseScopes } from '../../src/smart/parse-scope.ts';

const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

describe('limiting scopes to the client registration', () => {
  const cases = [
    // [registered, requested, covered]
    ['patient/Observation.rs', 'patient/Observation.rs', true],
    ['patient/Observation.rs', 'patient/Observation.r', true],
    ['patient/Observation.rs', 'patient/Observation.rus', false],
    ['patient/Observation.rs', 'user/Observation.rs', false],
    ['patient/Observation.rs', 'patient/Condition.rs', false],
    ['patient/Observation.rs', 'patient/*.rs', false],
    ['patient/*.rs', 'patient/Condition.rs', true],
    ['patient/*.rs', 'patient/Condition.c', false],
    ['user/*.cruds', 'user/Patient.write', true],
    ['user/*.cruds', 'user/Patient.*', true],
    ['patient/*.read', 'patient/Observation.rs', true],
    ['patient/*.read', 'patient/Observation.read', true],
    ['user/Patient.read', 'user/Patient.rus', false],
    ['user/Patient.write', 'user/Patient.u', true],
    ['patient/Observation.rs', `patient/Observation.rs?category=${LAB}`, true],
    [`patient/Observation.rs?category=${LAB}`, `patient/Observation.rs?category=${LAB}`, true],
    [`patient/Observation.rs?category=${LAB}`, `patient/Observation.s?category=${LAB}`, true],
    [`patient/Observation.rs?category=${LAB}`, 'patient/Observation.rs', false],
    [`patient/Observation.rs?category=${LAB}`, 'patient/Observation.rs?category=laboratory', false],
    [`patient/Observation.rs?category=${LAB}`, 'patient/Observation.rs?category=vital-signs', false],
    ['launch', 'launch', true],
    ['launch', 'launch/patient', false],
    ['openid fhirUser', 'fhirUser', true],
    ['fhirUser', 'profile', false],
    ['offline_access', 'online_access', false],
    ['foo', 'openid', false],
  ] as const;
  for (const [registered, requested, covered] of cases) {
    it(`${covered ? 'allows' : 'refuses'} ${requested} when ${registered} is registered`, () => {
      const limits = limitToClient(parseScopes(requested), registered.split(' '));
      assert.deepEqual(
        { allowed: formatScopes(limits.allowed), refused: limits.refused },
        covered ? { allowed: requested, refused: [] } : { allowed: '', refused: [requested] },
      );
    });
  }

  it('keeps what a standalone patient app registered and refuses the rest', () => {
    const registered = ['launch/patient', 'openid', 'fhirUser', 'offline_access', 'patient/*.read'];
    const requested = parseScopes('launch/patient openid fhirUser offline_access online_access launch '
      + 'patient/Observation.rs patient/Patient.rus user/Observation.rs bogus');
    assert.deepEqual(limitToClient(requested, registered), {
      allowed: {
        resources: [{ context: 'patient', resourceType: 'Observation', interactions: 'rs', form: 'v2', category: undefined }],
        nonResource: ['launch/patient', 'openid', 'fhirUser', 'offline_access'],
        unknown: [],
      },
      refused: ['patient/Patient.rus', 'user/Observation.rs', 'online_access', 'launch'],
    });
  });
});
