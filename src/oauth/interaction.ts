import type { PluginManifest } from '../config/manifest.ts';
import { InvalidRequest } from '../errors/oauth-errors.ts';
import type { HostDirectory } from '../host/host-directory.ts';
import type { SignedInUser } from '../http/plugin-session.ts';
import { formatScope } from '../smart/format-scope.ts';
import { launchRequirements } from '../smart/launch-requirements.ts';
import { parseScopes } from '../smart/parse-scope.ts';
import { limitToPermissions } from '../smart/permission-scopes.ts';
import type { GrantsStore, SubjectType } from '../store/grants-store.ts';
import type { LaunchContextsStore } from '../store/launch-contexts-store.ts';
import type { AuthorizationRequest } from './authorization-request.ts';
import type { FlowInfo } from './transaction-store.ts';

export interface InteractionDeps {
  directory: HostDirectory;
  grants: GrantsStore;
  launches: LaunchContextsStore;
  resources: PluginManifest['permissions']['resources'];
  patientRole: string;
  /** Permissions that open a sensitive chart (any one of them). */
  sensitiveChartPermissions: readonly string[];
}

/** What the flow does next: show a page, or issue a code for `scope`. */
export type NextStep =
  | { step: 'sign-in' | 'pick-patient' | 'consent'; info: FlowInfo }
  | { step: 'issue'; info: FlowInfo; scope: string[]; dropped: string[] };

/** The subject a grant is stored under. */
export function grantSubject(user: SignedInUser): { type: SubjectType; id: string } {
  return user.kind === 'staff' ? { type: 'user', id: user.userId } : { type: 'portal', id: user.identity };
}

/**
 * Decides the next step of an authorization (SMART App Launch 2.2 "Obtain authorization code"): sign in,
 * use the EHR launch context, pick a patient, ask consent, or issue. Consent is skipped when a stored
 * grant of this user for this client and patient already covers every requested scope.
 */
export async function nextStep(deps: InteractionDeps, request: AuthorizationRequest, info: FlowInfo, user: SignedInUser | undefined): Promise<NextStep> {
  if (!user) return { step: 'sign-in', info };
  checkFlowUser(info, user);
  const current = { ...info, userKey: userKeyOf(user), ...(await useLaunch(deps, request, info, user)) };
  const parsed = parseScopes(request.scope.join(' '));
  const needsPatient = launchRequirements(parsed).needsPatientPicker || parsed.resources.some((s) => s.context === 'patient');
  if (needsPatient && !current.patientId) {
    const only = await onlyChart(deps, user);
    if (!only) return { step: 'pick-patient', info: current };
    current.patientId = only;
  }
  const { granted, dropped } = await permittedScopes(deps, request.scope, user);
  const subject = grantSubject(user);
  const stored = await deps.grants.listActive(subject.type, subject.id, request.clientId);
  const covered = stored.some((grant) => (grant.patientId ?? null) === (current.patientId ?? null)
    && request.scope.every((scope) => grant.scope.includes(scope)));
  if (!covered) return { step: 'consent', info: current };
  return { step: 'issue', info: current, scope: granted, dropped };
}

function userKeyOf(user: SignedInUser): string {
  const subject = grantSubject(user);
  return `${subject.type}:${subject.id}`;
}

/**
 * A flow belongs to the user it started with: its launch context and chosen chart were checked for them.
 * Another person taking over the browser session mid-flow (the host's session changed) must start again.
 */
export function checkFlowUser(info: FlowInfo, user: SignedInUser): void {
  if (info.userKey !== undefined && info.userKey !== userKeyOf(user)) {
    throw new InvalidRequest('The signed-in user changed during this authorization; start again from the app.');
  }
}

/** The requested scopes ∩ the user's EHR permissions now (staff: own; portal users: the Patient role). */
export async function permittedScopes(deps: InteractionDeps, scope: string[], user: SignedInUser): Promise<{ granted: string[]; dropped: string[] }> {
  const permissions = user.kind === 'staff'
    ? await deps.directory.getUserPermissions(user.userId)
    : await deps.directory.getRolePermissions(deps.patientRole);
  const parsed = parseScopes(scope.join(' '));
  // A patient-portal user acts only within their chart: user/ and system/ scopes are not theirs to grant.
  const own = user.kind === 'portal' ? { ...parsed, resources: parsed.resources.filter((s) => s.context === 'patient') } : parsed;
  const result = limitToPermissions(own, { resources: deps.resources, permissions });
  const notTheirs = parsed.resources.filter((s) => !own.resources.includes(s)).map(formatScope);
  return { granted: result.granted, dropped: [...result.dropped, ...notTheirs] };
}

/** An EHR launch's context, used once and only by the user the EHR created it for. */
async function useLaunch(deps: InteractionDeps, request: AuthorizationRequest, info: FlowInfo, user: SignedInUser): Promise<FlowInfo> {
  if (!request.launch || info.launchUsed) return {};
  if (user.kind !== 'staff') throw new InvalidRequest('An EHR launch is for the EHR user who started it.');
  const launch = await deps.launches.consume(request.launch, user.userId, request.clientId);
  if (!launch) throw new InvalidRequest('The launch is unknown, expired, already used, or was started by another user or for another app.');
  // The same rule as the picker: a sensitive chart only for a user who may open sensitive charts.
  if (launch.patientId !== null && !(await mayOpenChart(deps, user.userId, launch.patientId))) {
    throw new InvalidRequest('The launch names a chart this user may not open.');
  }
  return { launchUsed: true, fromEhrLaunch: true, patientId: launch.patientId ?? undefined, encounterId: launch.encounterId };
}

/** A portal user linked to exactly one chart needs no picker. */
async function onlyChart(deps: InteractionDeps, user: SignedInUser): Promise<string | undefined> {
  if (user.kind !== 'portal') return undefined;
  const links = await deps.directory.findPatientLinks(user.identity);
  return links.length === 1 ? links[0]?.patientId : undefined;
}

/** Whether a staff user may open a chart: any existing chart, a sensitive one only with a Sensitive Charts permission. */
export async function mayOpenChart(deps: InteractionDeps, userId: string, patientId: string): Promise<boolean> {
  const patient = await deps.directory.getPatient(patientId);
  return Boolean(patient) && (!patient?.isSensitive || (await mayOpenSensitiveCharts(deps, userId)));
}

export async function mayOpenSensitiveCharts(deps: InteractionDeps, userId: string): Promise<boolean> {
  const permissions = await deps.directory.getUserPermissions(userId);
  return deps.sensitiveChartPermissions.some((p) => permissions.has(p));
}
