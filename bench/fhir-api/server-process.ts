import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FhirServerReady, ServerReply, ServerRequest } from './messages.ts';

type Request = ServerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The server under test in its own process (as bench/token-endpoint/server-process.ts, which only waits for
 * a ready message): here the parent can also ask for the child's CPU time and have it profile a span.
 */
export interface FhirServerProcess {
  ready: FhirServerReady;
  ask(request: Request): Promise<ServerReply>;
  stop(): Promise<void>;
}

/** Forks host-server.ts (the tsx loader comes through execArgv) and waits, at most `timeoutMs`, until it is ready. */
export async function startFhirServer(timeoutMs = 60_000): Promise<FhirServerProcess> {
  const child = fork(fileURLToPath(new URL('./host-server.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<FhirServerReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host-server.ts did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as FhirServerReady);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host-server.ts exited with ${code} before it was ready`));
    });
  });
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
  return { ready, ask, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
