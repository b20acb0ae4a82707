import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { mssqlInstallScript } from '../../src/store/mssql-script.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

const committedPath = new URL('../../sql/mssql/plugin-tables.sql', import.meta.url);

describe('SQL Server install script', () => {
  it('is committed exactly as the migrations generate it (run `npm run sql:mssql` after changing a migration)', () => {
    const committed = readFileSync(committedPath, 'utf8');
    assert.equal(committed, `${mssqlInstallScript({ tablePrefix: 'smart_' }).trimEnd()}\n`);
  });

  it('is what the CLI prints', () => {
    const printed = execFileSync(process.execPath, ['bin/smart-ehr-plugin.js', 'sql', '--dialect', 'mssql'], {
      cwd: new URL('../..', import.meta.url), encoding: 'utf8',
    });
    assert.equal(printed, readFileSync(committedPath, 'utf8'));
  });

  it('guards every migration so the script can be run again, and records it in knex\'s tracking table', () => {
    const script = mssqlInstallScript({ tablePrefix: 'smart_' });
    for (const { name } of MIGRATIONS) {
      assert.ok(script.includes(`IF NOT EXISTS (SELECT 1 FROM [smart_migrations] WHERE [name] = N'${name}')`), name);
      assert.ok(script.includes(`SELECT N'${name}', COALESCE(MAX([batch]), 0) + 1, SYSUTCDATETIME() FROM [smart_migrations];`), name);
    }
    assert.match(script, /CREATE TABLE \[smart_clients\] \(\[client_id\] nvarchar\(128\) not null, /);
  });

  it('honours a prefix and a schema', () => {
    const script = mssqlInstallScript({ tablePrefix: 'ehrapi_', schema: 'smart' });
    assert.match(script, /IF SCHEMA_ID\(N'smart'\) IS NULL EXEC\(N'CREATE SCHEMA \[smart\]'\);/);
    assert.match(script, /CREATE TABLE \[smart\]\.\[ehrapi_clients\] /);
    assert.match(script, /IF NOT EXISTS \(SELECT 1 FROM \[smart\]\.\[ehrapi_migrations\] WHERE \[name\] = N'001_initial_tables'\)/);
    assert.doesNotMatch(script, /\[smart_clients\]/);
  });

  it('keeps every index key within SQL Server\'s 900-byte limit (no nvarchar(max) keys)', () => {
    const script = mssqlInstallScript({ tablePrefix: 'smart_' });
    let checked = 0;
    for (const table of script.matchAll(/CREATE TABLE \S+ \((.*)\);$/gm)) {
      const columns = new Map([...(table[1] as string).matchAll(/\[(\w+)\] (nvarchar\((\d+|max)\)|\w+)/g)].map((m) => [m[1], m[3]]));
      const keys = [...(table[1] as string).matchAll(/PRIMARY KEY \(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(', ').map((k) => k.slice(1, -1)));
      const bytes = keys.reduce((sum, k) => sum + (columns.get(k) === undefined ? 8 : Number(columns.get(k)) * 2), 0);
      assert.ok(!keys.some((k) => columns.get(k) === 'max'), `nvarchar(max) key in ${table[0].slice(0, 60)}`);
      assert.ok(bytes <= 900, `key of ${bytes} bytes in ${table[0].slice(0, 60)}`);
      if (keys.length > 0) checked += 1;
    }
    assert.equal(checked, 11, 'tables with a composite or string primary key');
  });
});
