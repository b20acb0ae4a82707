import type { Knex } from 'knex';
import { hashPassword } from '../auth/password-hash.ts';
import { demoStaffIdentities } from './demo-identities.ts';
import { insertRow, insertRows } from './insert-row.ts';

/** Password of every demo staff account. Demo only: never seed real systems with it. */
export const demoPassword = 'demo-password';

/** The permission names the EHR grants; the plugin maps FHIR resource types onto them (DESIGN §5). */
export const demoPermissions = {
  'View Charts': 'Open the clinical chart: problems, medications, results, notes.',
  'Registration': 'View patient demographics and registration.',
  'Edit Registration': 'Change patient demographics and registration.',
  'Schedule': 'View appointments, schedules and slots.',
  'Edit Schedule': 'Book, move and cancel appointments.',
  'Sensitive Charts': 'Open charts marked sensitive. There is no break-glass.',
  'System Configuration': 'Administer the EHR, and read its audit log.',
  'View System Settings': 'View practice settings such as locations.',
} as const;

export type PermissionName = keyof typeof demoPermissions;

export const demoRoles: Record<string, PermissionName[]> = {
  'Provider': ['View Charts', 'Registration', 'Schedule', 'Edit Schedule'],
  'Front Desk': ['Registration', 'Edit Registration', 'Schedule', 'Edit Schedule'],
  'Administrator': ['System Configuration', 'View System Settings'],
  // Service applications sign in with the password grant as a user holding this role.
  'API Server User': ['View Charts', 'Registration', 'Schedule'],
  // What patients and their representatives may do: read only, no sensitive charts or documents.
  'Patient': ['View Charts', 'Registration', 'Schedule'],
};

export type ProviderKey = 'chen' | 'okafor' | 'natarajan';

/** Ids of the directory rows that the chart data refers to. */
export interface DirectoryIds {
  organizationId: number;
  locations: { main: number; pediatrics: number };
  providers: Record<ProviderKey, number>;
  documentTypes: { progressNote: number; behavioralHealth: number; geneticCounseling: number };
}

interface StaffUser {
  login: string;
  displayName: string;
  roles: string[];
  active?: boolean;
  provider?: ProviderKey;
  email?: string;
  aad?: { tenantId: string; objectId: string };
  grant?: PermissionName[];
  revoke?: PermissionName[];
  documentTypes?: Array<'behavioralHealth'>;
}

const { alice, bob } = demoStaffIdentities;

/** The demo staff. Everyone signs in with `demoPassword`; `retired` is inactive and must be refused. */
export const demoStaff: StaffUser[] = [
  { login: 'provider', displayName: 'Dr. Alice Chen', roles: ['Provider'], provider: 'chen', email: alice.email, aad: alice },
  { login: 'frontdesk', displayName: 'Fiona Grant', roles: ['Front Desk'], email: 'fiona.grant@ehr.example' },
  { login: 'admin', displayName: 'Bob Martin', roles: ['Administrator'], email: bob.email, aad: bob },
  {
    login: 'sensitive-provider', displayName: 'Dr. Daniel Okafor', roles: ['Provider'], provider: 'okafor',
    email: 'daniel.okafor@ehr.example', grant: ['Sensitive Charts'], documentTypes: ['behavioralHealth'],
  },
  { login: 'svc-portal', displayName: 'Patient Portal Service', roles: ['API Server User'] },
  // A service that only books appointments: its chart access is revoked for this user alone.
  { login: 'svc-scheduling', displayName: 'Scheduling Service', roles: ['API Server User'], revoke: ['View Charts'] },
  { login: 'retired', displayName: 'Rosa Whitfield', roles: ['Front Desk'], active: false },
];

/** Seeds the organisation, locations, practitioners, access control and staff users. */
export async function seedDirectory(trx: Knex, passwordHashes: Map<string, string>): Promise<DirectoryIds> {
  const practice = await seedPractice(trx);
  const access = await seedAccessControl(trx);
  for (const staff of demoStaff) await seedStaffUser(trx, staff, passwordHashes, practice.providers, access);
  return { ...practice, documentTypes: access.documentTypes };
}

async function seedPractice(trx: Knex): Promise<Omit<DirectoryIds, 'documentTypes'>> {
  const organizationId = await insertRow(trx, 'ehr_organization', {
    name: 'Riverside Family Health', npi: '1543210987', phone: '(217) 555-0100',
    address_line: '100 River Road', city: 'Springfield', state: 'IL', postal_code: '62701', is_active: true,
  });
  const location = (name: string) => insertRow(trx, 'ehr_locations', {
    organization_id: organizationId, name, status: 'active', type_code: 'OF', type_display: 'Outpatient facility',
    phone: '(217) 555-0100', address_line: '100 River Road', city: 'Springfield', state: 'IL', postal_code: '62701',
  });
  const locations = { main: await location('Riverside Main Clinic'), pediatrics: await location('Riverside Pediatrics') };
  // NPIs are fictional but carry a valid check digit, as real validators require.
  const provider = (npi: string, given: string, family: string, code: string, display: string) =>
    insertRow(trx, 'ehr_providers', {
      organization_id: organizationId, npi, prefix: 'Dr.', given_name: given, family_name: family,
      specialty_code: code, specialty_display: display, phone: '(217) 555-0110',
      email: `${given}.${family}@ehr.example`.toLowerCase(), is_active: true,
    });
  const providers = {
    chen: await provider('1234567893', 'Alice', 'Chen', '207Q00000X', 'Family Medicine'),
    okafor: await provider('1987654328', 'Daniel', 'Okafor', '2084P0800X', 'Psychiatry'),
    natarajan: await provider('1765432103', 'Priya', 'Natarajan', '208000000X', 'Pediatrics'),
  };
  return { organizationId, locations, providers };
}

interface AccessControlIds {
  permissions: Map<string, number>;
  roles: Map<string, number>;
  documentTypes: DirectoryIds['documentTypes'];
}

async function seedAccessControl(trx: Knex): Promise<AccessControlIds> {
  const permissions = new Map<string, number>();
  for (const [name, description] of Object.entries(demoPermissions)) {
    permissions.set(name, await insertRow(trx, 'ehr_permissions', { name, description }));
  }
  const roles = new Map<string, number>();
  for (const [name, granted] of Object.entries(demoRoles)) {
    const roleId = await insertRow(trx, 'ehr_roles', { name, description: `${name} role` });
    roles.set(name, roleId);
    await insertRows(trx, 'ehr_role_permissions', granted.map((p) => ({ role_id: roleId, permission_id: permissions.get(p) })));
  }
  const documentType = (code: string, name: string, loinc: [string, string], confidential: boolean) =>
    insertRow(trx, 'ehr_document_types', {
      code, name, loinc_code: loinc[0], loinc_display: loinc[1], is_confidential: confidential,
    });
  const documentTypes = {
    progressNote: await documentType('PROG', 'Progress Note', ['11506-3', 'Progress note'], false),
    behavioralHealth: await documentType('BH', 'Behavioral Health', ['11506-3', 'Progress note'], true),
    geneticCounseling: await documentType('GEN', 'Genetic Counseling', ['11488-4', 'Consult note'], true),
  };
  // Confidential by type, but every Provider may read genetic counseling notes: a role-level grant.
  await insertRows(trx, 'ehr_role_document_types', [
    { role_id: roles.get('Provider'), document_type_id: documentTypes.geneticCounseling },
  ]);
  return { permissions, roles, documentTypes };
}

async function seedStaffUser(
  trx: Knex, staff: StaffUser, passwordHashes: Map<string, string>,
  providers: DirectoryIds['providers'], access: AccessControlIds,
): Promise<void> {
  const userId = await insertRow(trx, 'ehr_users', {
    login_name: staff.login, display_name: staff.displayName, password_hash: passwordHashes.get(staff.login) ?? null,
    is_active: staff.active ?? true, email: staff.email ?? null, aad_tenant_id: staff.aad?.tenantId ?? null,
    aad_object_id: staff.aad?.objectId ?? null, provider_id: staff.provider ? providers[staff.provider] : null,
  });
  await insertRows(trx, 'ehr_user_roles', staff.roles.map((role) => ({ user_id: userId, role_id: access.roles.get(role) })));
  const override = (effect: 'grant' | 'revoke') => (permission: PermissionName) =>
    ({ user_id: userId, permission_id: access.permissions.get(permission), effect });
  await insertRows(trx, 'ehr_user_permission_overrides', [
    ...(staff.grant ?? []).map(override('grant')),
    ...(staff.revoke ?? []).map(override('revoke')),
  ]);
  await insertRows(trx, 'ehr_user_document_types', (staff.documentTypes ?? []).map((type) => ({
    user_id: userId, document_type_id: access.documentTypes[type],
  })));
}

/** Hashes the demo password once per staff user (each with its own salt), outside any transaction. */
export async function hashDemoPasswords(): Promise<Map<string, string>> {
  const hashes = await Promise.all(demoStaff.map(async (staff) => [staff.login, await hashPassword(demoPassword)] as const));
  return new Map(hashes);
}
