/**
 * The token endpoint side by side with oidc-provider, in one run on this machine: the authorization_code
 * exchange (PKCE), refresh_token (rotating), and client_credentials with a private_key_jwt assertion
 * (SMART Backend Services). Each server runs in its own process on 127.0.0.1; this process only sends
 * requests. Codes, refresh tokens and assertions are single use, so a pool is minted (untimed) right
 * before each timed run; the timed part is only the POST to /token, `BENCH_CONCURRENCY` (8) in flight
 * over keep-alive, for `BENCH_SECONDS` (5) per run, `BENCH_ROUNDS` (3) rounds, alternating which side goes
 * first. Prints a markdown table of ratios against the peer of the same round; asserts nothing.
 *
 *   npx tsx bench/token-endpoint.ts
 *   BENCH_SECONDS=3 (short run)  BENCH_ROUNDS=5  BENCH_GRANTS=client_credentials  BENCH_DB=file (SQLite on disk)
 */
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunResult } from './support/http-load.ts';
import { requestsPerSecond } from './support/stats.ts';
import { CodeMinter, type Dialect } from './token-endpoint/mint-codes.ts';
import { markdownTable, type RoundPair } from './token-endpoint/report.ts';
import { startServerProcess, type ServerProcess } from './token-endpoint/server-process.ts';
import { describeAnswer } from './token-endpoint/describe-answer.ts';
import { GRANTS, checkAnswer, preparePool, type GrantName, type Side } from './token-endpoint/token-grants.ts';
import { runTimed } from './token-endpoint/token-load.ts';

const SECONDS = positive('BENCH_SECONDS', 5);
const ROUNDS = Math.round(positive('BENCH_ROUNDS', 3));
const CONCURRENCY = Math.round(positive('BENCH_CONCURRENCY', 8));
const SELECTED = selectedGrants();
const REQUEST_TIMEOUT_MS = 10_000;
const WARM_UP_REQUESTS = 1000;
/** Pools hold this many times what the best rate seen so far would use, so that a run rarely runs dry. */
const POOL_MARGIN = 2;

// Whatever happens, the process ends: a generous bound on minting plus every timed run.
const watchdog = setTimeout(() => {
  console.error('token endpoint benchmark: gave up after its time limit');
  process.exit(2);
}, (ROUNDS + 1) * SELECTED.length * 2 * (SECONDS * 8 + 60) * 1000);
watchdog.unref();

const servers: ServerProcess[] = [];
const sides: Side[] = [];
try {
  servers.push(await startServerProcess('./plugin-server.ts'), await startServerProcess('./oidc-provider-server.ts'));
  sides.push(side('ours', 'plugin', servers[0] as ServerProcess), side('peer', 'oidc-provider', servers[1] as ServerProcess));
  const [ours, peer] = sides as [Side, Side];
  const answers: string[] = [];
  for (const grant of SELECTED) for (const s of sides) answers.push(`- ${s.label} ${grant}: ${await describeAnswer(grant, s, CONCURRENCY)}`);
  console.error(answers.join('\n'));

  const rates = new Map<string, number>();
  for (const grant of SELECTED) {
    for (const s of sides) rates.set(`${s.label} ${grant}`, requestsPerSecond(await timedRun(grant, s, WARM_UP_REQUESTS, Math.min(2, SECONDS))));
  }
  const pairs: RoundPair[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, grant] of SELECTED.entries()) {
      const order = (round + index) % 2 === 0 ? [ours, peer] : [peer, ours];
      const results = new Map<Side, RunResult>();
      for (const s of order) {
        const key = `${s.label} ${grant}`;
        const result = await timedRun(grant, s, Math.ceil((rates.get(key) ?? 100) * SECONDS * POOL_MARGIN) + 64, SECONDS);
        rates.set(key, Math.max(rates.get(key) ?? 0, requestsPerSecond(result)));
        results.set(s, result);
        console.error(`round ${round + 1}/${ROUNDS} ${grant} ${s.label}: ${requestsPerSecond(result).toFixed(0)} req/s, ${result.failed} failed`
          + `${result.exhausted ? ' (pool used up before the time was)' : ''}${result.failures.length ? `; e.g. ${result.failures[0]}` : ''}`);
      }
      pairs.push({ grant, round, ours: results.get(ours) as RunResult, peer: results.get(peer) as RunResult });
    }
  }
  console.log(`## Token endpoint: smart-ehr-plugin vs oidc-provider\n`);
  console.log(markdownTable(pairs, SELECTED));
  console.log(`\nNode ${process.version}, ${availableParallelism()} cores; ${ROUNDS} rounds of ${SECONDS} s per grant and side, `
    + `${CONCURRENCY} requests in flight over keep-alive, order alternating; ours on ${process.env.BENCH_DB === 'file' ? 'a SQLite file' : 'in-memory SQLite'}, `
    + 'peer on its in-memory adapter.');
  console.log(`\nWhat one request of each answered (checked before timing):\n${answers.join('\n')}`);
  console.log('\nCaveat: a shared, noisy machine runs the client and both servers, and ours writes SQLite rows per request while the peer '
    + 'keeps all state in process memory: compare the ratios of the same round, not the absolute numbers.');
} finally {
  for (const s of sides) s.codes.close();
  await Promise.all(servers.map((server) => server.stop()));
}

function side(label: Side['label'], dialect: Dialect, server: ServerProcess): Side {
  const { ready } = server;
  return { label, server: ready, tokenUrl: new URL(ready.tokenPath, ready.origin), codes: new CodeMinter(dialect, ready, CONCURRENCY) };
}

/** Mints a pool of `size` (untimed), lets the server settle, then times the token requests. */
async function timedRun(grant: GrantName, s: Side, size: number, seconds: number): Promise<RunResult> {
  const minting = performance.now();
  const pool = await preparePool(grant, s, size, CONCURRENCY);
  console.error(`  ${s.label} ${grant}: minted ${size} in ${((performance.now() - minting) / 1000).toFixed(1)} s`);
  await sleep(250);
  return runTimed({ url: s.tokenUrl, pool, concurrency: CONCURRENCY, durationMs: seconds * 1000, timeoutMs: REQUEST_TIMEOUT_MS, check: checkAnswer(grant) });
}

/** BENCH_GRANTS=refresh_token,client_credentials measures only those; default all three. */
function selectedGrants(): GrantName[] {
  const raw = process.env.BENCH_GRANTS;
  if (!raw) return [...GRANTS];
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(GRANTS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`BENCH_GRANTS takes ${GRANTS.join(', ')}; not ${unknown.join(', ') || raw}`);
  return names as GrantName[];
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}
