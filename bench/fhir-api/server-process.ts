import { startChild } from '../support/child-process.ts';
import type { FhirServerReady, ServerReply, ServerRequest } from './messages.ts';

type Request = ServerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The server under test in its own process (bench/support/child-process.ts); here the parent can also ask
 * for the child's CPU time and have it profile a span.
 */
export interface FhirServerProcess {
  ready: FhirServerReady;
  ask(request: Request): Promise<ServerReply>;
  stop(): Promise<void>;
}

/** Forks host-server.ts (the tsx loader comes through execArgv) and waits, at most `timeoutMs`, until it is ready. */
export async function startFhirServer(timeoutMs = 60_000): Promise<FhirServerProcess> {
  const { child, ready, stop } = await startChild<FhirServerReady>(new URL('./host-server.ts', import.meta.url), 'host-server.ts', timeoutMs);
  let nextId = 1;
  const waiting = new Map<number, (reply: ServerReply) => void>();
  child.on('message', (message: ServerReply) => {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const ask = (request: Request) => new Promise<ServerReply>((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(() => reject(new Error(`the server did not answer ${request.kind} within 30 s`)), 30_000);
    waiting.set(id, (reply) => {
      clearTimeout(timer);
      if (reply.error) reject(new Error(`${request.kind}: ${reply.error}`));
      else resolve(reply);
    });
    child.send({ ...request, id } as ServerRequest);
  });
  return { ready, ask, stop };
}
