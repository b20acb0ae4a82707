import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { createSmartPlugin } from '../../src/index.ts';
import { startDevIdp } from '../dev-idp/server.ts';
import { signedInStaffUserId } from './auth/staff-session.ts';
import { createHostApp } from './app.ts';
import { prepareHostDatabase } from './database/prepare.ts';
import { demoPassword, demoStaff } from './database/seed-directory.ts';
import { demoClientSecrets, seedDemoClients } from './demo-clients.ts';
import { createSampleProviders } from './fhir/index.ts';

/**
 * `npm start`: the reference EHR with the SMART plugin mounted at /smart, on a local SQLite file.
 * Environment: PORT (3000), HOST (127.0.0.1: not reachable from other machines unless changed),
 * EHR_DB_FILE (samples/host-ehr/data/ehr.sqlite), EHR_SESSION_SECRET (random per start),
 * DEV_IDP_PORT (3443; `off` runs without the Azure AD stand-in).
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
// samples/dev-idp stands in for Azure AD (B2B tenants contoso and fabrikam, the B2C tenant) on 127.0.0.1, so
// every sign-in path works offline. Its CA is kept beside the database so a browser can be told to trust it once.
const devIdpPort = process.env.DEV_IDP_PORT ?? '3443';
const devIdp = devIdpPort === 'off' ? undefined : await startDevIdp({
  port: Number(devIdpPort), certificateDirectory: path.join(path.dirname(databaseFile), 'dev-idp'),
});
const plugin = await createSmartPlugin({
  secret, knex, publicUrl: `${origin}/smart`, development: true, database: { migrate: true },
  ...(devIdp ? { azure: devIdp.azureOptions() } : {}),
  // Staff signed in to this EHR are not asked to sign in again when they launch an app.
  currentHostUser: signedInStaffUserId,
  // The FHIR API over this EHR's own tables: samples/host-ehr/fhir is the worked example of a provider.
  fhirResources: createSampleProviders(knex),
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
    ...(devIdp ? [
      `Azure AD stand-in (samples/dev-idp): ${devIdp.origin}, CA ${path.join(path.dirname(databaseFile), 'dev-idp', 'ca.pem')}`,
      '  "Sign in with your organization": alice@contoso.example (provider), bob@fabrikam.example (admin), mallory@contoso.example (refused)',
      '  "Sign in as a patient": maria@example.com, pat@example.com, sam@example.com, nobody@example.com (refused)',
      '  Your browser warns about its certificate once: accept it, or import the CA above as trusted for this demo only.',
      '',
    ] : []),
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
  await devIdp?.close();
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
