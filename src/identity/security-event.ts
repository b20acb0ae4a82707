import type { PluginLogger } from '../config/options.ts';

/** A security-relevant outcome of a sign-in: no tokens, secrets, names or email addresses, only opaque ids. */
export interface SecurityEvent {
  event: 'sign-in-succeeded' | 'sign-in-refused';
  /** `azure` when the sign-in could not be told apart (a callback with an unknown state). */
  method: 'azure-b2b' | 'azure-b2c' | 'azure';
  /** Why a sign-in was refused, as a fixed code. */
  reason?: string;
  /** The identity provider library's own account of a failed verification (never contains tokens). */
  detail?: string;
  /** Azure AD tenant id, object id or B2C subject: pseudonymous ids an auditor can resolve in Azure AD. */
  tenantId?: string;
  objectId?: string;
  subject?: string;
  /** The EHR user signed in. */
  userId?: string;
  clientId?: string;
}

/**
 * The one place sign-in security events are written. There is no audit store yet: they go to the plugin's
 * logger as structured records, and the audit module will take them over here.
 */
export function recordSecurityEvent(logger: PluginLogger, event: SecurityEvent): void {
  const fields = { category: 'security', ...event, at: new Date().toISOString() };
  if (event.event === 'sign-in-refused') logger.warn('sign-in refused', fields);
  else logger.info('sign-in succeeded', fields);
}
