/**
 * How much the permission cache saves: effective-permission look-ups through the host directory with the
 * default TTL against the same look-ups with the cache off (a database round trip each), in one run on the
 * same SQLite file. Prints a table and the ratio; asserts nothing (machines here are shared and noisy).
 *
 *   npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { createSmartPlugin } from '../src/index.ts';
import { prepareHostDatabase } from '../samples/host-ehr/database/prepare.ts';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'smart-bench-'));
const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dir, 'bench.sqlite') }, useNullAsDefault: true });

async function measure(ttl: number): Promise<{ opsPerSecond: number; p99Micros: number }> {
  const plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef',
    knex, publicUrl: 'https://bench.example/smart', database: { migrate: true }, hostContract: { permissionCacheTtlMs: ttl },
  });
  const users = await knex('smart_host_users').select('user_id').orderBy('user_id');
  const ids = users.map((u) => String(u.user_id));
  const samples: number[] = [];
  const end = performance.now() + DURATION_MS;
  let i = 0;
  while (performance.now() < end) {
    const start = performance.now();
    await plugin.hostDirectory.getUserPermissions(ids[i++ % ids.length] as string);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    opsPerSecond: Math.round(samples.length / (DURATION_MS / 1000)),
    p99Micros: Number(((samples[Math.floor(samples.length * 0.99)] ?? 0) * 1000).toFixed(1)),
  };
}

try {
  await prepareHostDatabase(knex);
  await measure(0); // warm-up: JIT, statement cache, file pages
  const uncached = await measure(0);
  const cached = await measure(5000);
  console.log('| permission look-up | ops/s | p99 (µs) |');
  console.log('|---|---:|---:|');
  console.log(`| cache off (TTL 0) | ${uncached.opsPerSecond} | ${uncached.p99Micros} |`);
  console.log(`| cache on (TTL 5 s, default) | ${cached.opsPerSecond} | ${cached.p99Micros} |`);
  console.log(`\nratio cached / uncached: ${(cached.opsPerSecond / uncached.opsPerSecond).toFixed(1)}x`);
} finally {
  await knex.destroy();
  rmSync(dir, { recursive: true, force: true });
}
