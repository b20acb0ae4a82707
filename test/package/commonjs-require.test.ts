import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';

const root = new URL('../..', import.meta.url);

// A CommonJS host loads the built package by name (npm test builds dist/ first).
describe('package entry points', () => {
  it('works with require() from a CommonJS host on Node 20.19+', () => {
    const script = `
      const plugin = require('smart-ehr-plugin');
      const manifest = require('smart-ehr-plugin/plugin.json');
      console.log(JSON.stringify({ factory: typeof plugin.createSmartPlugin, error: typeof plugin.ConfigurationError, name: manifest.name }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(output), { factory: 'function', error: 'function', name: 'smart-ehr-plugin' });
  });

  it('works with import from an ESM host, with type declarations beside it', async () => {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e',
      "const m = await import('smart-ehr-plugin'); console.log(Object.keys(m).sort().join(','))"], { cwd: root, encoding: 'utf8' });
    assert.equal(output.trim(), 'ConfigurationError,DuplicateClientError,FhirRequestError,InvalidRegistrationError,LaunchError,createSmartPlugin,mssqlInstallScript,verifyPasswordHash');
    execFileSync('test', ['-f', 'dist/src/index.d.ts'], { cwd: root });
  });
});
