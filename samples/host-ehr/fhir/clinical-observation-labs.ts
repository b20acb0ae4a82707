import { decimal } from './chart-elements.ts';
import {
  observationBase, observationCategorySystem, observationSource, quantity, valueUnknown,
  type ObservationSource,
} from './clinical-observation-source.ts';
import { usCoreProfile } from './search-parameters.ts';

export const laboratoryProfile = usCoreProfile('us-core-observation-lab');
const interpretationSystem = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const interpretations: Record<string, string> = { N: 'Normal', H: 'High', L: 'Low', A: 'Abnormal' };

const category = { system: observationCategorySystem, code: 'laboratory', display: 'Laboratory' };

/** Laboratory results from `ehr_lab_results`, ids `lab-<id>`; their report is served as DiagnosticReport. */
export const laboratoryResults: ObservationSource = observationSource({
  table: 'ehr_lab_results', alias: 'lr', prefix: 'lab', category,
  toResource(row) {
    const unit = row.unit == null ? undefined : String(row.unit);
    return {
      ...observationBase(laboratoryResults, row, laboratoryProfile),
      ...value(row, unit),
      ...interpretation(row.interpretation),
      ...referenceRange(decimal(row.reference_low), decimal(row.reference_high), unit),
    };
  },
});

function value(row: Record<string, unknown>, unit: string | undefined): Record<string, unknown> {
  const number = decimal(row.value);
  if (number !== undefined) return { valueQuantity: unit === undefined ? { value: number } : quantity(number, unit) };
  if (row.value_text != null) return { valueString: String(row.value_text) };
  return valueUnknown;
}

function interpretation(code: unknown): Record<string, unknown> {
  if (code == null) return {};
  const display = interpretations[String(code)];
  return { interpretation: [{ coding: [{ system: interpretationSystem, code: String(code), ...(display ? { display } : {}) }] }] };
}

/** Adult ranges; one bound is often open (LDL has only a high, HDL only a low). */
function referenceRange(low: number | undefined, high: number | undefined, unit: string | undefined): Record<string, unknown> {
  if (low === undefined && high === undefined) return {};
  const bound = (bound: number) => (unit === undefined ? { value: bound } : quantity(bound, unit));
  return {
    referenceRange: [{
      ...(low === undefined ? {} : { low: bound(low) }),
      ...(high === undefined ? {} : { high: bound(high) }),
    }],
  };
}
