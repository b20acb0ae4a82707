import type { RunResult } from '../support/http-load.ts';
import { latency, median, requestsPerSecond } from '../support/stats.ts';
import type { CaseName, SideName } from './cases.ts';

/** A timed run, and the server process's CPU time (user + system, ms) and SQL queries over it. */
export interface Measured {
  run: RunResult;
  serverCpuMs: number;
  queries: number;
}

/** Plugin and bare of one case in one round, measured back to back in the same server process. */
export interface RoundPair {
  benchCase: CaseName;
  round: number;
  plugin: Measured;
  bare: Measured;
}

/** Server CPU time per answered request, µs. */
function cpuPerRequest(measured: Measured[]): number {
  const cpu = measured.reduce((sum, m) => sum + m.serverCpuMs, 0);
  const done = measured.reduce((sum, m) => sum + m.run.completed + m.run.failed, 0);
  return (cpu * 1000) / Math.max(1, done);
}

/** SQL queries per answered request. */
function queriesPerRequest(measured: Measured[]): number {
  const queries = measured.reduce((sum, m) => sum + m.queries, 0);
  const done = measured.reduce((sum, m) => sum + m.run.completed + m.run.failed, 0);
  return queries / Math.max(1, done);
}

const ms = (value: number) => value.toFixed(2);

/**
 * The loaded table: medians over rounds of req/s, the median of the per-round ratios (each plugin/bare of
 * the same round) and every round's ratio, latency percentiles pooled over rounds, p99 added, server CPU
 * per request (its bare ÷ plugin is the throughput ratio a CPU-bound server would show, and less disturbed by
 * other load on the machine than req/s), SQL queries per request, failures.
 */
export function throughputTable(pairs: RoundPair[], cases: readonly CaseName[]): string {
  const lines = [
    '| case | plugin req/s | bare req/s | ratio plugin/bare: median (per round) | plugin p50 / p99 ms | bare p50 / p99 ms | p99 added ms | server CPU µs/req plugin / bare (bare ÷ plugin) | SQL queries/req plugin / bare | failed plugin / bare |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const name of cases) {
    const mine = pairs.filter((pair) => pair.benchCase === name);
    if (mine.length === 0) continue;
    const rate = (side: SideName) => median(mine.map((pair) => requestsPerSecond(pair[side].run)));
    const ratios = mine.map((pair) => requestsPerSecond(pair.plugin.run) / requestsPerSecond(pair.bare.run));
    const plugin = latency(mine.map((pair) => pair.plugin.run));
    const bare = latency(mine.map((pair) => pair.bare.run));
    const failed = (side: SideName) => mine.reduce((sum, pair) => sum + pair[side].run.failed, 0);
    lines.push(`| ${name} | ${rate('plugin').toFixed(0)} | ${rate('bare').toFixed(0)} `
      + `| **${median(ratios).toFixed(2)}** (${ratios.map((r) => r.toFixed(2)).join(', ')}) `
      + `| ${ms(plugin.p50)} / ${ms(plugin.p99)} | ${ms(bare.p50)} / ${ms(bare.p99)} | ${ms(plugin.p99 - bare.p99)} `
      + `| ${cpuPerRequest(mine.map((p) => p.plugin)).toFixed(0)} / ${cpuPerRequest(mine.map((p) => p.bare)).toFixed(0)} `
      + `(${(cpuPerRequest(mine.map((p) => p.bare)) / cpuPerRequest(mine.map((p) => p.plugin))).toFixed(2)}) `
      + `| ${queriesPerRequest(mine.map((p) => p.plugin)).toFixed(2)} / ${queriesPerRequest(mine.map((p) => p.bare)).toFixed(2)} `
      + `| ${failed('plugin')} / ${failed('bare')} |`);
  }
  return lines.join('\n');
}

/** One request in flight: the latency a single caller sees, without queueing behind the others. */
export function unloadedTable(runs: Map<CaseName, Record<SideName, Measured>>): string {
  const lines = [
    '| case (1 in flight) | plugin p50 / p99 ms | bare p50 / p99 ms | p50 added ms | p99 added ms | failed plugin / bare |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [name, sides] of runs) {
    const plugin = latency([sides.plugin.run]);
    const bare = latency([sides.bare.run]);
    lines.push(`| ${name} | ${ms(plugin.p50)} / ${ms(plugin.p99)} | ${ms(bare.p50)} / ${ms(bare.p99)} `
      + `| ${ms(plugin.p50 - bare.p50)} | ${ms(plugin.p99 - bare.p99)} | ${sides.plugin.run.failed} / ${sides.bare.run.failed} |`);
  }
  return lines.join('\n');
}
