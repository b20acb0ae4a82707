import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { readDate, readOptionalString } from './row-values.ts';
import type { TableNames } from './table-names.ts';

/** Who approved: an EHR user (staff, service user) or a patient-portal identity (B2C). */
export type SubjectType = 'user' | 'portal';

/** A user's approval of a client (DESIGN §4): the scopes granted, and for whose chart. */
export interface Grant {
  grantId: string;
  clientId: string;
  subjectType: SubjectType;
  subjectId: string;
  patientId: string | null;
  scope: string[];
  createdAt: Date;
  updatedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** The `grants` table: stored approvals, listed and revoked by users and administrators. */
export class GrantsStore {
  /** Counts revocations made through this instance, so caches of verified tokens know to look again at once. */
  revocations = 0;

  constructor(private readonly knex: Knex, private readonly tables: TableNames) {}

  async create(input: { clientId: string; subjectType: SubjectType; subjectId: string; patientId: string | null; scope: string[] }): Promise<Grant> {
    const now = new Date();
    const grantId = randomBytes(16).toString('base64url');
    await this.tables.from(this.knex, 'grants').insert({
      grant_id: grantId, client_id: input.clientId, subject_type: input.subjectType, subject_id: input.subjectId,
      patient_id: input.patientId, scope: input.scope.join(' '), created_at: now, updated_at: now,
    });
    return (await this.get(grantId)) as Grant;
  }

  async get(grantId: string): Promise<Grant | undefined> {
    const row = await this.tables.from(this.knex, 'grants').where({ grant_id: grantId }).first();
    return row ? toGrant(row) : undefined;
  }

  /** Active grants of a subject, optionally for one client, newest first. */
  async listActive(subjectType: SubjectType, subjectId: string, clientId?: string): Promise<Grant[]> {
    const query = this.tables.from(this.knex, 'grants')
      .where({ subject_type: subjectType, subject_id: subjectId }).whereNull('revoked_at');
    if (clientId) query.andWhere({ client_id: clientId });
    const rows = await query.orderBy('updated_at', 'desc').orderBy('grant_id');
    return rows.map(toGrant);
  }

  async widen(grantId: string, scope: string[]): Promise<void> {
    await this.setScope(grantId, scope);
  }

  /** Replaces the approved scopes (a later consent may both add and withdraw). */
  async setScope(grantId: string, scope: string[]): Promise<void> {
    await this.tables.from(this.knex, 'grants').where({ grant_id: grantId }).update({ scope: scope.join(' '), updated_at: new Date() });
  }

  /** Marks a grant revoked; true when it was active. Tokens are revoked by the caller in the same transaction. */
  async revoke(grantId: string, reason: string, trx: Knex | Knex.Transaction = this.knex): Promise<boolean> {
    this.revocations += 1;
    const changed = await this.tables.from(trx, 'grants').where({ grant_id: grantId }).whereNull('revoked_at')
      .update({ revoked_at: new Date(), revoked_reason: reason, updated_at: new Date() });
    return Number(changed) > 0;
  }
}

function toGrant(row: Record<string, unknown>): Grant {
  return {
    grantId: String(row.grant_id),
    clientId: String(row.client_id),
    subjectType: row.subject_type as SubjectType,
    subjectId: String(row.subject_id),
    patientId: readOptionalString(row.patient_id),
    scope: String(row.scope).split(' ').filter(Boolean),
    createdAt: readDate(row.created_at) as Date,
    updatedAt: readDate(row.updated_at) as Date,
    revokedAt: readDate(row.revoked_at),
    revokedReason: readOptionalString(row.revoked_reason),
  };
}
