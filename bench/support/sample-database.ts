import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';

/** A benchmark server's SQLite connection, and how to close it and remove what it wrote. */
export interface BenchDatabase {
  knex: Knex;
  close(): Promise<void>;
}

/**
 * SQLite in memory by default; BENCH_DB=file puts it in a temporary file under a `prefix` folder, to see
 * what disk I/O costs. Empty: the caller prepares the sample EHR's tables.
 */
export function openBenchDatabase(prefix: string): BenchDatabase {
  const dir = process.env.BENCH_DB === 'file' ? mkdtempSync(join(tmpdir(), prefix)) : undefined;
  const knex = knexFactory({
    client: 'better-sqlite3', connection: { filename: dir ? join(dir, 'bench.sqlite') : ':memory:' }, useNullAsDefault: true,
  });
  return {
    knex,
    async close() {
      await knex.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
