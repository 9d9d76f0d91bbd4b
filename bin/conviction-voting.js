#!/usr/bin/env node
'use strict';
// The compiled CLI (built on install by `npm ci` / `npm install` through `prepare`).
let cli;
try {
  cli = require('../dist/cli/thread.js');
} catch (e) {
  process.stderr.write('conviction-voting: the library is not built; run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
cli.runCliProcess(process.argv.slice(2));
