import { FhirRequestError, type FhirResource } from '../../../src/index.ts';
import { numericId } from './row-ids.ts';

/** What a client asks to book, read from the Appointment it sends; ids are the sample's row ids. */
export interface BookingRequest {
  status: 'proposed' | 'pending' | 'booked';
  patientId: string;
  practitionerId: number;
  locationId: number | undefined;
  slotId: number | undefined;
  /** UTC instants `YYYY-MM-DDThh:mm:ssZ`, as the table stores them; undefined to take the slot's times. */
  start: string | undefined;
  end: string | undefined;
  serviceType: string | undefined;
  reason: string | undefined;
}

type Json = Record<string, unknown>;

const bookable = new Set(['proposed', 'pending', 'booked']);

function invalid(message: string): FhirRequestError {
  return new FhirRequestError(422, 'invalid', message);
}

/**
 * Checks an Appointment's shape before any row is read (FHIR R4 create §3.1.0.7: 400 for a body that is not
 * an Appointment, 422 for content the EHR cannot book). The sample books one patient with one practitioner,
 * at one location and in at most one slot: the shape `ehr_appointments` holds.
 */
export function bookingRequest(resource: FhirResource): BookingRequest {
  if (resource.resourceType !== 'Appointment') {
    throw new FhirRequestError(400, 'invalid', `Expected an Appointment resource, not ${String(resource.resourceType)}`);
  }
  if (typeof resource.status !== 'string' || !bookable.has(resource.status)) {
    throw new FhirRequestError(422, 'value', `Appointment.status must be proposed, pending or booked, not ${JSON.stringify(resource.status)}`);
  }
  const actors = participantActors(resource.participant);
  const slots = references(resource.slot, 'Appointment.slot');
  if (slots.length > 1) throw new FhirRequestError(422, 'not-supported', 'An appointment may take at most one slot');
  const start = instant(resource.start, 'Appointment.start');
  const end = instant(resource.end, 'Appointment.end');
  if ((start === undefined) !== (end === undefined)) throw invalid('Appointment.start and Appointment.end go together (app-2)');
  if (start !== undefined && end !== undefined && end <= start) throw invalid('Appointment.end must be after Appointment.start');
  if (start === undefined && slots.length === 0) throw new FhirRequestError(422, 'required', 'Appointment.start and end, or a slot, are required');
  return {
    status: resource.status as BookingRequest['status'],
    patientId: single(actors, 'Patient', true)!,
    practitionerId: rowId(single(actors, 'Practitioner', true)!, 'Practitioner'),
    locationId: optionalRowId(single(actors, 'Location', false), 'Location'),
    slotId: optionalRowId(slots[0]?.split('/')[1], 'Slot', slots[0]?.split('/')[0]),
    start, end,
    serviceType: conceptText((resource.serviceType as unknown[] | undefined)?.[0], 'Appointment.serviceType', 100),
    reason: conceptText((resource.reasonCode as unknown[] | undefined)?.[0], 'Appointment.reasonCode', 200)
      ?? (typeof resource.description === 'string' ? limited(resource.description, 'Appointment.description', 200) : undefined),
  };
}

/** `Type/id` of each participant's actor. */
function participantActors(participants: unknown): string[] {
  if (!Array.isArray(participants) || participants.length === 0) throw new FhirRequestError(422, 'required', 'Appointment.participant is required');
  return participants.map((participant: Json, index) => {
    const reference = (participant?.actor as Json | undefined)?.reference;
    if (typeof reference !== 'string') throw invalid(`Appointment.participant[${index}].actor needs a reference`);
    if (!/^(Patient|Practitioner|Location)\/[^/]+$/.test(reference)) {
      throw new FhirRequestError(422, 'not-supported', `Participants must be a Patient, a Practitioner or a Location, not ${reference}`);
    }
    return reference;
  });
}

function references(value: unknown, element: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${element} must be a list of references`);
  return value.map((item: Json) => {
    if (typeof item?.reference !== 'string') throw invalid(`${element} needs a reference`);
    return item.reference;
  });
}

/** The id of the one actor of a type; the sample books exactly one patient and one practitioner. */
function single(actors: string[], type: string, required: boolean): string | undefined {
  const ids = actors.filter((reference) => reference.startsWith(`${type}/`)).map((reference) => reference.slice(type.length + 1));
  if (ids.length > 1 || (required && ids.length === 0)) throw invalid(`An appointment needs exactly ${required ? 'one' : 'at most one'} ${type} participant`);
  return ids[0];
}

function rowId(id: string, type: string): number {
  const row = numericId(id);
  if (row === undefined) throw invalid(`${type}/${id} does not exist`);
  return row;
}

function optionalRowId(id: string | undefined, type: string, givenType = type): number | undefined {
  if (id === undefined) return undefined;
  if (givenType !== type) throw invalid(`Appointment.slot must reference a Slot, not ${givenType}`);
  return rowId(id, type);
}

/** An instant with a time zone, normalised to UTC without fractions, the form the table stores and compares. */
function instant(value: unknown, element: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new FhirRequestError(422, 'value', `${element} must be an instant with a time zone, not ${JSON.stringify(value)}`);
  }
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function conceptText(concept: unknown, element: string, max: number): string | undefined {
  if (typeof concept !== 'object' || concept === null) return undefined;
  const { text, coding } = concept as Json;
  const display = Array.isArray(coding) ? (coding as Json[]).find((code) => typeof code?.display === 'string')?.display : undefined;
  const chosen = typeof text === 'string' && text.trim() !== '' ? text : display;
  return typeof chosen === 'string' ? limited(chosen, element, max) : undefined;
}

function limited(value: string, element: string, max: number): string {
  if (value.trim().length > max) throw new FhirRequestError(422, 'value', `${element} is longer than ${max} characters`);
  return value.trim();
}
