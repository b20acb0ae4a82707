import type { Knex } from 'knex';
import type { ResourceProvider } from '../../../src/index.ts';
import { careProviders } from './care-providers.ts';
import { clinicalProviders } from './clinical-providers.ts';
import { directoryProviders } from './directory-providers.ts';

/** The sample EHR's FHIR providers over its reference tables: what a host passes as `fhirResources`. */
export function createSampleProviders(knex: Knex): ResourceProvider[] {
  return [...directoryProviders(knex), ...clinicalProviders(knex), ...careProviders(knex)];
}
