import assert from 'node:assert/strict';
import { Fhir, type ValidatorMessage } from 'fhir';

// One validator per test process: it loads the R4 definitions once, which takes most of its cost.
const validator = new Fhir();

/**
 * The `fhir` package warns "Code ... not found in value set" for codes outside a binding that is only example,
 * preferred or extensible (a required binding gives an error instead). US Core deliberately uses codes outside
 * the R4 core value sets there (RxNorm for Medication.code, NUCC for PractitionerRole.specialty), which FHIR
 * allows, so that one warning is not a failure. Every other warning is.
 */
function isOpenBindingWarning(message: ValidatorMessage): boolean {
  return message.severity === 'warning' && /^Code ".*" (\(.*\) )?not found in value set$/.test(message.message ?? '');
}

/**
 * Fails unless the resource is valid FHIR R4 by the `fhir` package's structural validator. Warnings fail too:
 * "Unexpected property" is how a misspelt or misplaced element shows up, and a client would ignore it silently.
 */
export function assertValidR4(resource: unknown): void {
  const result = validator.validate(resource as object);
  const problems = result.messages
    .filter((message) => message.severity === 'error' || message.severity === 'warning')
    .filter((message) => !isOpenBindingWarning(message));
  const where = resource as { resourceType?: string; id?: string } | undefined;
  assert.deepEqual(problems, [], `${where?.resourceType ?? '?'}/${where?.id ?? '?'} is not valid FHIR R4`);
  assert.equal(result.valid, true);
}
