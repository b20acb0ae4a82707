import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBundledManifest, validateManifest } from '../../src/config/manifest.ts';
import { limitToPermissions, permittedInteractions } from '../../src/smart/permission-scopes.ts';
import { parseScopes } from '../../src/smart/parse-scope.ts';

const { resources } = validateManifest(readBundledManifest()).permissions;
const ehr = (...permissions: string[]) => ({ resources, permissions: new Set(permissions) });
const limit = (scope: string, ...permissions: string[]) => limitToPermissions(parseScopes(scope), ehr(...permissions));
const each = (context: string, types: readonly string[], permission: string) => types.map((t) => `${context}/${t}.${permission}`);

const FRONT_DESK = ['Registration', 'Edit Registration', 'Schedule', 'Edit Schedule'];
const PROVIDER = ['View Charts', 'Registration', 'Edit Registration', 'Schedule', 'Sensitive Charts'];
const PATIENT_ROLE = ['View Charts', 'Registration', 'Schedule'];

// The bundled map's types, sorted, split by the permission their read needs (DESIGN §5).
const ANY_USER = ['Medication', 'Organization', 'Practitioner', 'PractitionerRole'];
const CHART = ['AllergyIntolerance', 'CarePlan', 'CareTeam', 'Condition', 'Device', 'DiagnosticReport', 'DocumentReference',
  'Encounter', 'Goal', 'Immunization', 'MedicationRequest', 'Observation', 'Procedure', 'Provenance'];
const ALL_BUT_SETTINGS = ['AllergyIntolerance', 'Appointment', 'Binary', 'CarePlan', 'CareTeam', 'Condition', 'Coverage',
  'Device', 'DiagnosticReport', 'DocumentReference', 'Encounter', 'Goal', 'Immunization', 'Medication', 'MedicationRequest',
  'Observation', 'Organization', 'Patient', 'Practitioner', 'PractitionerRole', 'Procedure', 'Provenance', 'RelatedPerson',
  'Schedule', 'Slot'];

describe('what EHR permissions allow on a resource type', () => {
  const cases = [
    ['Patient', ['Registration', 'Edit Registration'], 'rus'],
    ['Patient', ['View Patient Registration'], 'rs'],
    ['Patient', ['Edit Patient Registration'], 'u'],
    ['Appointment', ['Schedule', 'Edit Schedule'], 'crs'],
    ['Appointment', ['Edit Patient Appointments'], 'c'],
    ['Observation', ['View Charts', 'Edit Registration'], 'rs'],
    ['Observation', ['Registration'], ''],
    ['Practitioner', [], 'rs'],
    ['Binary', ['View Charts'], 'rs'],
    ['Binary', ['Registration'], ''],
    ['Specimen', ['View Charts'], ''],
  ] as const;
  for (const [type, permissions, expected] of cases) {
    it(`${type} with {${permissions.join(', ')}} allows "${expected}"`, () => {
      assert.equal(permittedInteractions(type, ehr(...permissions)), expected);
    });
  }

  it('does not follow an owner that defers to its own owner', () => {
    const looping = { ...resources, DocumentReference: { read: 'owning-resource' as const } };
    assert.equal(permittedInteractions('Binary', { resources: looping, permissions: new Set(['View Charts']) }), '');
  });
});

describe('limiting scopes to EHR permissions (DESIGN §5)', () => {
  it('gives the front desk registration, scheduling and reference data from user/*.rs, and no chart', () => {
    assert.deepEqual(limit('user/*.rs', ...FRONT_DESK), {
      granted: each('user', ['Appointment', 'Coverage', 'Medication', 'Organization', 'Patient', 'Practitioner',
        'PractitionerRole', 'RelatedPerson', 'Schedule', 'Slot'], 'rs'),
      dropped: each('user', ['AllergyIntolerance', 'AuditEvent', 'Binary', 'CarePlan', 'CareTeam', 'Condition', 'Device',
        'DiagnosticReport', 'DocumentReference', 'Encounter', 'Goal', 'Immunization', 'Location', 'MedicationRequest',
        'Observation', 'Procedure', 'Provenance'], 'rs'),
    });
  });

  it('lets the front desk update patients and book appointments, but never delete', () => {
    assert.deepEqual(limit('user/Patient.cruds user/Appointment.cruds user/Observation.rs', ...FRONT_DESK), {
      granted: ['user/Patient.rus', 'user/Appointment.crs'],
      dropped: ['user/Patient.cd', 'user/Appointment.ud', 'user/Observation.rs'],
    });
  });

  it('gives a provider in an EHR launch everything but settings and audit', () => {
    assert.deepEqual(limit('launch openid fhirUser user/*.rs', ...PROVIDER), {
      granted: ['launch', 'openid', 'fhirUser', ...each('user', ALL_BUT_SETTINGS, 'rs')],
      dropped: ['user/AuditEvent.rs', 'user/Location.rs'],
    });
  });

  it('keeps the wildcard for a user who may read every type', () => {
    assert.deepEqual(limit('user/*.rs', ...PROVIDER, 'View System Settings', 'System Configuration'),
      { granted: ['user/*.rs'], dropped: [] });
  });

  it('expands a v1 wildcard for the Patient role in v1 form', () => {
    assert.deepEqual(limit('launch/patient openid fhirUser offline_access patient/*.read', ...PATIENT_ROLE), {
      granted: ['launch/patient', 'openid', 'fhirUser', 'offline_access', ...each('patient', ALL_BUT_SETTINGS, 'read')],
      dropped: ['patient/AuditEvent.read', 'patient/Location.read'],
    });
  });

  it('drops types the map does not serve and types the Patient role may not read', () => {
    assert.deepEqual(limit('patient/Patient.rs patient/Specimen.rs patient/Location.rs patient/Condition.rs', ...PATIENT_ROLE), {
      granted: ['patient/Patient.rs', 'patient/Condition.rs'],
      dropped: ['patient/Specimen.rs', 'patient/Location.rs'],
    });
  });

  it('gives only any-user types to a user with no permissions', () => {
    assert.deepEqual(limit('patient/*.rs').granted, each('patient', ANY_USER, 'rs'));
  });

  it('gives chart types and Binary to a chart reader', () => {
    assert.deepEqual(limit('user/*.rs', 'View Charts').granted,
      each('user', [...CHART, 'Binary', ...ANY_USER].sort(), 'rs'));
  });

  const narrowed = [
    ['patient/Patient.rus', ['Registration', 'Edit Registration'], ['patient/Patient.rus'], []],
    ['patient/Patient.rus', ['Registration'], ['patient/Patient.rs'], ['patient/Patient.u']],
    ['patient/Condition.cruds', ['View Charts'], ['patient/Condition.rs'], ['patient/Condition.cud']],
    ['patient/Condition.*', ['View Charts'], ['patient/Condition.read'], ['patient/Condition.write']],
    ['patient/Patient.*', ['Registration', 'Edit Registration'], ['patient/Patient.rus'], ['patient/Patient.cd']],
    ['user/Patient.write', ['Registration', 'Edit Registration'], ['user/Patient.u'], ['user/Patient.cd']],
    ['patient/Condition.write', ['View Charts'], [], ['patient/Condition.write']],
    ['patient/Observation.rs?category=laboratory', ['View Charts'], ['patient/Observation.rs?category=laboratory'], []],
    ['patient/Observation.rs?category=laboratory', ['Registration'], [], ['patient/Observation.rs?category=laboratory']],
  ] as const;
  for (const [scope, permissions, granted, dropped] of narrowed) {
    it(`turns ${scope} with {${permissions.join(', ')}} into [${granted.join(' ')}]`, () => {
      assert.deepEqual(limit(scope, ...permissions), { granted, dropped });
    });
  }

  it('keeps the category on each type a granular wildcard expands into', () => {
    assert.deepEqual(limit('patient/*.rs?category=laboratory').granted, each('patient', ANY_USER, 'rs?category=laboratory'));
  });

  it('passes non-resource scopes through and leaves unknown ones out', () => {
    assert.deepEqual(limit('openid profile launch/encounter online_access bogus'), {
      granted: ['openid', 'profile', 'launch/encounter', 'online_access'],
      dropped: [],
    });
  });
});
