/**
 * `npm run kernel` (scripts/jupyter.js --user) registers "Conviction Voting (TypeScript)" in the user's own Jupyter:
 * `jupyter kernelspec list` shows it, a notebook opened from anywhere runs on it by the name in its metadata, it is
 * idempotent and `--uninstall` removes it. Every run uses a temporary HOME / JUPYTER_DATA_DIR, never the real one,
 * and no JUPYTER_PATH, so only the user-level registration can be found.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as nb from '../scripts/notebook-utils.js';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'jupyter.js');
const NAME = nb.projectKernelspec().name;
const DISPLAY = nb.projectKernelspec().display_name;

/** The environment of a user whose home is `home`: no Jupyter variables of ours or of the caller's. */
function userEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...extra };
  for (const k of ['JUPYTER_PATH', 'JUPYTER_DATA_DIR', 'JUPYTER_CONFIG_DIR', 'JUPYTER_RUNTIME_DIR', 'XDG_DATA_HOME']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

function kernelCmd(env: NodeJS.ProcessEnv, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [SCRIPT, ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

/** `jupyter kernelspec list --json` as that user: { name: { resource_dir, spec } }. */
function kernelspecs(env: NodeJS.ProcessEnv): Record<string, { resource_dir: string; spec: { display_name: string; argv: string[] } }> {
  const r = spawnSync('jupyter', ['kernelspec', 'list', '--json'], { env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `jupyter kernelspec list failed (is Jupyter installed? bash scripts/setup.sh):\n${r.stderr}`);
  return JSON.parse(r.stdout).kernelspecs;
}

describe('npm run kernel (a kernel for the user\'s own Jupyter)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-kernel-test-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('registers it in the user data dir; jupyter kernelspec list shows it; re-running changes nothing', () => {
    const home = path.join(tmp, 'home-a');
    fs.mkdirSync(home);
    const env = userEnv(home);
    assert.equal(kernelspecs(env)[NAME], undefined, 'a fresh user has no such kernel');

    const first = kernelCmd(env, '--user');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /installed in /);
    const specs = kernelspecs(env);
    assert.ok(specs[NAME], `not listed: ${Object.keys(specs).join(', ')}`);
    assert.equal(specs[NAME].resource_dir, path.join(home, '.local', 'share', 'jupyter', 'kernels', NAME));
    assert.equal(specs[NAME].spec.display_name, DISPLAY);
    const [node, tslab] = specs[NAME].spec.argv;
    assert.equal(node, process.execPath);
    assert.equal(tslab, path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab'));

    const file = path.join(specs[NAME].resource_dir, 'kernel.json');
    const before = fs.readFileSync(file, 'utf8');
    const mtime = fs.statSync(file).mtimeMs;
    const second = kernelCmd(env, '--user');
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /already installed/);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.equal(fs.statSync(file).mtimeMs, mtime, 'an unchanged spec is not rewritten');
  });

  it('runs a notebook from the user\'s Jupyter by the kernel name in its metadata, with execution counts', { timeout: 300_000 }, () => {
    const home = path.join(tmp, 'home-b');
    fs.mkdirSync(home);
    const env = userEnv(home);
    assert.equal(kernelCmd(env, '--user').status, 0);
    const out = path.join(tmp, 'executed');
    // No --ExecutePreprocessor.kernel_name: nbconvert takes the kernel from the notebook's metadata, as JupyterLab does.
    const r = spawnSync(
      'jupyter',
      ['nbconvert', '--to', 'notebook', '--execute', path.join(ROOT, 'notebooks', 'smoke.ipynb'), '--output-dir', out,
        '--config', path.join(ROOT, 'scripts', 'nbconvert_config.py'), '--ExecutePreprocessor.timeout=240'],
      { env, encoding: 'utf8', timeout: 280_000, cwd: ROOT },
    );
    assert.equal(r.status, 0, r.stderr);
    const doc = nb.readNotebook(path.join(out, 'smoke.ipynb'));
    assert.deepEqual(nb.notebookErrors(doc).map(nb.describeError), []);
    const printed = doc.cells.flatMap((c) => c.outputs ?? []).map((o) => nb.text(o.text)).join('');
    assert.match(printed, /conviction-voting exports \d+ names/, 'the kernel imported the project\'s dist');
    const counts = doc.cells.filter((c) => c.cell_type === 'code').map((c) => c.execution_count);
    assert.deepEqual(counts, counts.map((_, i) => i + 1));
  });

  it('honours JUPYTER_DATA_DIR, and --uninstall removes it (idempotently)', () => {
    const home = path.join(tmp, 'home-c');
    const data = path.join(tmp, 'data-c');
    fs.mkdirSync(home);
    const env = userEnv(home, { JUPYTER_DATA_DIR: data });
    assert.equal(kernelCmd(env, '--user').status, 0);
    assert.equal(kernelspecs(env)[NAME]?.resource_dir, path.join(data, 'kernels', NAME));
    assert.equal(fs.existsSync(path.join(home, '.local')), false, 'nothing written to HOME');

    const un = kernelCmd(env, '--user', '--uninstall');
    assert.equal(un.status, 0, un.stderr);
    assert.match(un.stdout, /removed /);
    assert.equal(kernelspecs(env)[NAME], undefined);
    const again = kernelCmd(env, '--user', '--uninstall');
    assert.equal(again.status, 0);
    assert.match(again.stdout, /nothing to remove/);
  });

  it('replaces the "tslab" spec an earlier version installed for this project, and leaves anyone else\'s', () => {
    const home = path.join(tmp, 'home-d');
    const kernels = path.join(home, '.local', 'share', 'jupyter', 'kernels');
    const write = (name: string, argv: string[]) => {
      fs.mkdirSync(path.join(kernels, name), { recursive: true });
      fs.writeFileSync(path.join(kernels, name, 'kernel.json'), JSON.stringify({ argv, display_name: 'TypeScript (tslab)', language: 'typescript' }));
    };
    write('tslab', [process.execPath, path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}']);
    const env = userEnv(home);
    assert.equal(kernelCmd(env, '--user').status, 0);
    const mine = () => Object.entries(kernelspecs(env)).filter(([, k]) => k.resource_dir.startsWith(home)).map(([n]) => n).sort();
    assert.deepEqual(mine(), [NAME]);

    // Someone's own tslab (`tslab install`) stays.
    write('tslab', ['tslab', 'kernel', '--config-path', '{connection_file}']);
    assert.equal(kernelCmd(env, '--user', '--uninstall').status, 0);
    assert.deepEqual(mine(), ['tslab']);
  });

  it('rejects bad usage with one line and exit 2', () => {
    const env = userEnv(path.join(tmp, 'nobody'));
    const bad = kernelCmd(env, '--usr');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr.split('\n')[0], /^kernel: unknown argument --usr$/);
    const lonely = kernelCmd(env, '--uninstall');
    assert.equal(lonely.status, 2);
    assert.match(lonely.stderr, /^kernel: --uninstall goes with --user/);
    assert.equal(fs.existsSync(path.join(tmp, 'nobody')), false, 'nothing written');
  });
});
