'use strict';
/**
 * Jupyter helpers shared by the notebook scripts: find a working `jupyter`, register the project's tslab kernel
 * (a kernelspec with absolute paths, in a project-local Jupyter data dir put on JUPYTER_PATH) and the install hint.
 *
 * CLI: `node scripts/jupyter.js` registers the kernel project-locally and prints the JUPYTER_PATH to use;
 * `node scripts/jupyter.js --user` also installs it in the user's Jupyter data dir, for Jupyter started by hand.
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const KERNEL_NAME = 'tslab';
/** Project-local Jupyter data dir (node_modules is per checkout and gitignored; npm ci wipes it, we re-create it). */
const LOCAL_JUPYTER_DATA = path.join(ROOT, 'node_modules', '.cache', 'conviction-voting', 'jupyter');

const INSTALL_HINT = [
  'Jupyter (with nbconvert and nbclient) is needed to run the notebooks. Install it:',
  '  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y --no-install-recommends \\',
  '                   jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel',
  '                 (or: bash scripts/setup.sh)',
  '  elsewhere:     pip install notebook nbconvert',
  'If it is installed somewhere unusual, point JUPYTER at the jupyter executable.',
].join('\n');

/** Environment for Jupyter child processes: the project's kernel dir first on JUPYTER_PATH, no debugger noise. */
function jupyterEnv(base = process.env) {
  const parts = [LOCAL_JUPYTER_DATA, ...(base.JUPYTER_PATH ? base.JUPYTER_PATH.split(path.delimiter) : [])];
  return {
    ...base,
    JUPYTER_PATH: [...new Set(parts)].join(path.delimiter),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
}

function works(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: jupyterEnv(), timeout: 60000 });
  return r.status === 0 ? (r.stdout || r.stderr).trim() : null;
}

/**
 * The first jupyter that has nbconvert (and nbclient, which nbconvert --execute needs): $JUPYTER, `jupyter` on
 * PATH, /usr/bin/jupyter. Returns { cmd, nbconvert } or null.
 */
function findJupyter() {
  const candidates = [process.env.JUPYTER, 'jupyter', '/usr/bin/jupyter', '/usr/local/bin/jupyter'].filter(Boolean);
  for (const cmd of [...new Set(candidates)]) {
    const nbconvert = works(cmd, ['nbconvert', '--version']);
    if (!nbconvert) continue;
    // nbconvert's own python must have nbclient; the kernelspec list proves jupyter_client works too.
    if (works(cmd, ['kernelspec', 'list']) === null) continue;
    return { cmd, nbconvert };
  }
  return null;
}

/** findJupyter() or print how to install Jupyter and exit(2). */
function requireJupyter() {
  const j = findJupyter();
  if (!j) {
    process.stderr.write(`${INSTALL_HINT}\n`);
    process.exit(2);
  }
  return j;
}

/** The kernelspec: this node running node_modules/tslab/bin/tslab, so neither `tslab` nor `node` need be on PATH. */
function kernelSpec() {
  const tslabBin = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
  if (!fs.existsSync(tslabBin)) throw new Error(`tslab is not installed (${tslabBin} missing): run npm ci`);
  return {
    argv: [process.execPath, tslabBin, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
  };
}

function writeIfChanged(file, content) {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch {
    // missing
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
  return true;
}

/** Registers the tslab kernel in `dataDir` (default the project-local one); idempotent. Returns the kernel dir. */
function ensureKernel(dataDir = LOCAL_JUPYTER_DATA) {
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  writeIfChanged(path.join(dir, 'kernel.json'), `${JSON.stringify(kernelSpec(), null, 2)}\n`);
  // plotly.js for classic Notebook: every figure output loads it from {base_url}nbextensions/ on its own.
  try {
    require(path.join(ROOT, 'dist', 'display', 'plotly-source.js')).installPlotlyNbextension(dataDir);
  } catch (e) {
    process.stderr.write(`jupyter: plotly.js not installed as a Notebook asset (${e.message.split('\n')[0]}); ` +
      'figures will show their static images until `npm run build` and this runs again\n');
  }
  return dir;
}

module.exports = { ROOT, KERNEL_NAME, LOCAL_JUPYTER_DATA, INSTALL_HINT, jupyterEnv, findJupyter, requireJupyter, ensureKernel };

if (require.main === module) {
  const dir = ensureKernel();
  console.log(`tslab kernel registered in ${dir}`);
  console.log(`use it from a hand-started Jupyter with: export JUPYTER_PATH=${LOCAL_JUPYTER_DATA}`);
  if (process.argv.includes('--user')) {
    const j = requireJupyter();
    const r = spawnSync(j.cmd, ['--data-dir'], { encoding: 'utf8', env: jupyterEnv() });
    if (r.status !== 0) throw new Error(`jupyter --data-dir failed: ${r.stderr}`);
    console.log(`tslab kernel installed for this user in ${ensureKernel(r.stdout.trim())}`);
  }
}
