import type { Knex } from 'knex';
import type { FhirResource, ProvidedResource, ResourceProvider } from '../../../src/index.ts';
import { codeSystems } from '../database/seed-context.ts';
import { chartTable } from './chart-table.ts';
import { chartResource } from './provided-resource.ts';
import { patientParameter, tokenParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const usCore = usCoreSearchParameters('Device');

/**
 * US Core Implantable Device (6.1) over `ehr_devices`. The sample's UDIs are GS1 human-readable strings,
 * so the issuer is GS1 and the jurisdiction the FDA's UDI system.
 */
export function deviceProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'Device',
    profiles: [usCoreProfile('us-core-implantable-device')],
    ...chartTable('ehr_devices', 'v'),
    order: [{ column: 'v.implanted_on', order: 'desc' }],
    searchParameters: [
      patientParameter(usCore, 'v.patient_id'),
      tokenParameter(usCore, 'type', { code: 'v.type_code', fixedSystem: codeSystems.snomed }),
      tokenParameter(usCore, 'status', { code: 'v.status', fixedSystem: 'http://hl7.org/fhir/device-status' }),
    ],
    toResources: async (rows) => rows.map(toDevice),
  });
}

function toDevice(row: Record<string, unknown>): ProvidedResource {
  const optional = (element: string, column: string) => (row[column] != null ? { [element]: String(row[column]) } : {});
  const resource: FhirResource = {
    resourceType: 'Device',
    id: String(row.id),
    meta: { profile: [usCoreProfile('us-core-implantable-device')] },
    udiCarrier: [{
      deviceIdentifier: String(row.udi_device_identifier),
      issuer: 'http://hl7.org/fhir/NamingSystem/gs1-di',
      jurisdiction: 'http://hl7.org/fhir/NamingSystem/fda-udi',
      carrierHRF: String(row.udi_carrier),
    }],
    status: String(row.status),
    manufacturer: String(row.manufacturer),
    ...optional('manufactureDate', 'manufacture_date'),
    ...optional('expirationDate', 'expiration_date'),
    ...optional('lotNumber', 'lot_number'),
    ...optional('serialNumber', 'serial_number'),
    ...optional('modelNumber', 'model'),
    type: { coding: [{ system: codeSystems.snomed, code: String(row.type_code), display: String(row.type_display) }], text: String(row.type_display) },
    patient: { reference: `Patient/${String(row.patient_id)}` },
  };
  return chartResource(row, resource);
}
