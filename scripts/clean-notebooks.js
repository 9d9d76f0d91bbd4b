#!/usr/bin/env node
'use strict';
/**
 * Strips outputs, execution counts and execution metadata from notebooks/*.ipynb (or the files given), in place
 * and atomically, so they can be committed. `--check` only lists the problems and exits 1 if there are any.
 */
const path = require('path');
const fs = require('fs');
const u = require('./notebook-utils');

const args = process.argv.slice(2);
const check = args.includes('--check');
const files = args.filter((a) => !a.startsWith('--'));
const targets = files.length ? files.map((f) => path.resolve(f)) : u.notebookFiles(path.join(__dirname, '..', 'notebooks'));

let dirty = 0;
for (const file of targets) {
  const nb = u.readNotebook(file);
  const problems = u.cleanlinessProblems(nb);
  if (check) {
    if (problems.length) {
      dirty++;
      console.log(`${path.relative(process.cwd(), file)}: ${problems.join('; ')}`);
    }
    continue;
  }
  const original = fs.readFileSync(file, 'utf8');
  const cleaned = `${JSON.stringify(u.cleanNotebook(nb), null, 1)}\n`;
  if (cleaned !== original) {
    u.writeFileAtomic(file, cleaned);
    console.log(`cleaned ${path.relative(process.cwd(), file)}`);
  }
  const left = u.cleanlinessProblems(u.cleanNotebook(nb));
  if (left.length) console.log(`${path.relative(process.cwd(), file)}: still ${left.join('; ')} (fix by hand)`);
}
if (check && dirty) {
  console.log('run `node scripts/clean-notebooks.js` to strip them');
  process.exit(1);
}
