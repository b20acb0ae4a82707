import http from 'node:http';

/** One answer, read to the end, and how long it took from sending to the last byte. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

export interface OutgoingRequest {
  method?: string;
  headers: http.OutgoingHttpHeaders;
  body?: string;
}

/** What a timed run measured. Latencies are of successful requests only. */
export interface RunResult {
  completed: number;
  failed: number;
  elapsedMs: number;
  latenciesMs: Float64Array;
  /** There was nothing left to send before the duration was over (a pool sized too small). */
  exhausted: boolean;
  /** First few failures, "status: body", for the report. */
  failures: string[];
  /** This process's CPU time over the run, to tell when the load generator, not the server, was the limit. */
  clientCpuMs: number;
}

export interface LoadOptions<T> {
  concurrency: number;
  durationMs: number;
  /** The next thing to send (prepared before any timing), or undefined when none is left. */
  next(): T | undefined;
  /** Sends one; the loop owns the agent so that every run starts with fresh connections. */
  send(agent: http.Agent, item: T): Promise<HttpAnswer>;
  /** Returns a problem when a 200 JSON answer is not what `item` must give, undefined when it is. */
  check(json: Record<string, unknown>, item: T): string | undefined;
}

/** A keep-alive agent limited to `sockets` connections: one per request in flight. */
export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** Sends one request over `agent` and reads the whole answer, bounded by `timeoutMs` so a hung server fails the request, not the run. */
export function sendRequest(agent: http.Agent, url: URL, request: OutgoingRequest, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(url, { method: request.method ?? 'GET', agent, headers: request.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - start,
      }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * The timed part: `concurrency` loops over keep-alive, each sending the next item as soon as its previous
 * one was answered, until the duration is over or nothing is left. Every answer is checked (status 200,
 * JSON, `check`).
 */
export async function runTimedLoad<T>(options: LoadOptions<T>): Promise<RunResult> {
  const agent = keepAliveAgent(options.concurrency);
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  let ranOut = false;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deadline = start + options.durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const item = options.next();
      if (item === undefined) {
        ranOut = true;
        return;
      }
      const problem = await sendAndCheck(agent, options, item, latencies);
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
    completed: latencies.length, failed, elapsedMs, latenciesMs: Float64Array.from(latencies),
    exhausted: ranOut && performance.now() < deadline, failures, clientCpuMs: (used.user + used.system) / 1000,
  };
}

async function sendAndCheck<T>(agent: http.Agent, options: LoadOptions<T>, item: T, latencies: number[]): Promise<string | undefined> {
  let answer: HttpAnswer;
  try {
    answer = await options.send(agent, item);
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
  const problem = options.check(json, item);
  if (problem) return `200 but ${problem}`;
  latencies.push(answer.ms);
  return undefined;
}
