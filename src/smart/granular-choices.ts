import { describeScope, type ScopeWording } from './describe-scope.ts';
import { formatScope } from './format-scope.ts';
import { parseScope } from './parse-scope.ts';
import { categoryValue } from './resource-type-names.ts';

/** A narrower alternative to a requested scope that the consent page offers. */
export interface GranularChoice {
  scope: string;
  text: string;
}

// The US Core 6.1 categories a user may pick instead of the whole resource type (ONC (g)(10) 9.26/9.28, GRANSEL-02);
// `procedure` is what the criteria call "Clinical Test".
const OFFERED: Readonly<Record<string, readonly string[]>> = {
  Condition: ['problem-list-item', 'encounter-diagnosis', 'health-concern'],
  Observation: ['laboratory', 'vital-signs', 'social-history', 'survey', 'sdoh', 'procedure'],
};

/**
 * The category-restricted scopes a user may grant instead of an unrestricted patient/ or user/ Condition or
 * Observation scope that reads or searches (SMART 2.2 granular scopes; ONC (g)(10) granular selection), written
 * in the client's own form (`.read` stays v1, v2 letters are kept). Empty for every other scope.
 */
export function granularChoices(scope: string, wording: ScopeWording = {}): GranularChoice[] {
  const parsed = parseScope(scope);
  if (typeof parsed !== 'object' || parsed.context === 'system' || parsed.category !== undefined) return [];
  if (!/[rs]/.test(parsed.interactions) || !Object.hasOwn(OFFERED, parsed.resourceType)) return [];
  return (OFFERED[parsed.resourceType] ?? []).flatMap((code) => {
    const category = categoryValue(parsed.resourceType, code);
    if (category === undefined) return [];
    const granular = formatScope({ ...parsed, category });
    return [{ scope: granular, text: describeScope(granular, wording) }];
  });
}
