import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import knexFactory, { type Knex } from 'knex';
import { knexConfigFromUrl } from '../../src/cli/database-url.ts';
import { createSmartPlugin, mssqlInstallScript } from '../../src/index.ts';
import { migrationStatus } from '../../src/store/migrate.ts';
import { TABLES, TableNames } from '../../src/store/table-names.ts';

const url = process.env.MSSQL_URL;
const skip = url ? false : 'MSSQL_URL is not set: the live SQL Server suite did not run (set MSSQL_URL=mssql://user:password@host:1433/db to run it)';

/** Runs a generated script the way sqlcmd would: batch by batch, split on GO lines. */
async function runScript(knex: Knex, script: string): Promise<void> {
  for (const batch of script.split(/^GO$/m).map((b) => b.trim()).filter(Boolean)) await knex.raw(batch);
}

describe('live SQL Server', () => {
  if (skip) {
    it('migration and store tests against a real SQL Server', { skip }, () => {});
    return;
  }
  let knex: Knex;
  const schema = `t_${randomBytes(4).toString('hex')}`;
  before(() => {
    knex = knexFactory(knexConfigFromUrl(url as string));
  });
  after(async () => {
    for (const table of [...TABLES, 'migrations', 'migrations_lock']) await knex.raw(`drop table if exists [${schema}].[smart_${table}]`);
    await knex.raw(`drop schema if exists [${schema}]`);
    await knex.destroy();
  });

  it('runs the committed install script twice, and the plugin then finds nothing pending', async () => {
    const script = mssqlInstallScript({ tablePrefix: 'smart_', schema });
    await runScript(knex, script);
    await runScript(knex, script);
    assert.deepEqual(await migrationStatus(knex, new TableNames('smart_', schema)), { applied: ['001_initial_tables'], pending: [] });
  });

  it('registers, reads and removes clients through the plugin', async () => {
    const plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex, publicUrl: 'https://ehr.example.org/smart', database: { schema, migrate: true } });
    const { clientSecret } = await plugin.clients.register({ clientId: 'live', authMethod: 'client_secret_basic', scopes: ['user/*.rs'], grantTypes: ['password'] });
    assert.equal(await plugin.clients.verifySecret('live', clientSecret as string), true);
    await assert.rejects(plugin.clients.register({ clientId: 'live', authMethod: 'client_secret_basic', scopes: [], grantTypes: ['password'] }), { name: 'DuplicateClientError' });
    assert.equal((await plugin.clients.get('live'))?.disabled, false);
    assert.equal(await plugin.clients.remove('live'), true);
  });
});
