import type { Knex } from 'knex';
import type { TableNames } from '../table-names.ts';

/**
 * The plugin's first tables (DESIGN §2). Secrets are stored only as SHA-256 hex digests (`*_hash`);
 * timestamps are knex timestamps (datetime2 on SQL Server), read back through `store/row-values.ts`.
 * Forward-only: a later change adds a new migration, never edits this one.
 */
export function initialTables(schema: Knex.SchemaBuilder, tables: TableNames): Knex.SchemaBuilder {
  return schema
    .createTable(tables.name('clients'), (t) => {
      t.string('client_id', 128).notNullable().primary();
      t.string('name', 200).notNullable();
      t.string('auth_method', 32).notNullable();
      t.string('secret_hash', 64);
      t.text('redirect_uris').notNullable();
      t.text('scopes').notNullable();
      t.text('grant_types').notNullable();
      t.string('launch_url', 2000);
      t.text('jwks');
      t.string('jwks_uri', 2000);
      t.string('service_user_id', 128);
      t.integer('access_token_ttl');
      t.integer('refresh_token_ttl');
      t.boolean('disabled').notNullable().defaultTo(false);
      t.timestamp('created_at').notNullable();
      t.timestamp('updated_at').notNullable();
    })
    .createTable(tables.name('grants'), (t) => {
      t.string('grant_id', 64).notNullable().primary();
      t.string('client_id', 128).notNullable();
      t.string('subject_type', 16).notNullable();
      t.string('subject_id', 255).notNullable();
      t.string('patient_id', 128);
      t.text('scope').notNullable();
      t.timestamp('created_at').notNullable();
      t.timestamp('updated_at').notNullable();
      t.timestamp('revoked_at');
      t.string('revoked_reason', 64);
      t.index(['subject_type', 'subject_id', 'client_id'], `${tables.prefix}grants_subject_idx`);
    })
    .createTable(tables.name('authorization_codes'), (t) => {
      t.string('code_hash', 64).notNullable().primary();
      t.string('client_id', 128).notNullable();
      t.string('grant_id', 64).notNullable();
      t.string('redirect_uri', 2000).notNullable();
      t.text('scope').notNullable();
      t.string('code_challenge', 128).notNullable();
      t.text('context').notNullable();
      t.timestamp('expires_at').notNullable();
      t.timestamp('used_at');
      // Set by a replay, so a first exchange still running when it came revokes what it issued.
      t.timestamp('replayed_at');
      t.timestamp('created_at').notNullable();
    })
    .createTable(tables.name('access_tokens'), (t) => {
      t.string('token_id', 64).notNullable().primary();
      t.string('grant_id', 64);
      t.string('family_id', 64);
      t.string('client_id', 128).notNullable();
      t.string('subject_id', 255);
      t.string('patient_id', 128);
      t.text('scope').notNullable();
      t.timestamp('issued_at').notNullable();
      t.timestamp('expires_at').notNullable();
      t.timestamp('revoked_at');
      t.index(['grant_id'], `${tables.prefix}access_tokens_grant_idx`);
      t.index(['family_id'], `${tables.prefix}access_tokens_family_idx`);
      t.index(['expires_at'], `${tables.prefix}access_tokens_expires_idx`);
    })
    .createTable(tables.name('refresh_tokens'), (t) => {
      t.string('token_hash', 64).notNullable().primary();
      t.string('family_id', 64).notNullable();
      t.string('grant_id', 64).notNullable();
      t.string('client_id', 128).notNullable();
      t.text('scope').notNullable();
      t.text('context').notNullable();
      t.timestamp('issued_at').notNullable();
      t.timestamp('expires_at');
      t.timestamp('rotated_at');
      t.timestamp('revoked_at');
      t.index(['family_id'], `${tables.prefix}refresh_tokens_family_idx`);
      t.index(['grant_id'], `${tables.prefix}refresh_tokens_grant_idx`);
    })
    .createTable(tables.name('launch_contexts'), (t) => {
      t.string('launch_hash', 64).notNullable().primary();
      t.string('user_id', 128).notNullable();
      t.string('client_id', 128);
      t.string('patient_id', 128);
      t.string('encounter_id', 128);
      t.text('context');
      t.timestamp('created_at').notNullable();
      t.timestamp('expires_at').notNullable();
      t.timestamp('used_at');
    })
    .createTable(tables.name('client_assertion_jtis'), (t) => {
      t.string('client_id', 128).notNullable();
      t.string('jti', 255).notNullable();
      t.timestamp('expires_at').notNullable();
      t.primary(['client_id', 'jti']);
      t.index(['expires_at'], `${tables.prefix}client_assertion_jtis_expires_idx`);
    })
    .createTable(tables.name('login_attempts'), (t) => {
      t.string('attempt_key', 300).notNullable().primary();
      t.integer('failures').notNullable();
      t.timestamp('window_started_at').notNullable();
      t.timestamp('locked_until');
      t.timestamp('updated_at').notNullable();
    })
    .createTable(tables.name('signing_keys'), (t) => {
      t.string('kid', 64).notNullable().primary();
      t.string('alg', 16).notNullable();
      t.text('public_jwk').notNullable();
      t.text('private_key').notNullable();
      t.string('private_key_protection', 32).notNullable();
      t.string('status', 16).notNullable();
      t.timestamp('created_at').notNullable();
      t.timestamp('retire_after');
    })
    .createTable(tables.name('sessions'), (t) => {
      t.string('session_id', 128).notNullable().primary();
      t.text('data').notNullable();
      t.timestamp('expires_at').notNullable();
      t.index(['expires_at'], `${tables.prefix}sessions_expires_idx`);
    })
    .createTable(tables.name('audit_events'), (t) => {
      t.bigIncrements('sequence');
      t.timestamp('recorded_at').notNullable();
      t.string('event_type', 64).notNullable();
      t.string('subtype', 64);
      t.string('action', 4).notNullable();
      t.string('outcome', 8).notNullable();
      t.string('user_id', 128);
      t.string('client_id', 128);
      t.string('source_address', 64);
      t.string('patient_id', 128);
      t.string('resource_type', 64);
      t.text('resource_ids');
      t.string('token_id', 64);
      t.text('detail');
      t.string('previous_hash', 64).notNullable();
      t.string('hash', 64).notNullable();
      t.index(['recorded_at'], `${tables.prefix}audit_events_recorded_idx`);
      t.index(['patient_id', 'recorded_at'], `${tables.prefix}audit_events_patient_idx`);
    })
    .createTable(tables.name('first_access'), (t) => {
      t.string('token_id', 64).notNullable();
      t.string('patient_id', 128).notNullable();
      t.string('resource_type', 64).notNullable();
      t.timestamp('expires_at').notNullable();
      t.primary(['token_id', 'patient_id', 'resource_type']);
      t.index(['expires_at'], `${tables.prefix}first_access_expires_idx`);
    })
    .createTable(tables.name('mu_activity'), (t) => {
      t.bigIncrements('activity_id');
      t.timestamp('occurred_at').notNullable();
      t.string('patient_id', 128).notNullable();
      t.string('accessor_identity', 255).notNullable();
      t.string('relationship', 32).notNullable();
      t.string('client_id', 128).notNullable();
      t.string('resource_type', 64).notNullable();
      t.index(['occurred_at', 'patient_id'], `${tables.prefix}mu_activity_period_idx`);
    });
}
