import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loggableError } from '../../src/errors/loggable-error.ts';
import { startSmartServer, type SmartServer } from '../support/smart-server.ts';
import { passwordGrant } from '../support/token-requests.ts';

describe('unexpected errors', () => {
  const logged: Record<string, unknown>[] = [];
  let server: SmartServer;
  before(async () => {
    server = await startSmartServer({
      logger: { info() {}, warn() {}, error: (message, fields) => logged.push({ message, ...fields }) },
    });
  });
  after(() => server.close());

  it('answer 500 server_error without detail, and log only the error class, code and a masked message', async () => {
    await server.db.knex.schema.dropTable('smart_access_tokens');
    const response = await passwordGrant(server, { scope: 'user/Patient.rs' });
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, { error: 'server_error', error_description: 'The server could not complete the request.' });
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.message, 'token endpoint failed');
    assert.doesNotMatch(JSON.stringify(logged), /demo-password|svc-client-secret|svc-portal/);
  });

  it('mask the values a database driver quotes in its message', () => {
    const error = Object.assign(new Error('invalid input syntax for type integer: "Maria Lopez" at \'x\' Key (mrn)=(MRN-1002) exists'), { code: '22P02' });
    assert.deepEqual(loggableError(error), {
      error: 'Error', code: '22P02', detail: 'invalid input syntax for type integer: "…" at "…" Key "…" exists',
    });
  });
});
