import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import knexFactory from 'knex';

const root = new URL('../..', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'smart-cli-'));
const dbFile = join(dir, 'cli.sqlite');

function cli(args: string[], env: Record<string, string> = { SMART_EHR_DB: `sqlite:${dbFile}` }) {
  const result = spawnSync(process.execPath, ['bin/smart-ehr-plugin.js', ...args], {
    cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('smart-ehr-plugin command', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('explains itself and fails with 2 when called without a command', () => {
    const { code, stdout } = cli([]);
    assert.equal(code, 2);
    assert.match(stdout, /^Usage: smart-ehr-plugin <command> \[options\]/);
  });

  it('refuses to guess a database', () => {
    const { code, stderr } = cli(['migrate'], {});
    assert.equal(code, 2);
    assert.equal(stderr, 'smart-ehr-plugin: no database: set SMART_EHR_DB or pass --db\n');
  });

  it('migrates, then reports the state', () => {
    assert.deepEqual(cli(['migrate']), { code: 0, stdout: 'Applied 001_initial_tables.\n', stderr: '' });
    assert.deepEqual(cli(['migrate']), { code: 0, stdout: 'Already up to date.\n', stderr: '' });
    assert.deepEqual(cli(['migrate', '--status']), { code: 0, stdout: 'Applied: 001_initial_tables\nPending: none\n', stderr: '' });
  });

  it('registers a confidential client, printing its secret once and storing only a digest', async () => {
    const { code, stdout } = cli(['clients', 'add', '--id', 'svc-app', '--auth-method', 'client_secret_basic',
      '--grant-type', 'password', '--grant-type', 'refresh_token', '--scope', 'user/Patient.rs user/Appointment.rs']);
    assert.equal(code, 0);
    const match = /^Registered client svc-app \(client_secret_basic\)\.\nClient secret \(shown once; only its hash is stored\): (\S{43})\n$/.exec(stdout);
    assert.ok(match, stdout);
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: dbFile }, useNullAsDefault: true });
    const row = await knex('smart_clients').where({ client_id: 'svc-app' }).first();
    await knex.destroy();
    assert.equal(row.secret_hash.length, 64);
    assert.ok(!JSON.stringify(row).includes(match[1] as string));
    const listed = cli(['clients', 'list']);
    assert.equal(listed.stdout, 'CLIENT ID\tAUTH METHOD\tGRANT TYPES\tREDIRECT URIS\nsvc-app\tclient_secret_basic\tpassword,refresh_token\t\n');
    assert.ok(!listed.stdout.includes(match[1] as string));
  });

  it('registers a private_key_jwt backend client from a JWKS file', () => {
    const jwks = join(dir, 'jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-384', x: 'x', y: 'y', kid: 'k1' }] }));
    const { code, stdout } = cli(['clients', 'add', '--id', 'backend', '--auth-method', 'private_key_jwt', '--grant-type', 'client_credentials',
      '--jwks-file', jwks, '--service-user', '42', '--scope', 'system/*.rs']);
    assert.equal(code, 0);
    assert.equal(stdout, 'Registered client backend (private_key_jwt).\n');
    const listed = JSON.parse(cli(['clients', 'list', '--json']).stdout) as { clientId: string; serviceUserId: string; jwks: unknown }[];
    assert.deepEqual(listed.map((c) => [c.clientId, c.serviceUserId]), [['backend', '42'], ['svc-app', null]]);
  });

  it('names the field of a refused registration, and refuses duplicates', () => {
    const bad = cli(['clients', 'add', '--id', 'web', '--grant-type', 'authorization_code', '--redirect-uri', 'http://evil.example/cb']);
    assert.deepEqual(bad, { code: 2, stdout: '', stderr: 'smart-ehr-plugin: Invalid client registration "redirectUris[0]": must use https (http only for loopback, or a reverse-domain private scheme)\n' });
    const dup = cli(['clients', 'add', '--id', 'backend', '--grant-type', 'authorization_code', '--redirect-uri', 'https://a.example/cb']);
    assert.deepEqual(dup, { code: 2, stdout: '', stderr: 'smart-ehr-plugin: A client with id "backend" is registered already\n' });
  });

  it('removes a client, and says so when there is none', () => {
    assert.deepEqual(cli(['clients', 'remove', '--id', 'backend']), { code: 0, stdout: 'Removed client backend.\n', stderr: '' });
    assert.deepEqual(cli(['clients', 'remove', '--id', 'backend']), { code: 1, stdout: '', stderr: 'smart-ehr-plugin: no client with id backend\n' });
  });

  it('lists and rotates signing keys, needing the plugin secret to seal a new one', () => {
    assert.deepEqual(cli(['keys', 'list']), { code: 0, stdout: 'No signing keys yet (the first is made when the first token is signed).\n', stderr: '' });
    const refused = cli(['keys', 'rotate']);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, "smart-ehr-plugin: keys rotate needs the plugin secret in SMART_PLUGIN_SECRET (the same as the plugin's `secret` option)\n");
    const env = { SMART_EHR_DB: `sqlite:${dbFile}`, SMART_PLUGIN_SECRET: 'cli-secret-0123456789-0123456789-0123456' };
    const first = cli(['keys', 'rotate', '--retire-after', '600'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^New signing key [A-Za-z0-9_-]{16} is active; previous keys stay published for 600 seconds\.\n$/);
    cli(['keys', 'rotate'], env);
    const listed = cli(['keys', 'list']).stdout.trim().split('\n');
    assert.equal(listed[0], 'KID\tALG\tSTATUS\tCREATED\tRETIRES');
    assert.deepEqual(listed.slice(1).map((line) => line.split('\t').slice(1, 3)), [['RS256', 'active'], ['RS256', 'retiring']]);
  });

  it('reports an unreachable database without a stack trace or the URL\'s password', () => {
    const { code, stderr } = cli(['migrate', '--db', 'postgres://admin:hunter2@127.0.0.1:1/nothing']);
    assert.equal(code, 1);
    assert.match(stderr, /^smart-ehr-plugin: failed: /);
    assert.doesNotMatch(stderr, /hunter2|\n\s+at /);
  });

  it('rejects unknown options and commands with exit code 2', () => {
    assert.equal(cli(['clients', 'add', '--id', 'x', '--bogus']).code, 2);
    assert.match(cli(['frobnicate']).stderr, /^smart-ehr-plugin: unknown command frobnicate/);
  });
});
