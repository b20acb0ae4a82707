import { concept } from './chart-elements.ts';
import {
  observationBase, observationCategorySystem, observationSource, type ObservationSource,
} from './clinical-observation-source.ts';
import { usCoreProfile } from './search-parameters.ts';

export const smokingStatusProfile = usCoreProfile('us-core-smokingstatus');

const category = { system: observationCategorySystem, code: 'social-history', display: 'Social History' };

/** Social history from `ehr_social_history` (tobacco smoking status, LOINC 72166-2), ids `social-<id>`. */
export const socialHistory: ObservationSource = observationSource({
  table: 'ehr_social_history', alias: 'sh', prefix: 'social', category,
  toResource(row) {
    return {
      ...observationBase(socialHistory, row, smokingStatusProfile),
      // `issued` is when the result was made available: the time the row was recorded.
      issued: String(row.recorded_at),
      valueCodeableConcept: concept(String(row.value_code_system), String(row.value_code), String(row.value_display)),
    };
  },
});
