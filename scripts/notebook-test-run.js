'use strict';
/**
 * One notebook execution shared by the test files of one test run (test/notebooks.test.ts, test/browser.test.ts).
 *
 * `node --test` runs each test file in its own process, all children of the same runner; the first file to ask
 * executes notebooks/*.ipynb with scripts/run-notebooks.js into a temp folder keyed by the runner's pid and a hash of
 * the inputs, under a lock; the others wait for it and reuse the result. A test file run without `--test` executes
 * on its own. Folders of finished runners are removed by the next run.
 * The build is skipped under `npm test` (it builds first) and done otherwise.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { ROOT } = require('./jupyter');
const u = require('./notebook-utils');

const PREFIX = 'conviction-voting-nbtest-';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Hash of what the execution depends on: the notebooks, these scripts and src/ (when building) or dist/. */
function inputsHash(build) {
  const h = crypto.createHash('sha1');
  const add = (file) => {
    h.update(path.relative(ROOT, file));
    h.update(fs.readFileSync(file));
  };
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) add(p);
    }
  };
  for (const f of u.notebookFiles(path.join(ROOT, 'notebooks'))) add(f);
  walk(path.join(ROOT, build ? 'src' : 'dist'));
  for (const f of ['run-notebooks.js', 'jupyter.js', 'notebook-utils.js', 'nbconvert_config.py', 'report-math.js']) add(path.join(__dirname, f));
  return h.digest('hex').slice(0, 12);
}

/** Removes the run folders of test runners that have exited. */
function collectGarbage() {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    const m = name.startsWith(PREFIX) && /^(\d+)-/.exec(name.slice(PREFIX.length));
    if (m && Number(m[1]) !== process.ppid && Number(m[1]) !== process.pid && !alive(Number(m[1]))) {
      fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
    }
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function execute(dir, build) {
  return new Promise((resolve) => {
    const args = [path.join(__dirname, 'run-notebooks.js'), '--out', dir, '--json', path.join(dir, 'summary.json')];
    if (!build) args.push('--no-build');
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => (stderr += String(e)));
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr, seconds: (Date.now() - t0) / 1000 }));
  });
}

/**
 * Executes the notebooks once per test run; resolves { dir, exitCode, stdout, stderr, seconds, summary, reused }.
 * `summary` is run-notebooks' --json output ({ ok, results: [{ name, ok, notebook, html, errors, figures... }] })
 * or null when the run broke before writing it (then see exitCode / stderr; exit code 2 means no Jupyter).
 */
async function executeNotebooksOnce({ build = process.env.npm_lifecycle_event !== 'test' } = {}) {
  collectGarbage();
  // Under `node --test` (NODE_TEST_CONTEXT set) share with the sibling test files; run alone, share with nobody.
  const owner = process.env.NODE_TEST_CONTEXT ? process.ppid : process.pid;
  const dir = path.join(os.tmpdir(), `${PREFIX}${owner}-${inputsHash(build)}`);
  const lock = `${dir}.lock`;
  const doneFile = path.join(dir, 'done.json');
  const finish = (reused) => {
    const done = JSON.parse(fs.readFileSync(doneFile, 'utf8'));
    const summaryFile = path.join(dir, 'summary.json');
    const summary = fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, 'utf8')) : null;
    return { dir, ...done, summary, reused };
  };
  for (;;) {
    if (fs.existsSync(doneFile)) return finish(true);
    try {
      fs.mkdirSync(lock);
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        // the owner is about to write its pid
      }
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    try {
      if (fs.existsSync(doneFile)) return finish(true);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const result = await execute(dir, build);
      u.writeFileAtomic(doneFile, JSON.stringify(result));
      return finish(false);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

module.exports = { executeNotebooksOnce };
