import type { Knex } from 'knex';
import { createHostSchema } from './schema.ts';
import { createContractViews } from './contract-views.ts';
import { seedHostData } from './seed.ts';

/**
 * Brings the reference EHR database up to date: tables, host contract views, demo data.
 * Safe to run at every start: each step leaves existing tables, views and rows as they are.
 */
export async function prepareHostDatabase(knex: Knex): Promise<void> {
  await createHostSchema(knex);
  await createContractViews(knex);
  await seedHostData(knex);
}
