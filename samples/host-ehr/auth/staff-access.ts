import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { isTrue } from '../database/boolean-column.ts';
import { csrfTokenOf, sessionCookieName, signedInStaffUserId, signOut } from './staff-session.ts';

/** The signed-in staff member and what the EHR lets them do right now. */
export interface StaffMember {
  userId: string;
  displayName: string;
  permissions: ReadonlySet<string>;
  /** Confidential document types (by name) this user may read, through their roles or themselves. */
  documentTypes: ReadonlySet<string>;
  csrfToken: string;
}

/**
 * Requires a signed-in, still active staff member and loads their effective permissions on every
 * request, so a revoked permission or a deactivated account takes effect at once.
 * Permissions come from the host contract views, the same rows the plugin reads, so the EHR's own
 * screens and the SMART API cannot disagree about what a user may see.
 */
export function requireStaff(knex: Knex): RequestHandler {
  return async (req, res, next) => {
    const userId = signedInStaffUserId(req);
    const staff = userId ? await loadStaff(knex, userId, csrfTokenOf(req)) : undefined;
    if (!staff) {
      if (userId) {
        await signOut(req);
        res.clearCookie(sessionCookieName, { path: '/' });
      }
      return res.redirect(302, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
    }
    res.locals.staff = staff;
    next();
  };
}

/** The staff member loaded by `requireStaff`. */
export function staffOf(res: Response): StaffMember {
  const staff = res.locals.staff as StaffMember | undefined;
  if (!staff) throw new Error('requireStaff must run before this handler');
  return staff;
}

async function loadStaff(knex: Knex, userId: string, csrfToken: string): Promise<StaffMember | undefined> {
  const user = await knex('smart_host_users').select('display_name', 'is_active').where('user_id', userId).first();
  if (!user || !isTrue(user.is_active)) return undefined;
  const roles = (await knex('smart_host_user_roles').select('role').where('user_id', userId).orderBy('role'))
    .map((row: { role: string }) => row.role);
  const permissions = await knex('smart_host_user_permissions').select('permission').where('user_id', userId).orderBy('permission');
  const documentTypes = await knex('smart_host_document_type_access')
    .select('document_type')
    .where('user_id', userId)
    .orWhereIn('role', roles)
    .orderBy('document_type');
  return {
    userId,
    displayName: String(user.display_name),
    permissions: new Set(permissions.map((row: { permission: string }) => row.permission)),
    documentTypes: new Set(documentTypes.map((row: { document_type: string }) => row.document_type)),
    csrfToken,
  };
}

/** True when the staff member holds at least one of the permissions. */
export function holdsAny(staff: StaffMember, ...permissions: string[]): boolean {
  return permissions.some((permission) => staff.permissions.has(permission));
}

/** Ids in the URL are digits only; anything else is simply not found. */
export function numericId(req: Request, name: string): number | undefined {
  const value = req.params[name];
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
