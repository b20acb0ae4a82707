import type http from 'node:http';
import { runTimedLoad, sendRequest, type HttpAnswer, type RunResult } from '../support/http-load.ts';

/** One token request, ready to send: a form body and its headers (all prepared before any timing). */
export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
  /** The single-use credential the request presents (a refresh token), to check that it rotated. */
  presented?: string;
}

/** POSTs one prepared form to `url` over `agent`, bounded by `timeoutMs` (RFC 6749 §3.2: POST, form body). */
export function postToken(agent: http.Agent, url: URL, prepared: PreparedRequest, timeoutMs: number): Promise<HttpAnswer> {
  return sendRequest(agent, url, {
    method: 'POST', body: prepared.body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(prepared.body), ...prepared.headers },
  }, timeoutMs);
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
 * The timed part: each loop takes the next unused request of the pool (codes, refresh tokens and assertions
 * are single use), until the duration is over or the pool is used up.
 */
export function runTimed(options: RunOptions): Promise<RunResult> {
  let next = 0;
  return runTimedLoad({
    concurrency: options.concurrency, durationMs: options.durationMs, check: options.check,
    next: () => (next < options.pool.length ? options.pool[next++] : undefined),
    send: (agent, prepared) => postToken(agent, options.url, prepared, options.timeoutMs),
  });
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
