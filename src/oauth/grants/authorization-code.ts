import { AccessDenied } from '../../errors/oauth-errors.ts';
import type { HostDirectory } from '../../host/host-directory.ts';
import type { SignedInUser } from '../../http/plugin-session.ts';
import { parseScopes } from '../../smart/parse-scope.ts';
import type { AuthorizationCodesStore } from '../../store/authorization-codes-store.ts';
import type { GrantsStore } from '../../store/grants-store.ts';
import type { AuthorizationRequest } from '../authorization-request.ts';
import { grantSubject } from '../interaction.ts';
import type { FlowInfo } from '../transaction-store.ts';

/** What the code carries to the token endpoint (stored server-side; the code itself is opaque). */
export interface CodeContext {
  subject: string;
  userKind: SignedInUser['kind'];
  fhirUser: string | null;
  patient: string | null;
  encounter: string | null;
  nonce: string | null;
  authTime: number;
  needPatientBanner: boolean;
  dropped: string[];
  /** Set for tokens of the password grant: the user must still hold the API Server User role. */
  apiServerUser?: boolean;
}

/** The decision the flow reached: the approved request scopes, and what the token may carry now. */
export interface ApprovedAuthorization {
  allow: boolean;
  /** The scopes the user approved: the client's own strings, or the categories the user narrowed them to (stored in the grant). */
  approved: string[];
  /** approved ∩ the user's EHR permissions now: what the token carries. */
  scope: string[];
  dropped: string[];
  info: FlowInfo;
}

export interface CodeIssueDeps {
  codes: AuthorizationCodesStore;
  grants: GrantsStore;
  directory: HostDirectory;
  codeSeconds: number;
}

/**
 * Issues an authorization code (RFC 6749 §4.1.2) for an approved request: records the approval as a
 * grant (updating an existing grant of the same user, client and patient) and stores the code with its
 * PKCE challenge and launch context. Shaped as oauth2orize's 7-argument `issue` callback.
 */
export function issueAuthorizationCode(deps: CodeIssueDeps) {
  return function issue(
    client: { clientId: string }, redirectUri: string, user: SignedInUser, ares: ApprovedAuthorization,
    areq: { smart: AuthorizationRequest }, _locals: unknown, done: (error: unknown, code?: string) => void,
  ): void {
    issueCode(deps, client, redirectUri, user, ares, areq.smart).then((code) => done(null, code), done);
  };
}

async function issueCode(
  deps: CodeIssueDeps, client: { clientId: string }, redirectUri: string, user: SignedInUser,
  ares: ApprovedAuthorization, request: AuthorizationRequest,
): Promise<string> {
  const subject = grantSubject(user);
  const patientId = ares.info.patientId ?? null;
  // SMART App Launch 2.2: a granted patient/ scope needs a patient in context; never a token without one.
  if (!patientId && parseScopes(ares.scope.join(' ')).resources.some((scope) => scope.context === 'patient')) {
    throw new AccessDenied('No patient was chosen for the patient-level access.');
  }
  const existing = (await deps.grants.listActive(subject.type, subject.id, client.clientId))
    .find((grant) => grant.patientId === patientId);
  let grantId: string;
  if (existing) {
    grantId = existing.grantId;
    // The latest decision wins for the scopes it was about: what was asked and left unchecked is withdrawn.
    const scope = [...new Set([...existing.scope.filter((s) => !request.scope.includes(s)), ...ares.approved])];
    const changed = scope.length !== existing.scope.length || scope.some((s) => !existing.scope.includes(s));
    if (changed) await deps.grants.setScope(grantId, scope);
  } else {
    grantId = (await deps.grants.create({ clientId: client.clientId, subjectType: subject.type, subjectId: subject.id, patientId, scope: ares.approved })).grantId;
  }
  const fhirUser = await fhirUserOf(deps.directory, user);
  const context: CodeContext = {
    subject: subject.id, userKind: user.kind, fhirUser, patient: patientId, encounter: ares.info.encounterId ?? null,
    nonce: request.nonce, authTime: user.authTime, needPatientBanner: !ares.info.fromEhrLaunch, dropped: ares.dropped,
  };
  return deps.codes.create({
    clientId: client.clientId, grantId, redirectUri, scope: ares.scope, codeChallenge: request.codeChallenge,
    context: context as unknown as Record<string, unknown>, expiresAt: new Date(Date.now() + deps.codeSeconds * 1000),
  });
}

/**
 * SMART `fhirUser`: a staff user's own reference from the users view; a portal user is the Patient their
 * identity is linked to as `self`. A representative without a chart of their own has no FHIR resource the
 * host contract can name (no RelatedPerson ids), so theirs stays null.
 */
async function fhirUserOf(directory: HostDirectory, user: SignedInUser): Promise<string | null> {
  if (user.kind === 'staff') return (await directory.findUserById(user.userId))?.fhirUser ?? null;
  const self = (await directory.findPatientLinks(user.identity)).find((link) => link.relationship.toLowerCase() === 'self');
  return self ? `Patient/${self.patientId}` : null;
}
