import type { Knex } from 'knex';
import type { ResourceProvider } from '../../../src/index.ts';
import { bookAppointment } from './directory-appointment-booking.ts';
import { appointmentSource } from './directory-appointment.ts';
import { locationSource } from './directory-location.ts';
import { medicationSource } from './directory-medication.ts';
import { organizationSource } from './directory-organization.ts';
import { patientSource } from './directory-patient.ts';
import { updatePatient } from './directory-patient-update.ts';
import { practitionerRoleSource } from './directory-practitioner-role.ts';
import { practitionerSource } from './directory-practitioner.ts';
import { scheduleSource } from './directory-schedule.ts';
import { slotSource } from './directory-slot.ts';
import { tableProvider } from './table-provider.ts';

/**
 * Patient, the practice directory (Practitioner, PractitionerRole, Organization, Location, the Medication
 * formulary) and scheduling (Appointment, Schedule, Slot). Patient can be updated and Appointment created;
 * the rest is read only.
 */
export function directoryProviders(knex: Knex): ResourceProvider[] {
  return [
    { ...tableProvider(knex, patientSource), update: (id, resource, context) => updatePatient(knex, id, resource, context) },
    tableProvider(knex, practitionerSource),
    tableProvider(knex, practitionerRoleSource),
    tableProvider(knex, organizationSource),
    tableProvider(knex, locationSource),
    tableProvider(knex, medicationSource),
    { ...tableProvider(knex, appointmentSource), create: (resource, context) => bookAppointment(knex, resource, context) },
    tableProvider(knex, scheduleSource),
    tableProvider(knex, slotSource),
  ];
}
