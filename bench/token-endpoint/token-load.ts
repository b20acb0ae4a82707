import http from 'node:http';

/** One token request, ready to send: a form body and its headers (all prepared before any timing). */
export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
  /** The single-use credential the request presents (a refresh token), to check that it rotated. */
  presented?: string;
}

export interface TokenAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

/** What a timed run measured. Latencies are of successful requests only. */
export interface RunResult {
  completed: number;
  failed: number;
  elapsedMs: number;
  latenciesMs: Float64Array;
  /** The pool ran out before the duration did (the pool was sized too small). */
  exhausted: boolean;
  /** First few failures, "status: body", for the report. */
  failures: string[];
}

/** A keep-alive agent limited to `sockets` connections: one per request in flight. */
export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** POSTs one prepared form to `url` over `agent`, bounded by `timeoutMs` (RFC 6749 §3.2: POST, form body). */
export function postToken(agent: http.Agent, url: URL, prepared: PreparedRequest, timeoutMs: number): Promise<TokenAnswer> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(url, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(prepared.body), ...prepared.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - start,
      }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(prepared.body);
  });
}

export interface RunOptions {
  url: URL;
  pool: PreparedRequest[];
  concurrency: number;
  durationMs: number;
  timeoutMs: number;
  /** Returns a problem when a 200 answer is not a proper token response, undefined when it is. */
  check: (json: Record<string, unknown>, prepared: PreparedRequest) => string | undefined;
}

/**
 * The timed part: `concurrency` loops, each taking the next unused request of the pool and sending it
 * as soon as its previous one was answered, until the duration is over or the pool is used up.
 */
export async function runTimed(options: RunOptions): Promise<RunResult> {
  const agent = keepAliveAgent(options.concurrency);
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;
  const loop = async () => {
    while (performance.now() < deadline && next < options.pool.length) {
      const prepared = options.pool[next++] as PreparedRequest;
      const problem = await send(agent, options, prepared, latencies);
      if (problem) {
        failed++;
        if (failures.length < 5) failures.push(problem);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return {
    completed: latencies.length, failed, elapsedMs, latenciesMs: Float64Array.from(latencies),
    exhausted: next >= options.pool.length && performance.now() < deadline, failures,
  };
}

async function send(agent: http.Agent, options: RunOptions, prepared: PreparedRequest, latencies: number[]): Promise<string | undefined> {
  let answer: TokenAnswer;
  try {
    answer = await postToken(agent, options.url, prepared, options.timeoutMs);
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
  const problem = options.check(json, prepared);
  if (problem) return `200 but ${problem}`;
  latencies.push(answer.ms);
  return undefined;
}

/** Runs `fn` over `items` with at most `concurrency` at once (for minting pools, never timed). */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const loop = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, loop));
  return results;
}
