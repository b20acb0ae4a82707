import type { RunResult } from './http-load.ts';

/** Successful requests per second of wall time over a run. */
export function requestsPerSecond(run: RunResult): number {
  return run.completed / (run.elapsedMs / 1000);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank on an ascending array; NaN when nothing succeeded, so the table shows it rather than a 0. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

/** p50 and p99 in ms over every successful request of the runs (pooled, not a median of percentiles). */
export function latency(runs: RunResult[]): { p50: number; p99: number } {
  const all = Float64Array.from(runs.flatMap((run) => [...run.latenciesMs])).sort();
  return { p50: percentile(all, 0.5), p99: percentile(all, 0.99) };
}
