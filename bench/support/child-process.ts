import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A server under test in its own process, so that it never shares an event loop with the load. */
export interface ChildServer<Ready> {
  /** For a parent that talks to the child after it is ready (bench/fhir-api/server-process.ts). */
  child: ChildProcess;
  /** The first message the child sent. */
  ready: Ready;
  stop(): Promise<void>;
}

/**
 * Forks `module` (the tsx loader is inherited through execArgv) and waits, at most `timeoutMs`, for its
 * first message, taken as its ready message. `label` names the module in errors.
 */
export async function startChild<Ready>(module: URL, label: string, timeoutMs: number): Promise<ChildServer<Ready>> {
  const child = fork(fileURLToPath(module), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as Ready);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready`));
    });
  });
  return { child, ready, stop: () => stop(child) };
}

/** SIGTERM lets the child close its database; SIGKILL after 5 s, so a stuck child cannot hold the benchmark. */
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
