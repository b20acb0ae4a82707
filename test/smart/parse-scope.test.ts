import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatScope, formatScopes } from '../../src/smart/format-scope.ts';
import { NON_RESOURCE_SCOPES, parseScope, parseScopes } from '../../src/smart/parse-scope.ts';

const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

describe('parsing scopes (SMART 2.2 scopes-and-launch-context)', () => {
  const accepted = [
    ['patient/Observation.rs', { context: 'patient', resourceType: 'Observation', interactions: 'rs', form: 'v2', category: undefined }],
    ['user/*.cruds', { context: 'user', resourceType: '*', interactions: 'cruds', form: 'v2', category: undefined }],
    ['system/Patient.s', { context: 'system', resourceType: 'Patient', interactions: 's', form: 'v2', category: undefined }],
    ['patient/Appointment.c', { context: 'patient', resourceType: 'Appointment', interactions: 'c', form: 'v2', category: undefined }],
    ['patient/Patient.rus', { context: 'patient', resourceType: 'Patient', interactions: 'rus', form: 'v2', category: undefined }],
    ['patient/Observation.read', { context: 'patient', resourceType: 'Observation', interactions: 'rs', form: 'v1', category: undefined }],
    ['user/Patient.write', { context: 'user', resourceType: 'Patient', interactions: 'cud', form: 'v1', category: undefined }],
    ['patient/*.*', { context: 'patient', resourceType: '*', interactions: 'cruds', form: 'v1', category: undefined }],
    [`patient/Observation.rs?category=${LAB}`, { context: 'patient', resourceType: 'Observation', interactions: 'rs', form: 'v2', category: LAB }],
    ['patient/Condition.rs?category=health-concern', { context: 'patient', resourceType: 'Condition', interactions: 'rs', form: 'v2', category: 'health-concern' }],
  ] as const;
  for (const [token, expected] of accepted) {
    it(`reads ${token}`, () => assert.deepEqual(parseScope(token), expected));
  }

  for (const token of NON_RESOURCE_SCOPES) {
    it(`knows the non-resource scope ${token}`, () => assert.equal(parseScope(token), token));
  }

  const refused = [
    ['patient/Observation.sr', 'letters out of cruds order'],
    ['patient/Observation.rsu', 'u after s'],
    ['patient/Observation.dus', 'letters out of cruds order'],
    ['patient/Observation.rr', 'a repeated letter'],
    ['patient/Observation.x', 'an undefined letter'],
    ['patient/Observation.', 'no interactions'],
    ['patient/Observation', 'no interactions at all'],
    ['patient/Observation.readwrite', 'an unknown v1 permission'],
    ['patient/observation.rs', 'a type that is not a FHIR type name'],
    ['patient/Observation1.rs', 'a digit in the type'],
    ['foo/Observation.rs', 'an unknown context'],
    ['Patient/Observation.rs', 'a capitalised context'],
    ['patient/Observation.rs?code=1234', 'an unsupported query parameter'],
    ['patient/Observation.rs?category=laboratory&code=1234', 'a second parameter'],
    ['patient/Observation.rs?category=', 'an empty category'],
    ['patient/Observation.rs?', 'an empty query'],
    ['launch/location', 'an experimental launch context'],
    ['launch/patient?role=x', 'a launch context with a role'],
    ['OpenID', 'case matters'],
  ] as const;
  for (const [token, why] of refused) {
    it(`leaves ${token} unknown (${why})`, () => assert.equal(parseScope(token), undefined));
  }

  it('splits a scope value by kind, collapsing repeated tokens and empty ones', () => {
    const parsed = parseScopes('launch/patient openid  fhirUser patient/Observation.rs patient/Observation.rs foo openid patient/Observation.sr');
    assert.deepEqual(parsed, {
      resources: [{ context: 'patient', resourceType: 'Observation', interactions: 'rs', form: 'v2', category: undefined }],
      nonResource: ['launch/patient', 'openid', 'fhirUser'],
      unknown: ['foo', 'patient/Observation.sr'],
    });
  });

  it('reads an empty scope value as no scopes', () => {
    assert.deepEqual(parseScopes(''), { resources: [], nonResource: [], unknown: [] });
  });
});

describe('v1 and v2 forms (SMART 2.2 v1 compatibility)', () => {
  const equivalent = [['read', 'rs'], ['write', 'cud'], ['*', 'cruds']] as const;
  for (const [v1, v2] of equivalent) {
    it(`reads .${v1} as .${v2}`, () => {
      const one = parseScope(`patient/Observation.${v1}`);
      const two = parseScope(`patient/Observation.${v2}`);
      assert.deepEqual(one, { context: 'patient', resourceType: 'Observation', interactions: v2, form: 'v1', category: undefined });
      assert.deepEqual(two, { context: 'patient', resourceType: 'Observation', interactions: v2, form: 'v2', category: undefined });
    });
  }
});

describe('formatting scopes', () => {
  const tokens = [
    'patient/Observation.rs', 'user/*.cruds', 'system/Patient.s', 'patient/Patient.rus', 'patient/Observation.read',
    'user/Patient.write', 'patient/*.*', `patient/Observation.rs?category=${LAB}`, 'user/Condition.r?category=health-concern',
  ];
  for (const token of tokens) {
    it(`gives back the client's own ${token}`, () => {
      const scope = parseScope(token);
      assert.ok(scope !== undefined && typeof scope === 'object');
      assert.equal(formatScope(scope), token);
    });
  }

  const v1 = [['rs', 'read'], ['cud', 'write'], ['cruds', '*'], ['rus', 'rus'], ['c', 'c'], ['r', 'r']] as const;
  for (const [interactions, written] of v1) {
    it(`answers a v1 request for ${interactions} as .${written}`, () => {
      const scope = { context: 'patient', resourceType: 'Patient', interactions, form: 'v1', category: undefined } as const;
      assert.equal(formatScope(scope), `patient/Patient.${written}`);
    });
  }

  it('writes a scope value with non-resource scopes first and unknown tokens left out', () => {
    const parsed = parseScopes(`patient/Observation.read foo launch/patient patient/Observation.rs?category=${LAB} openid`);
    assert.equal(formatScopes(parsed), `launch/patient openid patient/Observation.read patient/Observation.rs?category=${LAB}`);
  });
});
