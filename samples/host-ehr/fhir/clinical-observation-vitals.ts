import type { SearchValue, TokenValue } from '../../../src/index.ts';
import { decimal } from './chart-elements.ts';
import {
  loinc, observationBase, observationCategorySystem, observationSource, quantity, valueUnknown, type ObservationSource,
} from './clinical-observation-source.ts';
import { tokenParameter, usCoreProfile, usCoreSearchParameters } from './search-parameters.ts';
import { whereToken } from './criteria-sql.ts';

/** US Core 6.1 vital sign profiles by LOINC code; other codes claim the generic vital signs profile. */
const profiles: Record<string, string> = {
  '85354-9': usCoreProfile('us-core-blood-pressure'),
  '8867-4': usCoreProfile('us-core-heart-rate'),
  '9279-1': usCoreProfile('us-core-respiratory-rate'),
  '8310-5': usCoreProfile('us-core-body-temperature'),
  '59408-5': usCoreProfile('us-core-pulse-oximetry'),
  '8302-2': usCoreProfile('us-core-body-height'),
  '29463-7': usCoreProfile('us-core-body-weight'),
  '39156-5': usCoreProfile('us-core-bmi'),
};
const vitalSignsProfile = usCoreProfile('us-core-vital-signs');
export const vitalSignProfiles = [vitalSignsProfile, ...Object.values(profiles)];

// US Core pulse oximetry requires the FHIR core oxygen saturation code next to the pulse oximetry one.
const pulseOximetry = '59408-5';
const oxygenSaturation = { system: loinc, code: '2708-6', display: 'Oxygen saturation in Arterial blood' };
const bloodPressureUnit = 'mm[Hg]';

const category = { system: observationCategorySystem, code: 'vital-signs', display: 'Vital Signs' };
const loincCode = { code: 'vs.loinc_code', fixedSystem: loinc };

/** `code=2708-6` finds pulse oximetry too, as the resource carries both codes. */
function withOxygenSaturation(values: readonly SearchValue[]): SearchValue[] {
  return values.flatMap((value) => {
    const token = value as TokenValue;
    const aliased = token.code === oxygenSaturation.code && (token.system === undefined || token.system === loinc);
    return aliased ? [value, { ...token, code: pulseOximetry }] : [value];
  });
}

/** Vital signs from `ehr_vitals`, ids `vital-<id>`. */
export const vitalSigns: ObservationSource = observationSource({
  table: 'ehr_vitals', alias: 'vs', prefix: 'vital', category,
  code: {
    ...tokenParameter(usCoreSearchParameters('Observation'), 'code', loincCode, 'LOINC code.'),
    apply: (query, values) => whereToken(query, loincCode, withOxygenSaturation(values)),
  },
  toResource(row) {
    const code = String(row.loinc_code);
    const base = observationBase(vitalSigns, row, profiles[code] ?? vitalSignsProfile);
    if (code === pulseOximetry) (base.code as { coding: object[] }).coding.push(oxygenSaturation);
    if (code === '85354-9') return { ...base, ...bloodPressure(row) };
    const value = decimal(row.value);
    return { ...base, ...(value === undefined ? valueUnknown : { valueQuantity: quantity(value, String(row.unit)) }) };
  },
});

/** The panel has no value of its own; US Core requires both components, with a reason when one is missing. */
function bloodPressure(row: Record<string, unknown>): Record<string, unknown> {
  const component = (code: string, display: string, value: number | undefined) => ({
    code: { coding: [{ system: loinc, code, display }], text: display },
    ...(value === undefined ? valueUnknown : { valueQuantity: quantity(value, bloodPressureUnit) }),
  });
  return {
    component: [
      component('8480-6', 'Systolic blood pressure', decimal(row.systolic)),
      component('8462-4', 'Diastolic blood pressure', decimal(row.diastolic)),
    ],
  };
}
