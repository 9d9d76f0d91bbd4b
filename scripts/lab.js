#!/usr/bin/env node
'use strict';
/**
 * `npm run lab`: opens Jupyter on notebooks/ with the project's tslab kernel registered (JupyterLab when installed,
 * else the classic Notebook). Builds dist/ first unless --no-build. Extra arguments go to Jupyter, e.g.
 * `npm run lab -- --no-browser --port 8899`. Notebooks import the compiled library: after changing src/, run
 * `npm run build` and restart the kernel.
 */
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { ROOT, LOCAL_JUPYTER_DATA, KERNEL_DISPLAY_NAME, requireJupyter, registerKernel, jupyterEnv } = require('./jupyter');

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const passThrough = args.filter((a) => a !== '--no-build');

if (build) {
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (b.status !== 0) console.error('lab: npm run build failed; notebooks will see the previous dist/ (if any)');
}
const jupyter = requireJupyter();
registerKernel();
const env = jupyterEnv();
const has = (sub) => spawnSync(jupyter.cmd, [sub, '--version'], { env, stdio: 'ignore', timeout: 60000 }).status === 0;
const app = has('lab') ? 'lab' : has('notebook') ? 'notebook' : null;
if (!app) {
  console.error('lab: neither `jupyter lab` nor `jupyter notebook` is installed.');
  console.error('  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends jupyter-notebook');
  console.error('  elsewhere:     pip install jupyterlab   (or: pip install notebook)');
  process.exit(2);
}
const jupyterArgs = [app, `--notebook-dir=${path.join(ROOT, 'notebooks')}`];
// Jupyter refuses to run as root without this (containers, CI machines).
if (process.getuid && process.getuid() === 0 && !passThrough.includes('--allow-root')) jupyterArgs.push('--allow-root');
jupyterArgs.push(...passThrough);
console.log(`starting jupyter ${app} on notebooks/ (kernel "${KERNEL_DISPLAY_NAME}", JUPYTER_PATH=${LOCAL_JUPYTER_DATA}); Ctrl-C to stop`);
const child = spawn(jupyter.cmd, jupyterArgs, { cwd: ROOT, env, stdio: 'inherit' });
// Ctrl-C reaches Jupyter through the terminal's process group: let it ask / shut down and wait for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
