import assert from 'node:assert/strict';
import { register } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Every `import 'express'` from here on, the plugin's own included, resolves to Express 4.
register('../support/express4-resolve-hook.mjs', import.meta.url);

describe('mounting in an Express 4 host', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  it('runs the plugin on Express 4\'s router', async () => {
    const express = (await import('express')).default;
    const { version } = (await import('express4/package.json', { with: { type: 'json' } })).default;
    assert.match(version, /^4\./);
    // Express 4 has no `router` package dependency; its Router is its own: prove the plugin got it.
    const { createSmartPlugin } = await import('../../src/index.ts');
    const plugin = await createSmartPlugin({ secret: 'test-secret-0123456789-0123456789-abcdef', knex: db.knex, publicUrl: 'https://x.example/smart' });
    assert.equal(Object.getPrototypeOf(plugin.router), express.Router, 'the plugin built an Express 4 router');
    const { checkMounting } = await import('../support/mounting-scenario.ts');
    await checkMounting(express, createSmartPlugin, db.knex);
  });
});
