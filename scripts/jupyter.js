'use strict';
/**
 * Jupyter helpers shared by the notebook scripts: find a working `jupyter`, register the project's tslab kernel
 * (a kernelspec with absolute paths, in a project-local Jupyter data dir put on JUPYTER_PATH) and the install hint.
 *
 * CLI: `node scripts/jupyter.js` registers the kernel project-locally and prints the JUPYTER_PATH to use;
 * `node scripts/jupyter.js --user` (`npm run kernel`) installs it in the user's Jupyter data dir instead, for
 * JupyterLab, Notebook or VS Code started anywhere; add `--uninstall` to remove it again.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
/** The kernel's name in every Jupyter data dir and in the notebooks' metadata (kernelspec.name). */
const KERNEL_NAME = 'conviction-voting';
const KERNEL_DISPLAY_NAME = 'Conviction Voting (TypeScript)';
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

/**
 * The kernelspec: this node running the project's node_modules/tslab/bin/tslab, so neither `tslab` nor `node` need
 * be on PATH and a tslab installed elsewhere (`tslab install` names its kernel "tslab") never shadows it.
 */
function kernelSpec() {
  const tslabBin = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
  if (!fs.existsSync(tslabBin)) throw new Error(`kernel: tslab is not installed (${tslabBin} missing): run npm ci`);
  return {
    argv: [process.execPath, tslabBin, 'kernel', '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    // Where it points, so a second clone's `npm run kernel` can say whose kernel it replaces.
    metadata: { conviction_voting: { project: ROOT } },
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

/** The kernelspec in `dataDir`/kernels/NAME as parsed JSON, or null when there is none (or it is unreadable). */
function readSpec(dataDir, name = KERNEL_NAME) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'kernels', name, 'kernel.json'), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Registers the project's kernel in the Jupyter data dir `dataDir` (default the project-local one): writes
 * `dataDir/kernels/conviction-voting/kernel.json`. Idempotent (unchanged files are not rewritten). Everything the
 * front-ends need from the data dir is installed here, so the project-local and the user-level registrations match.
 * Returns { dir, changed, previous } (previous: the project the spec pointed to before, when another one).
 */
function registerKernel(dataDir = LOCAL_JUPYTER_DATA) {
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  const old = readSpec(dataDir);
  const oldProject = old && old.metadata && old.metadata.conviction_voting && old.metadata.conviction_voting.project;
  const changed = writeIfChanged(path.join(dir, 'kernel.json'), `${JSON.stringify(kernelSpec(), null, 2)}\n`);
  // plotly.js for classic Notebook: every figure output loads it from {base_url}nbextensions/ on its own.
  try {
    require(path.join(ROOT, 'dist', 'display', 'plotly-source.js')).installPlotlyNbextension(dataDir);
  } catch (e) {
    process.stderr.write(`jupyter: plotly.js not installed as a Notebook asset (${e.message.split('\n')[0]}); ` +
      'figures will show their static images until `npm run build` and this runs again\n');
  }
  return { dir, changed, previous: oldProject && oldProject !== ROOT ? oldProject : null };
}

/** The earlier name of this kernel ("tslab"); removed from a data dir only where its spec runs this project's tslab. */
const LEGACY_KERNEL_NAME = 'tslab';

function isOurLegacyKernel(dataDir) {
  const spec = readSpec(dataDir, LEGACY_KERNEL_NAME);
  const ours = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
  return Boolean(spec && Array.isArray(spec.argv) && spec.argv[1] === ours);
}

/**
 * Removes the project's kernel from `dataDir` (and the "tslab" spec an earlier version of this script installed
 * there, when it runs this project's tslab). Returns the removed dirs; none when nothing was registered.
 */
function unregisterKernel(dataDir) {
  const removed = [];
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  if (fs.existsSync(dir)) {
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  if (isOurLegacyKernel(dataDir)) {
    const legacy = path.join(dataDir, 'kernels', LEGACY_KERNEL_NAME);
    fs.rmSync(legacy, { recursive: true, force: true });
    removed.push(legacy);
  }
  return removed;
}

/**
 * The user's Jupyter data dir, where a Jupyter started by hand (or VS Code) looks for kernels: `jupyter --data-dir`
 * when Jupyter is installed, else Jupyter's own default for this platform (so VS Code finds the kernel without it).
 * Returns { dir, jupyter } (jupyter: the command that answered, or null).
 */
function userDataDir(env = process.env) {
  const candidates = [env.JUPYTER, 'jupyter', '/usr/bin/jupyter', '/usr/local/bin/jupyter'].filter(Boolean);
  for (const cmd of [...new Set(candidates)]) {
    const r = spawnSync(cmd, ['--data-dir'], { encoding: 'utf8', env, timeout: 60000 });
    if (r.status === 0 && r.stdout.trim()) return { dir: r.stdout.trim(), jupyter: cmd };
  }
  const home = env.HOME || os.homedir();
  let dir;
  if (env.JUPYTER_DATA_DIR) dir = path.resolve(env.JUPYTER_DATA_DIR);
  else if (process.platform === 'darwin') dir = path.join(home, 'Library', 'Jupyter');
  else if (process.platform === 'win32') dir = path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'jupyter');
  else dir = path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'jupyter');
  return { dir, jupyter: null };
}

/** Alias kept for the scripts that call it by its earlier name. */
const ensureKernel = (dataDir) => registerKernel(dataDir).dir;

module.exports = {
  ROOT, KERNEL_NAME, KERNEL_DISPLAY_NAME, LOCAL_JUPYTER_DATA, INSTALL_HINT,
  jupyterEnv, findJupyter, requireJupyter, kernelSpec, registerKernel, unregisterKernel, ensureKernel, userDataDir,
};

const USAGE = `Usage: node scripts/jupyter.js [--user] [--uninstall]
  (no flag)    register the kernel "${KERNEL_DISPLAY_NAME}" (${KERNEL_NAME}) project-locally, for npm start / npm run lab
  --user       register it in your own Jupyter data dir (npm run kernel), so JupyterLab, Notebook and VS Code
               started anywhere list it; re-run after moving the project or changing node
  --uninstall  with --user: remove it from your Jupyter data dir (npm run kernel -- --uninstall)
`;

function main(argv) {
  const known = ['--user', '--uninstall', '-h', '--help'];
  const bad = argv.find((a) => !known.includes(a));
  if (bad || argv.includes('-h') || argv.includes('--help')) {
    (bad ? process.stderr : process.stdout).write(`${bad ? `kernel: unknown argument ${bad}\n` : ''}${USAGE}`);
    return bad ? 2 : 0;
  }
  const user = argv.includes('--user');
  if (argv.includes('--uninstall')) {
    if (!user) {
      process.stderr.write('kernel: --uninstall goes with --user (the project-local kernel lives in node_modules)\n');
      return 2;
    }
    const dataDir = userDataDir().dir;
    const removed = unregisterKernel(dataDir);
    console.log(removed.length ? `removed ${removed.join(', ')}` : `no ${KERNEL_NAME} kernel in ${dataDir}; nothing to remove`);
    return 0;
  }
  if (!user) {
    const { dir } = registerKernel();
    console.log(`kernel "${KERNEL_DISPLAY_NAME}" registered in ${dir}`);
    console.log(`use it from a hand-started Jupyter with: export JUPYTER_PATH=${LOCAL_JUPYTER_DATA}`);
    console.log('or register it for your own Jupyter and VS Code: npm run kernel');
    return 0;
  }
  const { dir: dataDir, jupyter } = userDataDir();
  const { dir, changed, previous } = registerKernel(dataDir);
  if (isOurLegacyKernel(dataDir)) fs.rmSync(path.join(dataDir, 'kernels', LEGACY_KERNEL_NAME), { recursive: true, force: true });
  if (previous) console.log(`replaced the ${KERNEL_NAME} kernel of ${previous} (one kernel of this name per user)`);
  console.log(`kernel "${KERNEL_DISPLAY_NAME}" (${KERNEL_NAME}) ${changed ? 'installed' : 'already installed'} in ${dir}`);
  console.log(`it runs ${path.join(ROOT, 'node_modules', 'tslab')} with ${process.execPath}`);
  if (!jupyter) console.log('(Jupyter itself is not installed here; VS Code and a later Jupyter will still find it)');
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`kernel: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
  }
}
