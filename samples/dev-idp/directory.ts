import {
  demoAzureApps, demoB2cTenant, demoPortalIdentities, demoStaffIdentities, demoTenants,
} from '../host-ehr/database/demo-identities.ts';

/** A tenant of the stand-in: an organization (B2B) or the patients' B2C tenant. */
export interface DevTenant {
  key: 'contoso' | 'fabrikam' | 'b2c';
  tenantId: string;
  /** Other names the tenant answers to in URLs (its domain, `….onmicrosoft.com`). */
  aliases: string[];
  b2c: boolean;
  clientId: string;
  clientSecret: string;
  identities: DevIdentity[];
}

export interface DevIdentity {
  email: string;
  /** `oid` (and `sub`) in the id_token. */
  objectId: string;
  name: string;
}

const staff = Object.values(demoStaffIdentities);
const nameOf = (email: string) => email.split('@')[0]!.replace(/^./, (c) => c.toUpperCase());

/** The seeded tenants and identities (samples/host-ehr/database/demo-identities.ts), each signed in with one click. */
export const devTenants: DevTenant[] = [
  ...(['contoso', 'fabrikam'] as const).map((key): DevTenant => ({
    key, tenantId: demoTenants[key].tenantId, aliases: [key, demoTenants[key].domain], b2c: false, ...demoAzureApps[key],
    identities: staff.filter((s) => s.tenantId === demoTenants[key].tenantId).map((s) => ({ email: s.email, objectId: s.objectId, name: nameOf(s.email) })),
  })),
  {
    key: 'b2c', tenantId: demoB2cTenant.tenantId, aliases: [demoB2cTenant.name, `${demoB2cTenant.name}.onmicrosoft.com`], b2c: true, ...demoAzureApps.b2c,
    identities: Object.values(demoPortalIdentities).map((p) => ({ email: p.email, objectId: p.subject, name: nameOf(p.email) })),
  },
];

export function findTenant(segment: string): DevTenant | undefined {
  const wanted = segment.toLowerCase();
  return devTenants.find((tenant) => tenant.tenantId === wanted || tenant.aliases.includes(wanted));
}
