/**
 * Fixed Azure AD identities of the demo, shared by the seed data, the local stand-in identity provider
 * and the tests. Tenant and object ids are GUIDs invented for the demo; no real tenant uses them.
 */

/** Azure AD B2B tenants whose staff may sign in (the provider organisation and a partner). */
export const demoTenants = {
  contoso: { tenantId: '6f1c2a9e-4b7d-4e3a-9c51-2d8e0f7a1b34', domain: 'contoso.example' },
  fabrikam: { tenantId: 'fab51ca7-0000-4000-8000-0000000fab00', domain: 'fabrikam.example' },
} as const;

/** The Azure AD B2C tenant of patients and representatives, and its policies (user flow and custom policy). */
export const demoB2cTenant = {
  tenantId: '0b2c0000-0000-4000-8000-000000000b2c',
  name: 'riversidepatients',
  policies: ['B2C_1_signin', 'B2C_1A_signin'],
} as const;

/** The demo app registrations (client id and secret) the stand-in identity provider knows, per tenant. */
export const demoAzureApps = {
  contoso: { clientId: 'c0de0000-0000-4000-8000-0000000c0de1', clientSecret: 'contoso-demo-client-secret' },
  fabrikam: { clientId: 'c0de0000-0000-4000-8000-0000000c0de2', clientSecret: 'fabrikam-demo-client-secret' },
  b2c: { clientId: 'c0de0000-0000-4000-8000-0000000c0de3', clientSecret: 'b2c-demo-client-secret' },
} as const;

/** A B2B staff identity: matched to an EHR user by tenant id + object id, never by email. */
export interface DemoStaffIdentity {
  email: string;
  tenantId: string;
  objectId: string;
  /** EHR login name the identity is linked to, or null for an identity the EHR does not know. */
  linkedLogin: string | null;
}

export const demoStaffIdentities = {
  alice: {
    email: 'alice@contoso.example',
    tenantId: demoTenants.contoso.tenantId,
    objectId: 'a11ce000-0000-4000-8000-00000000a11c',
    linkedLogin: 'provider',
  },
  bob: {
    email: 'bob@fabrikam.example',
    tenantId: demoTenants.fabrikam.tenantId,
    objectId: 'b0b00000-0000-4000-8000-000000000b0b',
    linkedLogin: 'admin',
  },
  // Signs in successfully at Azure AD but is linked to no EHR user: the plugin must refuse her.
  mallory: {
    email: 'mallory@contoso.example',
    tenantId: demoTenants.contoso.tenantId,
    objectId: '3a110000-0000-4000-8000-0000000a1109',
    linkedLogin: null,
  },
} as const satisfies Record<string, DemoStaffIdentity>;

/** An Azure AD B2C identity of a patient or representative; charts are linked by email. */
export interface DemoPortalIdentity {
  email: string;
  /** B2C subject (`sub`/`oid`), fixed so that the stand-in identity provider issues stable tokens. */
  subject: string;
  /** Charts the identity may open, by patient MRN, with the relationship to the patient. */
  charts: ReadonlyArray<{ mrn: string; relationship: string }>;
}

export const demoPortalIdentities = {
  maria: {
    email: 'maria@example.com',
    subject: 'c0ffee00-0000-4000-8000-00000000a001',
    charts: [
      { mrn: 'MRN-1002', relationship: 'self' },
      { mrn: 'MRN-1003', relationship: 'child' },
      { mrn: 'MRN-1004', relationship: 'child' },
    ],
  },
  pat: {
    email: 'pat@example.com',
    subject: 'c0ffee00-0000-4000-8000-00000000a002',
    charts: [{ mrn: 'MRN-1001', relationship: 'self' }],
  },
  sam: {
    email: 'sam@example.com',
    subject: 'c0ffee00-0000-4000-8000-00000000a003',
    charts: [{ mrn: 'MRN-1005', relationship: 'self' }],
  },
  // Signs in at B2C but has no linked chart: the plugin must refuse her.
  nobody: {
    email: 'nobody@example.com',
    subject: 'c0ffee00-0000-4000-8000-00000000a0ff',
    charts: [],
  },
} as const satisfies Record<string, DemoPortalIdentity>;
