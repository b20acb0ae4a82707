#!/usr/bin/env node
// The smart-ehr-plugin command. Runs the compiled CLI (npm install builds dist/ through `prepare`).
import { main } from '../dist/src/cli/main.js';

const out = { line: (text) => process.stdout.write(`${text}\n`), error: (text) => process.stderr.write(`${text}\n`) };
process.exitCode = await main(process.argv.slice(2), out);
