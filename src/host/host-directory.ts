/** A row of the `users` contract view (DESIGN §2), normalised. */
export interface HostUser {
  userId: string;
  loginName: string;
  displayName: string;
  /** The host's own password hash; only `verifyPassword` reads it. */
  passwordHash: string | null;
  isActive: boolean;
  email: string | null;
  aadTenantId: string | null;
  aadObjectId: string | null;
  /** FHIR reference of the user, e.g. `Practitioner/123`. */
  fhirUser: string | null;
}

/** A row of the `patients` contract view. */
export interface HostPatient {
  patientId: string;
  displayName: string;
  /** ISO date `YYYY-MM-DD`, or null when unknown. */
  birthDate: string | null;
  isSensitive: boolean;
}

/** A row of the `patient_links` contract view: an identity (B2C email or subject) that may open a chart. */
export interface PatientLink {
  identity: string;
  patientId: string;
  relationship: string;
}

/** Confidential document types visible to a user or a role. */
export interface DocumentTypeAccess {
  documentTypes: ReadonlySet<string>;
}

/**
 * The seam between the plugin and the host EHR (DESIGN §2). The default implementation reads the
 * host contract views; a host may replace any method in code through `options.hostDirectory`.
 */
export interface HostDirectory {
  findUserById(userId: string): Promise<HostUser | undefined>;
  /** Login names compare case-insensitively, as most EHR logins do. */
  findUserByLogin(loginName: string): Promise<HostUser | undefined>;
  /** Azure AD B2B staff are matched by tenant id + object id, never by email. */
  findUserByAzureObject(tenantId: string, objectId: string): Promise<HostUser | undefined>;
  /** Verifies a password against the host's own hash; the default understands `scrypt$…` and `pbkdf2-sha256$…`. */
  verifyPassword(user: HostUser, password: string): Promise<boolean>;
  /** Roles the user holds (e.g. "API Server User"). Cached for `permissionCacheTtlMs`. */
  getUserRoles(userId: string): Promise<ReadonlySet<string>>;
  /** Effective permissions: role permissions ∪ per-user grants − per-user revokes. Cached. */
  getUserPermissions(userId: string): Promise<ReadonlySet<string>>;
  /** Permissions of a role, e.g. the built-in "Patient" role. Cached. */
  getRolePermissions(role: string): Promise<ReadonlySet<string>>;
  /** Confidential document types a user may see. Cached. */
  getUserDocumentTypes(userId: string): Promise<ReadonlySet<string>>;
  /** Confidential document types a role may see. Cached. */
  getRoleDocumentTypes(role: string): Promise<ReadonlySet<string>>;
  getPatient(patientId: string): Promise<HostPatient | undefined>;
  /** Charts an identity may open (B2C email, compared case-insensitively). */
  findPatientLinks(identity: string): Promise<PatientLink[]>;
  /** Patients whose display name contains `name` (case-insensitive), for the provider's patient picker. */
  searchPatients(query: { name: string; limit: number }): Promise<HostPatient[]>;
  /** Drops cached permissions (of one user, or all) so a change shows at once. */
  invalidate(userId?: string): void;
}
