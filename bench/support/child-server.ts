import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A benchmark server listening on 127.0.0.1 at a free port, and its origin (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(handler: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(handler);
  // Longer than any pause between the load's runs, so the client's keep-alive sockets are not closed under it.
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Closes `server`, then `cleanUp` (plugin, database), then exits, once: on SIGTERM from the parent, or when
 * the parent goes away without it (a crashed benchmark must not leave its servers running).
 */
export function shutDownWithParent(server: http.Server, cleanUp: () => Promise<void> = () => Promise.resolve()): void {
  let closing = false;
  const shutDown = async () => {
    if (closing) return;
    closing = true;
    server.closeAllConnections();
    server.close();
    await cleanUp();
    process.exit(0);
  };
  process.once('disconnect', () => void shutDown());
  process.once('SIGTERM', () => void shutDown());
}
