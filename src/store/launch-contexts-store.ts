import type { Knex } from 'knex';
import { readOptionalString } from './row-values.ts';
import { newSecret, secretDigest } from './secret-digest.ts';
import type { TableNames } from './table-names.ts';

/** The context an EHR launch carries (SMART App Launch 2.2, "EHR launch"): set by the host, never by the app. */
export interface LaunchContext {
  userId: string;
  clientId: string | null;
  patientId: string | null;
  encounterId: string | null;
}

/** Server-stored launch contexts behind opaque, short-lived, single-use launch ids. */
export class LaunchContextsStore {
  constructor(private readonly knex: Knex, private readonly tables: TableNames) {}

  async create(context: LaunchContext, lifetimeSeconds: number): Promise<{ launch: string; expiresAt: Date }> {
    const launch = newSecret(24);
    const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
    await this.tables.from(this.knex, 'launch_contexts').insert({
      launch_hash: secretDigest(launch), user_id: context.userId, client_id: context.clientId,
      patient_id: context.patientId, encounter_id: context.encounterId, context: null,
      created_at: new Date(), expires_at: expiresAt, used_at: null,
    });
    return { launch, expiresAt };
  }

  /** Reads a launch without using it up (to know whose it is before sign-in). */
  async peek(launch: string): Promise<LaunchContext | undefined> {
    const row = await this.tables.from(this.knex, 'launch_contexts').where({ launch_hash: secretDigest(launch) })
      .whereNull('used_at').where('expires_at', '>', new Date()).first();
    return row ? toContext(row) : undefined;
  }

  /** Uses a launch up, atomically; undefined when unknown, used, expired, or another user's or client's. */
  async consume(launch: string, userId: string, clientId: string): Promise<LaunchContext | undefined> {
    const hash = secretDigest(launch);
    const context = await this.peek(launch);
    if (!context || context.userId !== userId || (context.clientId && context.clientId !== clientId)) return undefined;
    const claimed = await this.tables.from(this.knex, 'launch_contexts').where({ launch_hash: hash }).whereNull('used_at')
      .update({ used_at: new Date() });
    return Number(claimed) === 1 ? context : undefined;
  }
}

function toContext(row: Record<string, unknown>): LaunchContext {
  return {
    userId: String(row.user_id),
    clientId: readOptionalString(row.client_id),
    patientId: readOptionalString(row.patient_id),
    encounterId: readOptionalString(row.encounter_id),
  };
}
