/**
 * Child process: the plugin mounted at /smart in a bare Express app, on the sample EHR's SQLite database
 * with the demo clients, listening on 127.0.0.1. BENCH_DB=file puts the database in a temporary file
 * (default: in memory). Tells its parent where it listens, and exits when the parent goes away.
 */
import express from 'express';
import { createSmartPlugin } from '../../src/index.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { listenOnLoopback, shutDownWithParent } from '../support/child-server.ts';
import { openBenchDatabase } from '../support/sample-database.ts';
import { CODE_SECONDS, type ServerReady } from './bench-clients.ts';

const database = openBenchDatabase('smart-token-bench-');
const { knex } = database;
const app = express();
const { server, origin } = await listenOnLoopback(app);

await prepareHostDatabase(knex);
const plugin = await createSmartPlugin({
  secret: 'bench-secret-0123456789-0123456789-abcdef', knex, publicUrl: `${origin}/smart`, development: true,
  database: { migrate: true }, tokens: { codeSeconds: CODE_SECONDS },
});
await seedDemoClients(plugin, { origin, knex });
app.use('/smart', plugin.router);

shutDownWithParent(server, async () => {
  await plugin.close();
  await database.close();
});

const ready: ServerReady = {
  ready: true, origin, tokenPath: '/smart/auth/token', authorizePath: '/smart/auth/authorize',
  fhirBaseUrl: plugin.urls.fhirBaseUrl, tokenEndpoint: `${plugin.urls.issuer}/token`,
};
process.send?.(ready);
