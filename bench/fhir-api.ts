/**
 * The FHIR API's overhead: an authorized read and an authorized search through the plugin against the SAME
 * provider instances mounted bare (`res.json(await provider.read(...))`, no authentication, fixed open
 * restrictions) in the SAME Express app of one server process (bench/fhir-api/host-server.ts, sample EHR on
 * in-memory SQLite). This process only sends requests: `BENCH_CONCURRENCY` (8) in flight over keep-alive on
 * 127.0.0.1, `BENCH_SECONDS` (5) per run, `BENCH_ROUNDS` (3) rounds alternating which side goes first; then
 * one run per side with a single request in flight (`BENCH_UNLOADED_SECONDS`, 2; 0 skips it), the latency a
 * lone caller sees. Every answer is checked (200, the right resourceType/id/total); failures are counted.
 * Prints markdown tables of plugin/bare ratios of the same round; asserts nothing.
 *
 * The issue's target: plugin throughput at least 0.7 of bare, and p99 latency added under 2 ms.
 *
 *   npx tsx bench/fhir-api.ts                  (npm run bench:fhir)
 *   BENCH_SECONDS=3 (short)  BENCH_ROUNDS=5  BENCH_CASES=read-patient,read-observation,search-observation
 *   BENCH_DB=file (SQLite on disk)  BENCH_BARE=svc-portal (bare passes the restrictions svc-portal gets: no sensitive charts)
 *   BENCH_PROFILE=/tmp/fhir-prof  after the rounds, one more run per case and side with the V8 profiler on in the
 *     server, profiles written there, and a summary of where the server's time goes (µs per request by area, the
 *     plugin's top self-time frames)
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent, runTimedLoad, sendRequest } from './support/http-load.ts';
import { median, requestsPerSecond } from './support/stats.ts';
import { benchCase, caseUrl, selectedCases, type BenchCase, type CaseName, type SideName } from './fhir-api/cases.ts';
import type { FhirServerReady } from './fhir-api/messages.ts';
import { profileReport, summariseFile } from './fhir-api/profile-summary.ts';
import { throughputTable, unloadedTable, type Measured, type RoundPair } from './fhir-api/report.ts';
import { startFhirServer, type FhirServerProcess } from './fhir-api/server-process.ts';

const SECONDS = positive('BENCH_SECONDS', 5);
const ROUNDS = Math.round(positive('BENCH_ROUNDS', 3));
const CONCURRENCY = Math.round(positive('BENCH_CONCURRENCY', 8));
const UNLOADED_SECONDS = positive('BENCH_UNLOADED_SECONDS', 2, true);
const WARM_UP_SECONDS = Math.min(1, SECONDS);
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
const SELECTED = selectedCases();
const REQUEST_TIMEOUT_MS = 10_000;
const SIDES: readonly SideName[] = ['plugin', 'bare'];

// Whatever happens, the process ends: every timed run twice over, plus start-up.
const perCase = 2 * (WARM_UP_SECONDS + ROUNDS * SECONDS + UNLOADED_SECONDS + (PROFILE_DIR ? SECONDS : 0) + 5);
const watchdog = setTimeout(() => {
  console.error('FHIR API benchmark: gave up after its time limit');
  process.exit(2);
}, (2 * perCase * SELECTED.length + 120) * 1000);
watchdog.unref();

const loadBefore = loadavg();
let server: FhirServerProcess | undefined;
try {
  server = await startFhirServer();
  const { ready } = server;
  const headers = { authorization: `Bearer ${await accessToken(ready)}`, accept: 'application/fhir+json' };
  const cases = SELECTED.map((name) => benchCase(name, ready));

  const answers: string[] = [];
  for (const c of cases) for (const side of SIDES) answers.push(`- ${side} GET ${caseUrl(ready, side, c).pathname}${caseUrl(ready, side, c).search}: ${await describe(ready, side, c, headers)}`);
  console.error(answers.join('\n'));

  for (const c of cases) for (const side of SIDES) await measure(server, side, c, headers, CONCURRENCY, WARM_UP_SECONDS);

  const pairs: RoundPair[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, c] of cases.entries()) {
      const order: SideName[] = (round + index) % 2 === 0 ? ['plugin', 'bare'] : ['bare', 'plugin'];
      const results: Partial<Record<SideName, Measured>> = {};
      for (const side of order) {
        const measured = await measure(server, side, c, headers, CONCURRENCY, SECONDS);
        results[side] = measured;
        console.error(`round ${round + 1}/${ROUNDS} ${c.name} ${side}: ${requestsPerSecond(measured.run).toFixed(0)} req/s, ${measured.run.failed} failed, `
          + `client CPU ${clientCpuShare(measured).toFixed(0)}%${measured.run.failures.length ? `; e.g. ${measured.run.failures[0]}` : ''}`);
      }
      pairs.push({ benchCase: c.name, round, plugin: results.plugin as Measured, bare: results.bare as Measured });
    }
  }

  const unloaded = new Map<CaseName, Record<SideName, Measured>>();
  if (UNLOADED_SECONDS > 0) {
    for (const [index, c] of cases.entries()) {
      const order: SideName[] = index % 2 === 0 ? ['bare', 'plugin'] : ['plugin', 'bare'];
      const results: Partial<Record<SideName, Measured>> = {};
      for (const side of order) results[side] = await measure(server, side, c, headers, 1, UNLOADED_SECONDS);
      unloaded.set(c.name, results as Record<SideName, Measured>);
      console.error(`one in flight ${c.name}: done`);
    }
  }

  const profiles: string[] = [];
  if (PROFILE_DIR) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    for (const c of cases) {
      const requests: Partial<Record<SideName, number>> = {};
      for (const side of SIDES) {
        await server.ask({ kind: 'profile-start' });
        const measured = await measure(server, side, c, headers, CONCURRENCY, SECONDS);
        await server.ask({ kind: 'profile-stop', file: join(PROFILE_DIR, `${c.name}-${side}.cpuprofile`) });
        requests[side] = measured.run.completed + measured.run.failed;
        console.error(`profiled ${c.name} ${side}: ${requestsPerSecond(measured.run).toFixed(0)} req/s with the profiler on`);
      }
      profiles.push(profileReport(`${c.name} (${c.request})`,
        await summariseFile(join(PROFILE_DIR, `${c.name}-plugin.cpuprofile`), requests.plugin ?? 1),
        await summariseFile(join(PROFILE_DIR, `${c.name}-bare.cpuprofile`), requests.bare ?? 1)));
    }
  }

  const clientShares = pairs.flatMap((pair) => [clientCpuShare(pair.plugin), clientCpuShare(pair.bare)]);
  console.log('## FHIR API: plugin vs the same providers mounted bare\n');
  console.log(`${CONCURRENCY} requests in flight, ${ROUNDS} rounds of ${SECONDS} s per case and side, order alternating; `
    + 'ratio = plugin req/s ÷ bare req/s of the same round. Target: ratio ≥ 0.70, p99 added < 2 ms.\n');
  console.log(throughputTable(pairs, SELECTED));
  if (unloaded.size > 0) {
    console.log(`\nOne request in flight (${UNLOADED_SECONDS} s per case and side, after the rounds): the latency a lone caller sees.\n`);
    console.log(unloadedTable(unloaded));
  }
  const loadAfter = loadavg();
  console.log(`\nNode ${process.version}, ${availableParallelism()} cores, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at the start, `
    + `${loadAfter.map((l) => l.toFixed(2)).join(' ')} at the end; one server process (both sides, SQLite ${process.env.BENCH_DB === 'file' ? 'file' : 'in memory'}), `
    + `load from this process (its CPU: median ${median(clientShares).toFixed(0)}%, max ${Math.max(...clientShares).toFixed(0)}% of one core).`);
  console.log(`Bare restrictions: ${ready.bareRestrictions}; the plugin passes what svc-portal's token and EHR permissions allow.`);
  console.log(`\nWhat one request of each answered (checked before timing):\n${answers.join('\n')}`);
  if (profiles.length > 0) console.log(`\n## Where the server's time goes (profiles in ${PROFILE_DIR})\n\n${profiles.join('\n\n')}`);
  console.log('\nCaveat: client and server share this machine (and whatever else runs on it): compare the ratios of the same round, '
    + 'not the absolute numbers. Latencies at 8 in flight include queueing, so a slower side also has a higher p99 there.');
} finally {
  await server?.stop();
}

/** An access token of svc-portal (API Server User) through the password grant, user/*.rs. Not timed. */
async function accessToken(ready: FhirServerReady): Promise<string> {
  const response = await fetch(new URL(ready.tokenPath, ready.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password', client_id: 'svc-client', client_secret: 'svc-client-secret', username: 'svc-portal', password: 'demo-password', scope: 'user/*.rs',
    }).toString(),
  });
  const json = (await response.json()) as { access_token?: unknown; scope?: unknown };
  if (response.status !== 200 || typeof json.access_token !== 'string') throw new Error(`password grant: ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
  console.error(`access token for svc-portal, scope "${String(json.scope)}"`);
  return json.access_token;
}

/** One request (untimed): status, content type, size, and whether it passed the check; throws when it did not. */
async function describe(ready: FhirServerReady, side: SideName, c: BenchCase, headers: Record<string, string>): Promise<string> {
  const agent = keepAliveAgent(1);
  try {
    const answer = await sendRequest(agent, caseUrl(ready, side, c), { headers }, REQUEST_TIMEOUT_MS);
    const problem = answer.status === 200 ? c.check(JSON.parse(answer.text) as Record<string, unknown>) : `${answer.status} ${answer.text.slice(0, 300)}`;
    if (problem) throw new Error(`${side} ${c.name}: ${problem}`);
    return `${answer.status} ${answer.headers['content-type']}, ${Buffer.byteLength(answer.text)} bytes`;
  } finally {
    agent.destroy();
  }
}

/** A timed run of one case on one side (the same GET again and again), with the server's CPU time over it. */
async function measure(server: FhirServerProcess, side: SideName, c: BenchCase, headers: Record<string, string>, concurrency: number, seconds: number): Promise<Measured> {
  const url = caseUrl(server.ready, side, c);
  await sleep(250);
  const before = await server.ask({ kind: 'cpu' });
  const run = await runTimedLoad({
    concurrency, durationMs: seconds * 1000, check: c.check,
    next: () => url, send: (agent) => sendRequest(agent, url, { headers }, REQUEST_TIMEOUT_MS),
  });
  const after = await server.ask({ kind: 'cpu' });
  const cpu = (reply: typeof after) => ((reply.cpu?.user ?? 0) + (reply.cpu?.system ?? 0)) / 1000;
  return { run, serverCpuMs: cpu(after) - cpu(before), queries: (after.queries ?? 0) - (before.queries ?? 0) };
}

function clientCpuShare(measured: Measured): number {
  return (100 * measured.run.clientCpuMs) / measured.run.elapsedMs;
}

function positive(name: string, fallback: number, zeroAllowed = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}
