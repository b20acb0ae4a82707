import type { Knex } from 'knex';
import {
  FhirRequestError, type AccessRestrictions, type FhirResource, type ProvidedResource, type ProviderContext,
} from '../../../src/index.ts';
import { isTrue } from '../database/boolean-column.ts';
import { insertRow } from '../database/insert-row.ts';
import { numericId } from './row-ids.ts';
import { applyRestrictions } from './search-sql.ts';
import { appointmentSource } from './directory-appointment.ts';
import { bookingRequest, type BookingRequest } from './directory-appointment-request.ts';
import { readResource } from './table-provider.ts';

/**
 * `POST Appointment` (FHIR R4 create): books an appointment, taking its slot in the same transaction. The
 * slot is claimed with a conditional update (`status = 'free'`), so of two concurrent bookings of one slot
 * exactly one wins and the other gets 409, on every database, without locking hints.
 */
export async function bookAppointment(knex: Knex, resource: FhirResource, { restrictions }: ProviderContext): Promise<ProvidedResource> {
  const request = bookingRequest(resource);
  return knex.transaction(async (trx) => {
    const patientId = await visiblePatient(trx, request.patientId, restrictions);
    const practitioner = await trx('ehr_providers').select('id', 'specialty_display', 'is_active').where('id', request.practitionerId).first();
    if (practitioner === undefined) throw new FhirRequestError(422, 'invalid', `Practitioner/${request.practitionerId} does not exist`);
    if (!isTrue(practitioner.is_active)) throw new FhirRequestError(422, 'business-rule', `Practitioner/${request.practitionerId} is not active`);
    if (request.locationId !== undefined && (await trx('ehr_locations').where('id', request.locationId).first('id')) === undefined) {
      throw new FhirRequestError(422, 'invalid', `Location/${request.locationId} does not exist`);
    }
    const slot = request.slotId === undefined ? undefined : await claimSlot(trx, request);
    const locationId = request.locationId ?? slot?.locationId;
    if (locationId === undefined) throw new FhirRequestError(422, 'required', 'A Location participant or a slot is required');
    const id = await insertRow(trx, 'ehr_appointments', {
      patient_id: patientId, provider_id: request.practitionerId, location_id: locationId, slot_id: request.slotId ?? null,
      status: request.status, service_type: request.serviceType ?? slot?.serviceType ?? String(practitioner.specialty_display),
      reason: request.reason ?? null, start_at: request.start ?? slot!.start, end_at: request.end ?? slot!.end,
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const created = await readResource(trx, appointmentSource, String(id), restrictions);
    if (created === undefined) throw new Error(`Appointment/${id} was created but cannot be read back`);
    return created;
  });
}

/**
 * The patient's row id if the caller may book for them. A patient outside the caller's compartment, or with a
 * sensitive chart the caller may not open, is answered exactly as a patient that does not exist.
 */
async function visiblePatient(trx: Knex, patientId: string, restrictions: AccessRestrictions): Promise<number> {
  const id = numericId(patientId);
  const query = trx('ehr_patients as p').select('p.id').where('p.id', id ?? 0);
  applyRestrictions(query, restrictions, { patient: 'p.id' });
  if (id === undefined || (await query.first()) === undefined) {
    throw new FhirRequestError(404, 'not-found', `Patient/${patientId} is not known`);
  }
  return id;
}

interface ClaimedSlot {
  locationId: number;
  serviceType: string;
  start: string;
  end: string;
}

/** Checks the slot belongs to the practitioner (and location), matches the times asked, and marks it busy. */
async function claimSlot(trx: Knex, request: BookingRequest): Promise<ClaimedSlot> {
  const row = await trx('ehr_slots as sl').join('ehr_schedules as s', 's.id', 'sl.schedule_id')
    .select('sl.status', 'sl.start_at', 'sl.end_at', 's.provider_id', 's.location_id', 's.service_type')
    .where('sl.id', request.slotId!).first();
  if (row === undefined) throw new FhirRequestError(422, 'invalid', `Slot/${request.slotId} does not exist`);
  const slot = { locationId: Number(row.location_id), serviceType: String(row.service_type), start: String(row.start_at), end: String(row.end_at) };
  if (Number(row.provider_id) !== request.practitionerId) {
    throw new FhirRequestError(422, 'business-rule', `Slot/${request.slotId} is not in Practitioner/${request.practitionerId}'s schedule`);
  }
  if (request.locationId !== undefined && request.locationId !== slot.locationId) {
    throw new FhirRequestError(422, 'business-rule', `Slot/${request.slotId} is not at Location/${request.locationId}`);
  }
  if (request.start !== undefined && (request.start !== slot.start || request.end !== slot.end)) {
    throw new FhirRequestError(422, 'business-rule', `Appointment.start and end must be the slot's (${slot.start} to ${slot.end})`);
  }
  const claimed = await trx('ehr_slots').where('id', request.slotId!).where('status', 'free').update({ status: 'busy' });
  if (Number(claimed) !== 1) throw new FhirRequestError(409, 'conflict', `Slot/${request.slotId} is not free`);
  return slot;
}
