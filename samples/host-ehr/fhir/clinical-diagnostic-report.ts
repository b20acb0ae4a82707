import type { Knex } from 'knex';
import type { FhirResource, ResourceProvider } from '../../../src/index.ts';
import { categoryRestriction } from './category-restriction.ts';
import { concept, encounterOf, patientReference } from './chart-elements.ts';
import { chartTable } from './chart-table.ts';
import { childRowsOf } from './page-children.ts';
import { chartResource } from './provided-resource.ts';
import {
  constantParameter, dateParameter, patientParameter, tokenParameter, usCoreProfile, usCoreSearchParameters,
} from './search-parameters.ts';
import { tableProvider } from './table-provider.ts';

const profile = usCoreProfile('us-core-diagnosticreport-lab');
const usCore = usCoreSearchParameters('DiagnosticReport');
const loinc = 'http://loinc.org';
const statusSystem = 'http://hl7.org/fhir/diagnostic-report-status';

/** Every report of `ehr_lab_reports` is a laboratory report (HL7 v2 table 0074 `LAB`). */
const laboratoryCategory = { system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' };
const category = constantParameter(usCore, 'category', laboratoryCategory, 'LAB: every report here is a laboratory report.');

/**
 * DiagnosticReport from `ehr_lab_reports` (US Core 6.1 DiagnosticReport for Laboratory Results Reporting). SHALL
 * `patient`, `patient+category`, `patient+code`, `patient+category+date`; SHOULD status. Results point at the
 * lab Observations (`Observation/lab-<id>`).
 */
export function diagnosticReportProvider(knex: Knex): ResourceProvider {
  return tableProvider(knex, {
    resourceType: 'DiagnosticReport',
    profiles: [profile],
    ...chartTable('ehr_lab_reports', 'rep', (rows) => rows
      .join('ehr_providers as orderer', 'orderer.id', 'rep.ordering_provider_id').select('orderer.organization_id as practice_id')),
    restrict: categoryRestriction(category),
    searchParameters: [
      patientParameter(usCore, 'rep.patient_id'),
      category,
      tokenParameter(usCore, 'code', { code: 'rep.loinc_code', fixedSystem: loinc }, 'LOINC code of the panel.'),
      dateParameter(usCore, 'date', 'rep.effective_at', 'When the specimen was taken.'),
      tokenParameter(usCore, 'status', { code: 'rep.status', fixedSystem: statusSystem }, 'final | ...'),
    ],
    order: [{ column: 'rep.effective_at', order: 'desc' }],
    toResources: async (rows) => {
      // Hidden results stay listed: following them answers 404 (DESIGN §8).
      const results = await childRowsOf(knex('ehr_lab_results').select('id', 'report_id').orderBy('id'), 'report_id',
        rows.map((row) => Number(row.id)));
      return rows.map((row) => chartResource(row, diagnosticReport(row, (results.get(Number(row.id)) ?? []).map((r) => Number(r.id)))));
    },
  });
}

function diagnosticReport(row: Record<string, unknown>, results: number[]): FhirResource {
  return {
    resourceType: 'DiagnosticReport',
    id: String(row.id),
    meta: { profile: [profile] },
    status: String(row.status),
    category: [concept(laboratoryCategory.system, laboratoryCategory.code, laboratoryCategory.display)],
    code: concept(loinc, String(row.loinc_code), String(row.display)),
    subject: patientReference(row),
    ...encounterOf(row),
    effectiveDateTime: String(row.effective_at),
    issued: String(row.issued_at),
    // The sample records no laboratory: the panel ran at the ordering clinician's practice, and that clinician
    // wrote the conclusion, so the practice performed it and the clinician interpreted it.
    performer: [{ reference: `Organization/${String(row.practice_id)}` }],
    resultsInterpreter: [{ reference: `Practitioner/${String(row.ordering_provider_id)}` }],
    ...(results.length === 0 ? {} : { result: results.map((id) => ({ reference: `Observation/lab-${id}` })) }),
    ...(row.conclusion == null ? {} : { conclusion: String(row.conclusion) }),
  };
}
