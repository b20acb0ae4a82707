import type { Knex } from 'knex';
import { insertRow, insertRows } from './insert-row.ts';
import type { SeedContext } from './seed-context.ts';
import { demoPatients, type PatientKey } from './seed-patients.ts';
import type { ProviderKey } from './seed-directory.ts';

const books: Array<{ provider: ProviderKey; location: 'main' | 'pediatrics'; serviceType: string }> = [
  { provider: 'chen', location: 'main', serviceType: 'Primary care' },
  { provider: 'natarajan', location: 'pediatrics', serviceType: 'Pediatrics' },
  { provider: 'okafor', location: 'main', serviceType: 'Psychiatry' },
];

// Half-hour slots on three fixed clinic mornings; fixed dates keep the demo and the tests reproducible.
const clinicDays = ['2027-01-12', '2027-01-13', '2027-01-14'];
const slotTimes = ['09:00', '09:30', '10:00', '10:30'];

/** The next booked appointment of each patient: the slot it takes, and why. */
const bookings: Record<PatientKey, [day: string, time: string, reason: string]> = {
  pat: ['2027-01-12', '09:00', 'Blood pressure recheck'],
  maria: ['2027-01-12', '09:30', 'Asthma review'],
  leo: ['2027-01-13', '10:00', 'Allergy review'],
  mia: ['2027-01-13', '10:30', 'Ear recheck'],
  sam: ['2027-01-14', '09:00', 'Medication management'],
};

/**
 * Seeds a schedule per clinician with free and busy slots, a booked future appointment per patient
 * in one of those slots, and a fulfilled appointment for each patient's last follow-up visit.
 */
export async function seedScheduling(trx: Knex, context: SeedContext): Promise<void> {
  const { providers, locations } = context.directory;
  const slotIds = new Map<string, number>();
  for (const book of books) {
    const scheduleId = await insertRow(trx, 'ehr_schedules', {
      provider_id: providers[book.provider], location_id: locations[book.location], is_active: true,
      service_type: book.serviceType, planning_start: '2026-01-01', planning_end: '2027-12-31',
    });
    // Patients book with their primary clinician.
    const booked = new Set(demoPatients.filter((seed) => seed.provider === book.provider)
      .map((seed) => `${bookings[seed.key][0]} ${bookings[seed.key][1]}`));
    for (const day of clinicDays) {
      for (const time of slotTimes) {
        const slotId = await insertRow(trx, 'ehr_slots', {
          schedule_id: scheduleId, status: booked.has(`${day} ${time}`) ? 'busy' : 'free',
          start_at: `${day}T${time}:00Z`, end_at: `${day}T${addMinutes(time, 30)}:00Z`,
        });
        slotIds.set(`${book.provider} ${day} ${time}`, slotId);
      }
    }
  }
  const appointments = demoPatients.flatMap(({ key, provider, followUp }) => {
    const [day, time, reason] = bookings[key];
    const book = books.find((b) => b.provider === provider) ?? books[0]!;
    const common = {
      patient_id: context.chart.patients[key], provider_id: providers[provider],
      location_id: locations[book.location], service_type: book.serviceType,
    };
    return [
      { ...common, slot_id: null, status: 'fulfilled', reason: followUp[0],
        start_at: `${followUp[1]}T14:00:00Z`, end_at: `${followUp[1]}T14:30:00Z`, created_at: `${followUp[1]}T08:00:00Z` },
      { ...common, slot_id: slotIds.get(`${provider} ${day} ${time}`), status: 'booked', reason,
        start_at: `${day}T${time}:00Z`, end_at: `${day}T${addMinutes(time, 30)}:00Z`, created_at: '2026-11-02T10:00:00Z' },
    ];
  });
  await insertRows(trx, 'ehr_appointments', appointments);
}

function addMinutes(time: string, minutes: number): string {
  const total = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
