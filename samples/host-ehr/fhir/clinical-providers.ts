import type { Knex } from 'knex';
import type { ResourceProvider } from '../../../src/index.ts';
import { allergyIntoleranceProvider } from './clinical-allergy-intolerance.ts';
import { conditionProvider } from './clinical-condition.ts';
import { diagnosticReportProvider } from './clinical-diagnostic-report.ts';
import { immunizationProvider } from './clinical-immunization.ts';
import { medicationRequestProvider } from './clinical-medication-request.ts';
import { observationProvider } from './clinical-observation.ts';
import { procedureProvider } from './clinical-procedure.ts';

/** The chart's US Core resources: allergies, conditions, results and vital signs, medications, immunizations, procedures. */
export function clinicalProviders(knex: Knex): ResourceProvider[] {
  return [
    allergyIntoleranceProvider(knex),
    conditionProvider(knex),
    observationProvider(knex),
    medicationRequestProvider(knex),
    immunizationProvider(knex),
    procedureProvider(knex),
    diagnosticReportProvider(knex),
  ];
}

