import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createSmartPlugin, type SmartPlugin, type SmartPluginOptions } from '../../src/index.ts';
import { createHostApp } from '../../samples/host-ehr/app.ts';
import { signedInStaffUserId } from '../../samples/host-ehr/auth/staff-session.ts';
import { prepareHostDatabase } from '../../samples/host-ehr/database/prepare.ts';
import { seedDemoClients } from '../../samples/host-ehr/demo-clients.ts';
import { createSampleProviders } from '../../samples/host-ehr/fhir/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const LIVE_SECRET = 'live-test-secret-0123456789-0123456789-abcdef';

/**
 * The sample EHR (`samples/host-ehr`) wired as `samples/host-ehr/main.ts` wires it: createHostApp with the
 * plugin mounted at /smart, the EHR's session as the plugin's `currentHostUser`, the demo clients (their
 * redirect URIs on this server's origin) and the chart's "Launch demo app". It listens on 127.0.0.1 on an
 * ephemeral port, on a fresh test database (TEST_DB), so real browsers and real HTTP clients can use it.
 */
export interface LiveServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  db: TestDatabase;
  plugin: SmartPlugin;
  app: Express;
  server: Server;
  /** The host's user id of a login name (`provider` → `"3"`). */
  userId(login: string): Promise<string>;
  /** The host's patient id of a display name (`Leo Lopez` → `"4"`). */
  patientId(displayName: string): Promise<string>;
  close(): Promise<void>;
}

export async function startLiveServer(options: Partial<SmartPluginOptions> = {}): Promise<LiveServer> {
  const db = await createTestDatabase();
  let server: Server | undefined;
  let plugin: SmartPlugin | undefined;
  try {
    await prepareHostDatabase(db.knex);
    // The port must be known before the plugin exists (its publicUrl names it), so the server starts first
    // with a handler that answers 503 until the EHR app is in place.
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('starting');
    };
    const listening = createServer((req, res) => handler(req, res));
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = listening.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;

    const created = await createSmartPlugin({
      secret: LIVE_SECRET, knex: db.knex, publicUrl: `${origin}/smart`, development: true, database: { migrate: true },
      currentHostUser: signedInStaffUserId, fhirResources: createSampleProviders(db.knex), ...options,
    });
    plugin = created;
    await seedDemoClients(created, { origin, knex: db.knex });
    const app = createHostApp({
      knex: db.knex, pluginRouter: created.router, mountPath: '/smart', secureCookies: false,
      launchDemoApp: {
        createLaunch: (input) => created.createLaunch(input),
        fhirBaseUrl: created.urls.fhirBaseUrl,
        launchUrl: `${origin}/apps/demo/launch`,
      },
    });
    handler = app;

    const idOf = async (view: string, idColumn: string, nameColumn: string, name: string): Promise<string> => {
      const row: Record<string, unknown> | undefined = await db.knex(view).where(nameColumn, name).first(idColumn);
      if (!row) throw new Error(`the sample EHR has no ${nameColumn} ${name}`);
      return String(row[idColumn]);
    };
    return {
      origin, db, plugin: created, app, server: listening,
      userId: (login) => idOf('smart_host_users', 'user_id', 'login_name', login),
      patientId: (displayName) => idOf('smart_host_patients', 'patient_id', 'display_name', displayName),
      close: async () => {
        await closeServer(listening);
        await created.close();
        await db.drop();
      },
    };
  } catch (error) {
    if (server) await closeServer(server).catch(() => undefined);
    await plugin?.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
    throw error;
  }
}

/** Stops listening and ends idle keep-alive connections (a browser or fetch may hold one open). */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    // Whatever is still open after a moment (a request a client abandoned) is cut.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
}
