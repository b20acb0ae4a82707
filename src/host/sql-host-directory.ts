import type { Knex } from 'knex';
import type { HostContractViews } from '../config/options.ts';
import { readBoolean, readId, readOptionalString } from '../store/row-values.ts';
import type { HostDirectory, HostPatient, HostUser, PatientLink } from './host-directory.ts';
import { verifyPasswordHash } from './password-hash-formats.ts';
import { TtlCache } from './ttl-cache.ts';

export interface SqlHostDirectoryOptions {
  schema: string | undefined;
  views: HostContractViews;
  permissionCacheTtlMs: number;
}

/** HostDirectory over the host contract views (DESIGN §2); permission look-ups are cached per instance. */
export function createSqlHostDirectory(knex: Knex, options: SqlHostDirectoryOptions): HostDirectory {
  const view = (name: keyof HostContractViews): Knex.QueryBuilder => {
    const builder = knex(options.views[name]);
    return options.schema ? builder.withSchema(options.schema) : builder;
  };
  const sets = new TtlCache<ReadonlySet<string>>(options.permissionCacheTtlMs);
  const cachedSet = (key: string, query: () => Knex.QueryBuilder, column: string): Promise<ReadonlySet<string>> =>
    sets.get(key, async () => new Set((await orNothing(query(), [])).map((row: Record<string, unknown>) => String(row[column]))));

  return {
    async findUserById(userId) {
      return toUser(await orNothing(view('users').where('user_id', userId).first(), undefined));
    },
    async findUserByLogin(loginName) {
      const rows = await view('users').whereRaw('lower(??) = ?', ['login_name', loginName.toLowerCase()]).limit(2);
      // An ambiguous login (two rows differing only in case) signs nobody in.
      return rows.length === 1 ? toUser(rows[0]) : undefined;
    },
    async findUserByAzureObject(tenantId, objectId) {
      const rows = await view('users')
        .whereRaw('lower(??) = ?', ['aad_tenant_id', tenantId.toLowerCase()])
        .andWhereRaw('lower(??) = ?', ['aad_object_id', objectId.toLowerCase()])
        .limit(2);
      return rows.length === 1 ? toUser(rows[0]) : undefined;
    },
    async verifyPassword(user, password) {
      return verifyPasswordHash(password, user.passwordHash);
    },
    getUserRoles: (userId) => cachedSet(`roles:${userId}`, () => view('userRoles').where('user_id', userId).select('role'), 'role'),
    getUserPermissions: (userId) =>
      cachedSet(`user:${userId}`, () => view('userPermissions').where('user_id', userId).select('permission'), 'permission'),
    getRolePermissions: (role) =>
      cachedSet(`role:${role}`, () => view('rolePermissions').where('role', role).select('permission'), 'permission'),
    getUserDocumentTypes: (userId) =>
      cachedSet(`doc-user:${userId}`, () => view('documentTypeAccess').where('user_id', userId).select('document_type'), 'document_type'),
    getRoleDocumentTypes: (role) =>
      cachedSet(`doc-role:${role}`, () => view('documentTypeAccess').where('role', role).whereNull('user_id').select('document_type'), 'document_type'),
    async getPatient(patientId) {
      return toPatient(await orNothing(view('patients').where('patient_id', patientId).first(), undefined));
    },
    async findPatientLinks(identity) {
      const rows = await view('patientLinks').whereRaw('lower(??) = ?', ['identity', identity.toLowerCase()]).orderBy('patient_id');
      return rows.map((row: Record<string, unknown>): PatientLink => ({
        identity: String(row.identity), patientId: readId(row.patient_id), relationship: String(row.relationship),
      }));
    },
    async searchPatients({ name, limit }) {
      const pattern = `%${name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await view('patients').whereRaw("lower(??) like ? escape '\\'", ['display_name', pattern])
        .orderBy([{ column: 'display_name' }, { column: 'patient_id' }]).limit(limit);
      return rows.map((row: Record<string, unknown>) => toPatient(row) as HostPatient);
    },
    invalidate(userId) {
      if (userId === undefined) sets.clear();
      else {
        const keys = new Set([`roles:${userId}`, `user:${userId}`, `doc-user:${userId}`]);
        sets.delete((key) => keys.has(key));
      }
    },
  };
}

/**
 * An id that cannot even be compared with the host's id column (text against an integer column on
 * PostgreSQL or SQL Server) names nobody: "not found", not a database error.
 */
async function orNothing<T>(query: PromiseLike<T>, nothing: T): Promise<T> {
  try {
    return await query;
  } catch (error) {
    const e = error as { code?: unknown; number?: unknown };
    if (e.code === '22P02' || e.number === 245 || e.number === 8114) return nothing;
    throw error;
  }
}

function toUser(row: Record<string, unknown> | undefined): HostUser | undefined {
  if (!row) return undefined;
  return {
    userId: readId(row.user_id),
    loginName: String(row.login_name),
    displayName: String(row.display_name ?? row.login_name),
    passwordHash: readOptionalString(row.password_hash),
    isActive: readBoolean(row.is_active),
    email: readOptionalString(row.email),
    aadTenantId: readOptionalString(row.aad_tenant_id),
    aadObjectId: readOptionalString(row.aad_object_id),
    fhirUser: readOptionalString(row.fhir_user),
  };
}

function toPatient(row: Record<string, unknown> | undefined): HostPatient | undefined {
  if (!row) return undefined;
  return {
    patientId: readId(row.patient_id),
    displayName: String(row.display_name),
    birthDate: readBirthDate(row.birth_date),
    isSensitive: readBoolean(row.is_sensitive),
  };
}

/** Views may return a date column as a Date (SQL Server, PostgreSQL) or as text. */
function readBirthDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}
