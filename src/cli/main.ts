import knexFactory, { type Knex } from 'knex';
import { parseArgs } from 'node:util';
import { InvalidRegistrationError, DuplicateClientError } from '../errors/invalid-registration-error.ts';
import { ClientsStore } from '../store/clients-store.ts';
import { migrateToLatest, migrationStatus } from '../store/migrate.ts';
import { mssqlInstallScript } from '../store/mssql-script.ts';
import { TableNames } from '../store/table-names.ts';
import { UsageError, type CliOutput } from './cli-output.ts';
import { clientsCommand } from './clients-command.ts';
import { keysCommand } from './keys-command.ts';
import { knexConfigFromUrl } from './database-url.ts';

const USAGE = `Usage: smart-ehr-plugin <command> [options]

Commands:
  migrate [--status]              apply pending plugin migrations (or list applied and pending)
  sql --dialect mssql             print the SQL Server install script for the plugin tables
  clients add --id ID [...]       register a client (a secret is printed once; only its hash is stored)
          --auth-method none|client_secret_basic|client_secret_post|private_key_jwt
          --redirect-uri URI (repeat)  --scope "a b c"  --grant-type TYPE (repeat)
          --launch-url URL  --jwks-file FILE  --jwks-uri URL  --service-user USER_ID
          --access-token-ttl SECONDS  --refresh-token-ttl SECONDS  --name NAME
  clients list [--json]
  clients remove --id ID
  keys list                       list token signing keys (active, retiring)
  keys rotate [--retire-after S]  a new key signs; old keys stay published S seconds (default 3600);
                                  needs SMART_PLUGIN_SECRET (the plugin's secret option)

Common options:
  --db URL       database (prefer the SMART_EHR_DB environment variable): sqlite:FILE,
                 postgres://user@host/db, mssql://user:password@host:1433/db
  --prefix P     plugin table prefix (default smart_)
  --schema S     schema of the plugin tables
`;

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[], out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      out.line(USAGE);
      return command ? 0 : 2;
    }
    const { common, remaining } = commonOptions(rest);
    const tables = new TableNames(common.prefix, common.schema);
    if (command === 'sql') return sqlCommand(remaining, tables, out);
    if (!['migrate', 'clients', 'keys'].includes(command)) throw new UsageError(`unknown command ${command}\n\n${USAGE}`);
    const dbUrl = common.db ?? env.SMART_EHR_DB;
    if (!dbUrl) throw new UsageError('no database: set SMART_EHR_DB or pass --db');
    const knex = knexFactory(knexConfigFromUrl(dbUrl));
    try {
      if (command === 'migrate') return await migrateCommand(remaining, knex, tables, out);
      if (command === 'keys') await keysCommand(remaining, knex, tables, out, env);
      else await clientsCommand(remaining, new ClientsStore(knex, tables), out);
      return 0;
    } finally {
      await knex.destroy();
    }
  } catch (error) {
    return reportError(error, out);
  }
}

function commonOptions(args: string[]) {
  const { values, tokens } = parseArgs({
    args, strict: false, tokens: true,
    options: { db: { type: 'string' }, prefix: { type: 'string' }, schema: { type: 'string' } },
  });
  const taken = new Set<number>();
  for (const token of tokens ?? []) {
    if (token.kind === 'option' && ['db', 'prefix', 'schema'].includes(token.name)) {
      taken.add(token.index);
      if (token.value !== undefined && !token.inlineValue) taken.add(token.index + 1);
    }
  }
  const prefix = typeof values.prefix === 'string' ? values.prefix : 'smart_';
  if (!/^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(prefix)) throw new UsageError('--prefix must be an SQL identifier of at most 20 characters');
  const schema = typeof values.schema === 'string' ? values.schema : undefined;
  if (schema !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(schema)) throw new UsageError('--schema must be an SQL identifier');
  return {
    common: { db: typeof values.db === 'string' ? values.db : undefined, prefix, schema },
    remaining: args.filter((_, i) => !taken.has(i)),
  };
}

function sqlCommand(args: string[], tables: TableNames, out: CliOutput): number {
  const { values } = parseArgs({ args, strict: true, options: { dialect: { type: 'string' } } });
  if (values.dialect !== 'mssql') throw new UsageError('sql needs --dialect mssql (the only dialect whose script is needed; the others migrate at start)');
  out.line(mssqlInstallScript({ tablePrefix: tables.prefix, schema: tables.schema }).trimEnd());
  return 0;
}

async function migrateCommand(args: string[], knex: Knex, tables: TableNames, out: CliOutput): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { status: { type: 'boolean', default: false } } });
  if (values.status) {
    const { applied, pending } = await migrationStatus(knex, tables);
    out.line(`Applied: ${applied.length ? applied.join(', ') : 'none'}`);
    out.line(`Pending: ${pending.length ? pending.join(', ') : 'none'}`);
    return 0;
  }
  const applied = await migrateToLatest(knex, tables);
  out.line(applied.length ? `Applied ${applied.join(', ')}.` : 'Already up to date.');
  return 0;
}

function reportError(error: unknown, out: CliOutput): number {
  if (error instanceof UsageError) {
    out.error(`smart-ehr-plugin: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof InvalidRegistrationError || error instanceof DuplicateClientError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    out.error(`smart-ehr-plugin: ${(error as Error).message}`);
    return 2;
  }
  // Database and other failures: the message only (no stack, and never the connection URL).
  out.error(`smart-ehr-plugin: failed: ${(error as Error).message ?? String(error)}`);
  return 1;
}
