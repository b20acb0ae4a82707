import type { HostDirectory } from '../host/host-directory.ts';
import type { SignedInUser } from '../http/plugin-session.ts';

/** Who the verified Azure AD claims are in the EHR, or why they are nobody there. */
export type AzureIdentity =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: 'tenant-not-configured' | 'no-ehr-user' | 'inactive' | 'no-email' | 'no-patient-links' };

/**
 * Azure AD B2B (DESIGN §3): a staff member is the EHR user linked to the token's tenant id + object id,
 * never the one with the same email. The tenant must be the one whose strategy verified the token.
 */
export async function staffIdentity(directory: HostDirectory, tenantId: string, claims: Record<string, unknown>): Promise<AzureIdentity> {
  const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : '';
  const oid = typeof claims.oid === 'string' ? claims.oid : '';
  if (tid !== tenantId.toLowerCase() || !oid) return { ok: false, reason: 'tenant-not-configured' };
  const user = await directory.findUserByAzureObject(tid, oid);
  if (!user) return { ok: false, reason: 'no-ehr-user' };
  if (!user.isActive) return { ok: false, reason: 'inactive' };
  return { ok: true, user: { kind: 'staff', userId: user.userId, method: 'azure-b2b', authTime: authTime(claims) } };
}

/**
 * Azure AD B2C (DESIGN §3): a patient or representative is their verified email (`emails`, as B2C user
 * flows return it), which reaches the charts `patient_links` lists for it.
 */
export async function portalIdentity(directory: HostDirectory, claims: Record<string, unknown>): Promise<AzureIdentity> {
  const email = verifiedEmail(claims);
  if (!email) return { ok: false, reason: 'no-email' };
  const links = await directory.findPatientLinks(email);
  if (links.length === 0) return { ok: false, reason: 'no-patient-links' };
  return { ok: true, user: { kind: 'portal', identity: email, method: 'azure-b2c', authTime: authTime(claims) } };
}

function verifiedEmail(claims: Record<string, unknown>): string | undefined {
  const emails = Array.isArray(claims.emails) ? claims.emails : [];
  const first = emails.find((value): value is string => typeof value === 'string' && value.includes('@'));
  return first?.trim().toLowerCase();
}

function authTime(claims: Record<string, unknown>): number {
  const value = typeof claims.auth_time === 'number' ? claims.auth_time : claims.iat;
  return typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : Math.floor(Date.now() / 1000);
}
