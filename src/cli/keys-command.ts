import type { Knex } from 'knex';
import { parseArgs } from 'node:util';
import { deriveKey } from '../store/key-protection.ts';
import { readDate } from '../store/row-values.ts';
import { SigningKeyStore } from '../store/signing-keys.ts';
import type { TableNames } from '../store/table-names.ts';
import { UsageError, type CliOutput } from './cli-output.ts';

/**
 * `smart-ehr-plugin keys list|rotate`: the token signing keys. Rotation makes a new key sign at once; the
 * previous key stays published in jwks until the tokens it signed have expired (`--retire-after`, default
 * the one-hour access token lifetime). Rotating needs the plugin secret (SMART_PLUGIN_SECRET) to seal the new key.
 */
export async function keysCommand(args: string[], knex: Knex, tables: TableNames, out: CliOutput, env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = args;
  if (action === 'list') {
    const rows = await tables.from(knex, 'signing_keys').select('kid', 'alg', 'status', 'created_at', 'retire_after').orderBy('created_at', 'desc');
    if (rows.length === 0) return out.line('No signing keys yet (the first is made when the first token is signed).');
    out.line(['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRES'].join('\t'));
    for (const row of rows) {
      out.line([row.kid, row.alg, row.status, readDate(row.created_at)?.toISOString(), readDate(row.retire_after)?.toISOString() ?? ''].join('\t'));
    }
    return;
  }
  if (action === 'rotate') {
    const { values } = parseArgs({ args: rest, strict: true, options: { 'retire-after': { type: 'string', default: '3600' } } });
    const retireAfter = Number(values['retire-after']);
    if (!Number.isInteger(retireAfter) || retireAfter < 60) throw new UsageError('--retire-after must be whole seconds, at least 60');
    const secret = env.SMART_PLUGIN_SECRET;
    if (!secret || secret.length < 32) throw new UsageError('keys rotate needs the plugin secret in SMART_PLUGIN_SECRET (the same as the plugin\'s `secret` option)');
    const kid = await new SigningKeyStore(knex, tables, deriveKey(Buffer.from(secret, 'utf8'), 'signing-keys'), retireAfter).rotate();
    out.line(`New signing key ${kid} is active; previous keys stay published for ${retireAfter} seconds.`);
    return;
  }
  throw new UsageError('keys needs one of: list, rotate');
}
