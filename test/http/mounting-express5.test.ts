import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createSmartPlugin } from '../../src/index.ts';
import { checkMounting } from '../support/mounting-scenario.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('mounting in an Express 5 host', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  it('serves two independent instances at different paths beside the host\'s routes', async () => {
    await checkMounting(express, createSmartPlugin, db.knex);
  });
});
