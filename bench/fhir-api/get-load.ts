import http from 'node:http';
import { keepAliveAgent, type RunResult } from '../token-endpoint/token-load.ts';

export interface GetAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

/** One GET of `url` over `agent`, bounded by `timeoutMs`. */
export function get(agent: http.Agent, url: URL, headers: Record<string, string>, timeoutMs: number): Promise<GetAnswer> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - start,
      }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export interface GetRunOptions {
  url: URL;
  headers: Record<string, string>;
  concurrency: number;
  durationMs: number;
  timeoutMs: number;
  /** Returns a problem when a 200 answer is not the expected resource, undefined when it is. */
  check: (json: Record<string, unknown>) => string | undefined;
}

/** A timed run with the client's own CPU time, to tell when the load generator, not the server, was the limit. */
export interface GetRunResult extends RunResult {
  clientCpuMs: number;
}

/**
 * The timed part, as runTimed of bench/token-endpoint/token-load.ts but for the same GET again and again:
 * `concurrency` loops over keep-alive, each sending as soon as its previous request was answered, until the
 * duration is over. Every answer is checked (status 200, JSON, `check`); latencies are of the good ones.
 */
export async function runGets(options: GetRunOptions): Promise<GetRunResult> {
  const agent = keepAliveAgent(options.concurrency);
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deadline = start + options.durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const problem = await send(agent, options, latencies);
      if (problem) {
        failed++;
        if (failures.length < 5) failures.push(problem);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  return {
    completed: latencies.length, failed, elapsedMs, latenciesMs: Float64Array.from(latencies), exhausted: false, failures,
    clientCpuMs: (used.user + used.system) / 1000,
  };
}

async function send(agent: http.Agent, options: GetRunOptions, latencies: number[]): Promise<string | undefined> {
  let answer: GetAnswer;
  try {
    answer = await get(agent, options.url, options.headers, options.timeoutMs);
  } catch (error) {
    return `request failed: ${(error as Error).message}`;
  }
  if (answer.status !== 200) return `${answer.status}: ${answer.text.slice(0, 200)}`;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return `200 but not JSON: ${answer.text.slice(0, 200)}`;
  }
  const problem = options.check(json);
  if (problem) return `200 but ${problem}`;
  latencies.push(answer.ms);
  return undefined;
}
