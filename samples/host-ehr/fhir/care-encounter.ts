import type { Knex } from 'knex';
import type { FhirResource, ProvidedResource, ResourceProvider } from '../../../src/index.ts';
import { chartResource } from './provided-resource.ts';
import {
  patientParameter, periodParameter, referenceParameter, tokenParameter, usCoreProfile, usCoreSearchParameters,
} from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const usCore = usCoreSearchParameters('Encounter');
const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const classDisplays: Record<string, string> = { AMB: 'ambulatory', EMER: 'emergency', IMP: 'inpatient encounter', VR: 'virtual', HH: 'home health' };

/**
 * US Core Encounter (6.1) over `ehr_encounters`. The visit's clinician is its primary performer, its location's
 * organisation the service provider. Encounters are not recorded in documents, so only the chart rules apply.
 */
export function encounterProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'Encounter',
    profiles: [usCoreProfile('us-core-encounter')],
    rows: (db) => db('ehr_encounters as e').join('ehr_locations as l', 'l.id', 'e.location_id').select('e.*', 'l.organization_id'),
    idColumn: 'e.id',
    idDefinition: usCore('id'),
    chart: { patient: 'e.patient_id' },
    order: [{ column: 'e.start_at', order: 'desc' }],
    searchParameters: [
      patientParameter(usCore, 'e.patient_id'),
      periodParameter(usCore, 'date', { start: 'e.start_at', end: 'e.end_at' }),
      tokenParameter(usCore, 'class', { code: 'e.class_code', fixedSystem: actCode }),
      tokenParameter(usCore, 'status', { code: 'e.status', fixedSystem: 'http://hl7.org/fhir/encounter-status' }),
      tokenParameter(usCore, 'type', { code: 'e.type_code', system: 'e.type_code_system' }),
      referenceParameter(usCore, 'location', 'e.location_id', 'Location'),
    ],
    toResources: async (rows) => rows.map(toEncounter),
  });
}

function toEncounter(row: Record<string, unknown>): ProvidedResource {
  const classCode = String(row.class_code);
  const period = { start: String(row.start_at), ...(row.end_at != null ? { end: String(row.end_at) } : {}) };
  const resource: FhirResource = {
    resourceType: 'Encounter',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-encounter')] },
    status: String(row.status),
    class: { system: actCode, code: classCode, ...(classDisplays[classCode] ? { display: classDisplays[classCode] } : {}) },
    type: [{ coding: [{ system: String(row.type_code_system), code: String(row.type_code), display: String(row.type_display) }], text: String(row.type_display) }],
    subject: { reference: `Patient/${String(row.patient_id)}` },
    participant: [{
      type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF', display: 'primary performer' }] }],
      period,
      individual: { reference: `Practitioner/${String(row.provider_id)}` },
    }],
    period,
    ...(row.reason != null ? { reasonCode: [{ text: String(row.reason) }] } : {}),
    location: [{ location: { reference: `Location/${String(row.location_id)}` } }],
    serviceProvider: { reference: `Organization/${String(row.organization_id)}` },
  };
  return chartResource(row, resource);
}
