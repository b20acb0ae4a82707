import type { Knex } from 'knex';

/** The plugin's tables, by role; the physical name is `prefix + name` (DESIGN §2). */
export const TABLES = [
  'clients', 'authorization_codes', 'grants', 'access_tokens', 'refresh_tokens', 'launch_contexts',
  'client_assertion_jtis', 'login_attempts', 'signing_keys', 'sessions', 'audit_events', 'first_access',
  'mu_activity',
] as const;

export type TableName = (typeof TABLES)[number];

/** Resolves logical table names to physical ones under a prefix and optional schema. */
export class TableNames {
  constructor(readonly prefix: string, readonly schema: string | undefined) {}

  name(table: TableName): string {
    return this.prefix + table;
  }

  /** The migrations tracking table (knex's format) lives beside the plugin tables. */
  get migrations(): string {
    return `${this.prefix}migrations`;
  }

  /** A query builder on a plugin table, schema-qualified when a schema is configured. */
  from(knex: Knex | Knex.Transaction, table: TableName): Knex.QueryBuilder {
    const builder = knex(this.name(table));
    return this.schema ? builder.withSchema(this.schema) : builder;
  }

  /** A schema builder scoped to the configured schema. */
  schemaBuilder(knex: Knex | Knex.Transaction): Knex.SchemaBuilder {
    return this.schema ? knex.schema.withSchema(this.schema) : knex.schema;
  }
}
