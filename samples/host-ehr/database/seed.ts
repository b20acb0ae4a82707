import type { Knex } from 'knex';
import { hashDemoPasswords, seedDirectory } from './seed-directory.ts';
import { seedPatients } from './seed-patients.ts';
import { seedClinical } from './seed-clinical.ts';
import { seedObservations } from './seed-observations.ts';
import { seedCare } from './seed-care.ts';
import { seedScheduling } from './seed-scheduling.ts';

/**
 * Seeds the fixed demo data of the reference EHR, once: nothing happens when any user exists.
 *
 * Staff (password `demo-password` for all, demo only): `provider` (Dr. Alice Chen), `frontdesk`,
 * `admin`, `sensitive-provider` (Dr. Daniel Okafor: also Sensitive Charts and Behavioral Health notes),
 * `svc-portal` and `svc-scheduling` (API Server User; the latter without View Charts), and the
 * inactive `retired`. Patients: Pat Jones, Maria Lopez and her children Leo and Mia, and Sam Rivera,
 * whose chart is sensitive and holds a Behavioral Health note. Every patient has data for every US Core
 * search. Azure AD identities are in `demo-identities.ts`.
 */
export async function seedHostData(knex: Knex): Promise<void> {
  if (await hasUsers(knex)) return;
  // Hashing takes a moment per user; do it before the transaction so it holds no locks meanwhile.
  const passwordHashes = await hashDemoPasswords();
  await knex.transaction(async (trx) => {
    // Two processes starting together may both get here; the unique login names then make the
    // second transaction fail and roll back instead of seeding the data twice.
    if (await hasUsers(trx)) return;
    const directory = await seedDirectory(trx, passwordHashes);
    const chart = await seedPatients(trx, directory);
    const context = { directory, chart };
    await seedClinical(trx, context);
    await seedObservations(trx, context);
    await seedCare(trx, context);
    await seedScheduling(trx, context);
  });
}

async function hasUsers(knex: Knex): Promise<boolean> {
  const row = await knex('ehr_users').first('id').orderBy('id');
  return row !== undefined;
}
