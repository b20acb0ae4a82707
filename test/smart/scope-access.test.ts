import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScopes } from '../../src/smart/parse-scope.ts';
import { scopeAccess, type ScopeAccess, type ScopeInteraction } from '../../src/smart/scope-access.ts';
import type { ScopeContext } from '../../src/smart/parse-scope.ts';

const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
const VITALS = 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';

type Case = readonly [string, ScopeInteraction, ScopeContext, ScopeAccess];

function table(scope: string, cases: readonly Case[]): void {
  const granted = parseScopes(scope).resources;
  for (const [type, interaction, within, expected] of cases) {
    it(`${interaction} ${type} within ${within} under "${scope}"`, () => {
      assert.deepEqual(scopeAccess(granted, type, interaction, within), expected);
    });
  }
}

describe('what granted scopes permit for a request', () => {
  table(
    `patient/Observation.rs?category=${LAB} patient/Observation.rs?category=${VITALS} user/Observation.r?category=${LAB} `
      + 'user/Condition.rs patient/Patient.rus',
    [
      ['Observation', 'read', 'patient', { allowed: true, categories: [LAB, VITALS], via: ['patient', 'user'] }],
      ['Observation', 'search', 'patient', { allowed: true, categories: [LAB, VITALS], via: ['patient'] }],
      ['Observation', 'read', 'user', { allowed: true, categories: [LAB], via: ['user'] }],
      ['Observation', 'search', 'user', { allowed: false }],
      ['Observation', 'create', 'patient', { allowed: false }],
      ['Condition', 'search', 'patient', { allowed: true, categories: 'all', via: ['user'] }],
      ['Condition', 'search', 'system', { allowed: false }],
      ['Condition', 'update', 'patient', { allowed: false }],
      ['Patient', 'update', 'patient', { allowed: true, categories: 'all', via: ['patient'] }],
      ['Patient', 'update', 'user', { allowed: false }],
      ['Encounter', 'read', 'patient', { allowed: false }],
    ],
  );

  table(`patient/*.rs patient/Observation.rs?category=${LAB}`, [
    ['Observation', 'search', 'patient', { allowed: true, categories: 'all', via: ['patient'] }],
    ['Encounter', 'read', 'patient', { allowed: true, categories: 'all', via: ['patient'] }],
    ['Encounter', 'create', 'patient', { allowed: false }],
  ]);

  table('system/*.read user/Observation.s?category=laboratory', [
    ['Observation', 'search', 'system', { allowed: true, categories: 'all', via: ['system'] }],
    ['Observation', 'search', 'user', { allowed: true, categories: 'all', via: ['user', 'system'] }],
    ['Observation', 'update', 'system', { allowed: false }],
  ]);

  table('', [['Patient', 'read', 'patient', { allowed: false }]]);
});
