import type { NonResourceScope, ParsedScopes } from './parse-scope.ts';

/** What the authorization flow must gather or issue for the scopes a request carries. */
export interface LaunchRequirements {
  /** Standalone `launch/patient`: the server chooses the patient, so the user picks a chart. */
  needsPatientPicker: boolean;
  needsEncounter: boolean;
  wantsIdToken: boolean;
  wantsRefreshToken: boolean;
}

/** Reads the launch context, identity and refresh scopes of a request (SMART 2.2 scopes-and-launch-context: context, identity, refresh). */
export function launchRequirements(scopes: ParsedScopes): LaunchRequirements {
  const has = (scope: NonResourceScope) => scopes.nonResource.includes(scope);
  return {
    // In an EHR launch (`launch`) the stored launch context already names the patient.
    needsPatientPicker: has('launch/patient') && !has('launch'),
    needsEncounter: has('launch/encounter'),
    // An id_token is only useful with a fhirUser claim; `profile` is the v1 way to ask for it.
    wantsIdToken: has('openid') && (has('fhirUser') || has('profile')),
    wantsRefreshToken: has('offline_access') || has('online_access'),
  };
}
