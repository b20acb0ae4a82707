import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FhirResource } from '../../src/index.ts';
import { assertValidR4 } from '../support/fhir-validate.ts';
import { searchAll, userToken } from '../support/fhir-requests.ts';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';

/**
 * US Core 6.1 Must Support elements, as the US Core test kit checks them: each element must be present in at
 * least one resource the server returns for the type. Listed from the US Core 6.1 profiles (top-level and key
 * nested elements). Left out because the reference schema records no such data: Encounter.identifier and
 * hospitalization.dischargeDisposition, Device.distinctIdentifier, Immunization.statusReason (no "not-done"
 * rows), Observation.dataAbsentReason where every value is present.
 */
const MUST_SUPPORT: Record<string, string[]> = {
  Patient: ['identifier.system', 'identifier.value', 'name.family', 'name.given', 'telecom.system', 'telecom.value', 'telecom.use',
    'gender', 'birthDate', 'address.line', 'address.city', 'address.state', 'address.postalCode', 'communication.language', 'extension.url'],
  AllergyIntolerance: ['clinicalStatus', 'verificationStatus', 'code', 'patient', 'reaction.manifestation'],
  Condition: ['clinicalStatus', 'verificationStatus', 'category', 'code', 'subject', 'encounter', 'onsetDateTime', 'abatementDateTime', 'recordedDate'],
  Observation: ['status', 'category', 'code', 'subject', 'effectiveDateTime', 'valueQuantity', 'valueCodeableConcept', 'component.code',
    'component.valueQuantity', 'referenceRange', 'interpretation'],
  MedicationRequest: ['status', 'intent', 'category', 'medicationReference', 'subject', 'encounter', 'authoredOn', 'requester',
    'dosageInstruction.text', 'dispenseRequest.numberOfRepeatsAllowed', 'dispenseRequest.quantity'],
  Medication: ['code'],
  Immunization: ['status', 'vaccineCode', 'patient', 'occurrenceDateTime', 'primarySource', 'lotNumber'],
  Procedure: ['status', 'code', 'subject', 'performedDateTime'],
  DiagnosticReport: ['status', 'category', 'code', 'subject', 'encounter', 'effectiveDateTime', 'issued', 'performer', 'result'],
  DocumentReference: ['status', 'type', 'category', 'subject', 'date', 'author', 'content.attachment.contentType', 'content.attachment.url',
    'context.encounter'],
  Encounter: ['status', 'class', 'type', 'subject', 'participant.individual', 'period', 'reasonCode', 'location.location', 'serviceProvider'],
  CarePlan: ['text.status', 'text.div', 'status', 'intent', 'category', 'subject'],
  CareTeam: ['status', 'subject', 'participant.role', 'participant.member'],
  Goal: ['lifecycleStatus', 'description', 'subject', 'target.dueDate'],
  Device: ['udiCarrier.deviceIdentifier', 'udiCarrier.carrierHRF', 'manufactureDate', 'expirationDate', 'lotNumber', 'serialNumber', 'type', 'patient'],
  Practitioner: ['identifier.system', 'identifier.value', 'name.family'],
  PractitionerRole: ['practitioner', 'organization', 'specialty', 'location', 'telecom'],
  Organization: ['identifier', 'active', 'name', 'telecom', 'address'],
  Location: ['status', 'name', 'telecom', 'address', 'managingOrganization'],
  Provenance: ['target', 'recorded', 'agent.type', 'agent.who', 'agent.onBehalfOf'],
};

/** Whether a dotted path has a value in the resource (arrays are searched element by element). */
function present(value: unknown, path: string[]): boolean {
  if (path.length === 0) return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
  if (Array.isArray(value)) return value.some((item) => present(item, path));
  if (value === null || typeof value !== 'object') return false;
  return present((value as Record<string, unknown>)[path[0] as string], path.slice(1));
}

describe(`US Core 6.1 Must Support elements on ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let server: SmartServer;
  let token: string;
  const resources = new Map<string, FhirResource[]>();

  before(async () => {
    server = await startSmartServer();
    // Every chart, sensitive ones and confidential notes included, so every kind of row is seen.
    token = (await userToken(server, { login: 'sensitive-provider', scope: 'openid fhirUser user/*.rs' })).token;
    // Location needs View System Settings, which no chart reader holds: the administrator reads it.
    const admin = (await userToken(server, { login: 'admin', scope: 'openid fhirUser user/Location.rs' })).token;
    for (const type of Object.keys(MUST_SUPPORT)) {
      resources.set(type, (await searchAll(server, type, '_count=200', type === 'Location' ? admin : token)).matches);
    }
  });
  after(() => server.close());

  for (const [type, paths] of Object.entries(MUST_SUPPORT)) {
    it(`${type}: every resource is valid R4 and claims its US Core profile; each Must Support element is populated somewhere`, () => {
      const found = resources.get(type) ?? [];
      assert.ok(found.length > 0, `the sample serves ${type}`);
      for (const resource of found) {
        assertValidR4(resource);
        assert.ok((resource.meta?.profile ?? []).some((p) => p.startsWith('http://hl7.org/fhir/us/core/StructureDefinition/')), `${type}/${resource.id} claims a US Core profile`);
      }
      const missing = paths.filter((path) => !found.some((resource) => present(resource, path.split('.'))));
      assert.deepEqual(missing, [], `${type} Must Support elements never populated`);
    });
  }
});
