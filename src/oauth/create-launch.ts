import type { HostDirectory } from '../host/host-directory.ts';
import type { ClientsStore } from '../store/clients-store.ts';
import type { LaunchContextsStore } from '../store/launch-contexts-store.ts';

export interface LaunchInput {
  /** The EHR user signed in to the host who starts the app. */
  userId: string;
  patientId?: string;
  encounterId?: string;
  /** Bind the launch to one app; any app may use it otherwise (still only for this user). */
  clientId?: string;
}

/** Thrown when the host asks for a launch the plugin cannot honour (unknown user, patient or client). */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/**
 * EHR launch (SMART App Launch 2.2 "EHR launch"): the host creates the context server-side and passes only
 * an opaque, short-lived, single-use id to the app as `launch`, with `iss` = the FHIR base URL.
 */
export async function createLaunch(
  deps: {
    directory: HostDirectory; clients: ClientsStore; launches: LaunchContextsStore; lifetimeSeconds: number;
    sensitiveChartPermissions: readonly string[];
  },
  input: LaunchInput,
): Promise<{ launch: string; expiresAt: Date }> {
  if (typeof input?.userId !== 'string' || !input.userId) throw new LaunchError('createLaunch needs the signed-in userId');
  const user = await deps.directory.findUserById(input.userId);
  if (!user?.isActive) throw new LaunchError('createLaunch: the user is unknown or inactive');
  if (input.patientId !== undefined) {
    const patient = await deps.directory.getPatient(input.patientId);
    if (!patient) throw new LaunchError('createLaunch: the patient is unknown');
    // Refused here already, so the EHR can tell the user, rather than at the app's authorization.
    const permissions = patient.isSensitive ? await deps.directory.getUserPermissions(user.userId) : undefined;
    if (permissions && !deps.sensitiveChartPermissions.some((p) => permissions.has(p))) {
      throw new LaunchError('createLaunch: the chart is restricted and this user may not open it');
    }
  }
  if (input.clientId !== undefined) {
    const client = await deps.clients.get(input.clientId);
    if (!client || client.disabled) throw new LaunchError('createLaunch: the client is unknown or disabled');
  }
  return deps.launches.create({
    userId: user.userId, clientId: input.clientId ?? null, patientId: input.patientId ?? null, encounterId: input.encounterId ?? null,
  }, deps.lifetimeSeconds);
}
