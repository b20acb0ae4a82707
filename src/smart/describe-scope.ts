import { parseScope, type NonResourceScope, type ResourceScope, type ScopeContext } from './parse-scope.ts';
import { recordName } from './resource-type-names.ts';

/** One line of the consent page and the scope tokens it stands for. */
export interface ScopeDescription {
  text: string;
  scopes: string[];
}

/** Who is reading the consent page, for the wording. */
export interface ScopeWording {
  /** The chosen patient, when someone other than the patient consents (staff): `patient/` scopes name them, not "your". */
  patientName?: string;
}

const NON_RESOURCE: Readonly<Record<NonResourceScope, string>> = {
  openid: 'Know who you are',
  fhirUser: 'Know who you are',
  // `profile` is the SMART v1 name for what `fhirUser` asks.
  profile: 'Know who you are',
  launch: 'Know which patient and visit you have open in the EHR',
  'launch/patient': "Know which patient's record you opened",
  'launch/encounter': 'Know which visit you opened',
  offline_access: 'Keep access after you close the app (until you revoke it)',
  online_access: 'Keep access while you are signed in',
};

// Verbs in the order people expect to read them, not the `cruds` order of the letters.
const VERBS: readonly (readonly [string, string])[] = [['r', 'read'], ['s', 'search'], ['c', 'create'], ['u', 'update'], ['d', 'delete']];

// `owner` is "your" or a patient's name in the possessive ("Leo Lopez's").
const WHOLE_RECORD: Readonly<Record<ScopeContext, (owner: string) => string>> = {
  patient: (owner) => `all of ${owner} health record`,
  user: () => 'all health records of patients you can access',
  system: () => 'all health records of all patients',
};

const OWNED: Readonly<Record<ScopeContext, (noun: string, owner: string) => string>> = {
  patient: (noun, owner) => `${owner} ${noun}`,
  user: (noun) => `${noun} of patients you can access`,
  system: (noun) => `${noun} of all patients`,
};

/** Plain-language text of one scope for the consent page (SMART 2.2 app-launch "authorization": the user approves scopes). */
export function describeScope(token: string, wording: ScopeWording = {}): string {
  const scope = parseScope(token);
  if (scope === undefined) return `Unrecognised access “${token}”`;
  if (typeof scope === 'string') return NON_RESOURCE[scope];
  return `${interactionPhrase(scope.interactions)} ${records(scope, owner(wording))}`;
}

/** Consent page lines, one per distinct text, each with the tokens it stands for (`openid fhirUser` is one line). */
export function describeScopes(tokens: readonly string[], wording: ScopeWording = {}): ScopeDescription[] {
  const lines = new Map<string, string[]>();
  for (const token of tokens) {
    const text = describeScope(token, wording);
    lines.set(text, [...(lines.get(text) ?? []), token]);
  }
  return [...lines].map(([text, scopes]) => ({ text, scopes }));
}

/** "Read and search", "Create", "Read, search and update": the interactions of a scope as a verb phrase (SMART 2.2 `cruds`). */
export function interactionPhrase(interactions: string): string {
  const verbs = VERBS.filter(([letter]) => interactions.includes(letter)).map(([, verb]) => verb);
  const last = verbs.pop() ?? '';
  const phrase = verbs.length === 0 ? last : `${verbs.join(', ')} and ${last}`;
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

// "James's" rather than "James'": both are correct English, and one rule reads the same for every name.
function owner(wording: ScopeWording): string {
  const name = wording.patientName?.trim() ?? '';
  return name === '' ? 'your' : `${name}'s`;
}

function records(scope: ResourceScope, owner: string): string {
  if (scope.resourceType === '*') {
    const whole = WHOLE_RECORD[scope.context](owner);
    return scope.category === undefined ? whole : `${whole} in category “${scope.category}”`;
  }
  const { noun, shared } = recordName(scope.resourceType, scope.category);
  return shared ? noun : OWNED[scope.context](noun, owner);
}
