import type { FhirResource } from '../../../src/index.ts';
import { chartResource } from './provided-resource.ts';
import { coreSearchParameters, dateParameter, referenceParameter, tokenParameter } from './search-parameters.ts';
import type { TableSource } from './table-provider.ts';

const core = coreSearchParameters('Appointment');

/** FHIR R4 AppointmentStatus codes, as `ehr_appointments.status` holds them. */
export const appointmentStatusSystem = 'http://hl7.org/fhir/appointmentstatus';

/** Until the appointment is booked, its participants have not confirmed it yet. */
function participantStatus(status: string): string {
  return status === 'proposed' || status === 'pending' ? 'needs-action' : 'accepted';
}

function appointmentResource(row: Record<string, unknown>): FhirResource {
  const status = String(row.status);
  const participant = (reference: string) => ({ actor: { reference }, required: 'required', status: participantStatus(status) });
  return {
    resourceType: 'Appointment',
    id: String(row.id),
    status,
    serviceType: [{ text: String(row.service_type) }],
    ...(typeof row.reason === 'string' && row.reason !== '' ? { reasonCode: [{ text: row.reason }] } : {}),
    start: String(row.start_at),
    end: String(row.end_at),
    ...(row.slot_id != null ? { slot: [{ reference: `Slot/${String(row.slot_id)}` }] } : {}),
    created: String(row.created_at),
    participant: [
      participant(`Patient/${String(row.patient_id)}`),
      participant(`Practitioner/${String(row.provider_id)}`),
      participant(`Location/${String(row.location_id)}`),
    ],
  };
}

/** `ehr_appointments` as FHIR R4 Appointment (US Core has no profile); in the patient's compartment. */
export const appointmentSource: TableSource<FhirResource> = {
  resourceType: 'Appointment',
  searchParameters: [
    referenceParameter(core, 'patient', 'a.patient_id', 'Patient'),
    dateParameter(core, 'date', 'a.start_at', 'When the appointment starts.'),
    tokenParameter(core, 'status', { code: 'a.status', fixedSystem: appointmentStatusSystem }, appointmentStatusSystem),
    referenceParameter(core, 'practitioner', 'a.provider_id', 'Practitioner'),
    referenceParameter(core, 'location', 'a.location_id', 'Location'),
  ],
  rows: (knex) => knex('ehr_appointments as a').select(
    'a.id', 'a.patient_id', 'a.provider_id', 'a.location_id', 'a.slot_id', 'a.status', 'a.service_type', 'a.reason',
    'a.start_at', 'a.end_at', 'a.created_at',
  ),
  idColumn: 'a.id',
  order: [{ column: 'a.start_at' }],
  chart: { patient: 'a.patient_id' },
  toResources: async (rows) => rows.map((row) => chartResource(row, appointmentResource(row))),
};
