import type { Knex } from 'knex';
import type { ResourceProvider } from '../../../src/index.ts';
import { binaryProvider } from './care-binary.ts';
import { deviceProvider } from './care-device.ts';
import { documentReferenceProvider } from './care-document-reference.ts';
import { encounterProvider } from './care-encounter.ts';
import { goalProvider } from './care-goal.ts';
import { carePlanProvider } from './care-plan.ts';
import { provenanceProvider } from './care-provenance.ts';
import { careTeamProvider } from './care-team.ts';

/** Documents and their content, encounters, care planning, implanted devices, and the Provenance of the chart. */
export function careProviders(knex: Knex): ResourceProvider[] {
  return [
    documentReferenceProvider(knex),
    binaryProvider(knex),
    encounterProvider(knex),
    carePlanProvider(knex),
    careTeamProvider(knex),
    goalProvider(knex),
    deviceProvider(knex),
    provenanceProvider(knex),
  ];
}
