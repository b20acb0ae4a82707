/**
 * Child process: the plugin mounted at /smart in a bare Express app, on the sample EHR's SQLite database
 * with the demo clients, listening on 127.0.0.1. BENCH_DB=file puts the database in a temporary file
 * (default: in memory). Tells its parent where it listens, and exits when the parent goes away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import knexFactory from 'knex';
import { createSmartPlugin } from '../../src/index.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { CODE_SECONDS, type ServerReady } from './bench-clients.ts';

const dir = process.env.BENCH_DB === 'file' ? mkdtempSync(join(tmpdir(), 'smart-token-bench-')) : undefined;
const knex = knexFactory({
  client: 'better-sqlite3', connection: { filename: dir ? join(dir, 'bench.sqlite') : ':memory:' }, useNullAsDefault: true,
});
const app = express();
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
server.keepAliveTimeout = 30_000;
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

await prepareHostDatabase(knex);
const plugin = await createSmartPlugin({
  secret: 'bench-secret-0123456789-0123456789-abcdef', knex, publicUrl: `${origin}/smart`, development: true,
  database: { migrate: true }, tokens: { codeSeconds: CODE_SECONDS },
});
await seedDemoClients(plugin, { origin, knex });
app.use('/smart', plugin.router);

let closing = false;
const shutDown = async () => {
  if (closing) return;
  closing = true;
  server.closeAllConnections();
  server.close();
  await plugin.close();
  await knex.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.once('disconnect', () => void shutDown());
process.once('SIGTERM', () => void shutDown());

const ready: ServerReady = {
  ready: true, origin, tokenPath: '/smart/auth/token', authorizePath: '/smart/auth/authorize',
  fhirBaseUrl: plugin.urls.fhirBaseUrl, tokenEndpoint: `${plugin.urls.issuer}/token`,
};
process.send?.(ready);
