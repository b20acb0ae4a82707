import type { Knex } from 'knex';

/**
 * Turns a database URL into a knex configuration:
 *   sqlite:path/to/file.sqlite        (better-sqlite3; relative to the working directory)
 *   postgres://user@host:5432/db      (pg)
 *   mssql://user:password@host:1433/db?encrypt=true&trustServerCertificate=false   (tedious)
 * Prefer passing it in the SMART_EHR_DB environment variable: a password on the command line is visible to
 * every user of the machine.
 */
export function knexConfigFromUrl(text: string): Knex.Config {
  if (text.startsWith('sqlite:')) {
    const filename = decodeURIComponent(text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
    if (!filename) throw new Error('a sqlite: URL needs a file name, e.g. sqlite:data/ehr.sqlite');
    return { client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('the database URL is not a URL (expected sqlite:, postgres:// or mssql://)');
  }
  if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return { client: 'pg', connection: text };
  if (url.protocol === 'mssql:' || url.protocol === 'sqlserver:') return { client: 'mssql', connection: mssqlConnection(url) };
  throw new Error(`unsupported database URL scheme ${url.protocol} (expected sqlite:, postgres:// or mssql://)`);
}

function mssqlConnection(url: URL): Knex.MsSqlConnectionConfig {
  const flag = (name: string, fallback: boolean): boolean => {
    const value = url.searchParams.get(name);
    return value === null ? fallback : value === 'true' || value === '1';
  };
  return {
    server: url.hostname,
    port: url.port ? Number(url.port) : 1433,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'master',
    options: {
      encrypt: flag('encrypt', true),
      trustServerCertificate: flag('trustServerCertificate', false),
    },
  } as Knex.MsSqlConnectionConfig;
}
