import { startChild, type ChildServer } from '../support/child-process.ts';
import type { ServerReady } from './bench-clients.ts';

export type ServerProcess = ChildServer<ServerReady>;

/** Forks `file` (a module of this folder) and waits, at most `timeoutMs`, for its ServerReady message. */
export function startServerProcess(file: string, timeoutMs = 60_000): Promise<ServerProcess> {
  return startChild<ServerReady>(new URL(file, import.meta.url), file, timeoutMs);
}
