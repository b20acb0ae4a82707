import type { RunResult } from '../support/http-load.ts';
import { latency, median, requestsPerSecond } from '../support/stats.ts';
import type { GrantName } from './token-grants.ts';

/** The two runs of one grant in one round, measured back to back. */
export interface RoundPair {
  grant: GrantName;
  round: number;
  ours: RunResult;
  peer: RunResult;
}

/** p50/p99 in ms over every successful request of every round. */
function latencies(runs: RunResult[]): string {
  const { p50, p99 } = latency(runs);
  return `${p50.toFixed(1)} / ${p99.toFixed(1)}`;
}

/**
 * The markdown table: medians over rounds of req/s, the median of the per-round ratios (each ours/peer
 * of the same round) with their range, and latency percentiles pooled over rounds.
 */
export function markdownTable(pairs: RoundPair[], grants: readonly GrantName[]): string {
  const lines = [
    '| grant | ours req/s | oidc-provider req/s | ratio (ours/peer), range over rounds | ours p50/p99 ms | peer p50/p99 ms | failed (ours/peer) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const grant of grants) {
    const mine = pairs.filter((pair) => pair.grant === grant);
    if (mine.length === 0) continue;
    const ratios = mine.map((pair) => requestsPerSecond(pair.ours) / requestsPerSecond(pair.peer));
    const failed = (side: 'ours' | 'peer') => mine.reduce((sum, pair) => sum + pair[side].failed, 0);
    lines.push(`| ${grant} | ${median(mine.map((p) => requestsPerSecond(p.ours))).toFixed(0)} | ${median(mine.map((p) => requestsPerSecond(p.peer))).toFixed(0)} `
      + `| ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) `
      + `| ${latencies(mine.map((p) => p.ours))} | ${latencies(mine.map((p) => p.peer))} | ${failed('ours')} / ${failed('peer')} |`);
  }
  return lines.join('\n');
}
