import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { createSmartPlugin } from '../../src/index.ts';
import { signedInStaffUserId } from './auth/staff-session.ts';
import { createHostApp } from './app.ts';
import { prepareHostDatabase } from './database/prepare.ts';
import { demoPassword, demoStaff } from './database/seed-directory.ts';
import { demoClientSecrets, seedDemoClients } from './demo-clients.ts';

/**
 * `npm start`: the reference EHR with the SMART plugin mounted at /smart, on a local SQLite file.
 * Environment: PORT (3000), HOST (127.0.0.1: not reachable from other machines unless changed),
 * EHR_DB_FILE (samples/host-ehr/data/ehr.sqlite), EHR_SESSION_SECRET (random per start).
 */
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be 1-65535, not ${process.env.PORT}`);
const host = process.env.HOST ?? '127.0.0.1';
const origin = `http://localhost:${port}`;
const databaseFile = process.env.EHR_DB_FILE ?? fileURLToPath(new URL('./data/ehr.sqlite', import.meta.url));

await mkdir(path.dirname(databaseFile), { recursive: true });
const knex = knexFactory({
  client: 'better-sqlite3',
  connection: { filename: databaseFile },
  useNullAsDefault: true,
  pool: {
    // SQLite leaves foreign keys unchecked unless asked, per connection.
    afterCreate(connection: { pragma(source: string): unknown }, done: (error: Error | null, connection: unknown) => void) {
      connection.pragma('foreign_keys = ON');
      done(null, connection);
    },
  },
});

// The host's tables and contract views first: the plugin reads those views.
await prepareHostDatabase(knex);
// The plugin seals its signing keys and signs its cookies with this secret; a real EHR reads it from
// its secret store. The fallback is a public demo value, like every other credential here.
const secret = process.env.SMART_PLUGIN_SECRET ?? 'demo-only-secret-never-use-in-production-0000';
const plugin = await createSmartPlugin({
  secret, knex, publicUrl: `${origin}/smart`, development: true, database: { migrate: true },
  // Staff signed in to this EHR are not asked to sign in again when they launch an app.
  currentHostUser: signedInStaffUserId,
});
const newClients = await seedDemoClients(plugin, { origin, knex });
const app = createHostApp({
  knex, pluginRouter: plugin.router, mountPath: '/smart', secureCookies: false, sessionSecret: process.env.EHR_SESSION_SECRET,
  launchDemoApp: {
    createLaunch: (input) => plugin.createLaunch(input),
    fhirBaseUrl: plugin.urls.fhirBaseUrl,
    launchUrl: `${origin}/apps/demo/launch`,
  },
});

const server = app.listen(port, host, () => {
  console.log([
    `Riverside EHR (demo) is running: open ${origin}`,
    `SMART on FHIR: ${origin}/smart (database ${databaseFile})`,
    `Demo SMART app: "Launch demo app" on a chart, or standalone at ${origin}/apps/demo/standalone`,
    '',
    `Staff accounts, all with password "${demoPassword}":`,
    ...demoStaff.map((staff) => `  ${staff.login.padEnd(20)} ${staff.displayName} (${staff.roles.join(', ')})${staff.active === false ? ' [inactive]' : ''}`),
    '',
    `Demo clients: demo-app (public), demo-confidential / ${demoClientSecrets['demo-confidential']}, ` +
      `svc-client / ${demoClientSecrets['svc-client']}, backend-client (samples/keys)` +
      (newClients.length ? ` (registered now: ${newClients.join(', ')})` : ''),
    '',
    'These accounts, secrets and keys are public demo credentials. Never use them with real patient data.',
  ].join('\n'));
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  // Do not wait forever for a browser holding a keep-alive connection open.
  setTimeout(() => process.exit(1), 10_000).unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await plugin.close();
  await knex.destroy();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('host-ehr: shutdown failed', error);
        process.exit(1);
      },
    );
  });
}
