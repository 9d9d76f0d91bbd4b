/**
 * A real kernel interrupt: a tslab kernel started by Jupyter's own client (the kernelspec's
 * interrupt_mode is 'signal', as a notebook's stop button uses) runs a long experiment on two
 * compute threads; interrupting it must stop every thread of that experiment within 1 s, and the
 * same kernel must then run another experiment. Drives test/fixtures/interrupt_kernel.py; needs
 * the built dist/ (npm test builds it) and python3's jupyter_client (Debian: python3-jupyter-client).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..');

/** A python3 that has jupyter_client: Debian's first, since `python3` on PATH may be another one. */
function findPython(): string {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import jupyter_client'], { stdio: 'ignore' }).status === 0) return py;
  }
  throw new Error('python3 with jupyter_client is needed: sudo apt-get install python3-jupyter-client (or bash scripts/setup.sh)');
}

interface Driven {
  cpuIdleBefore: number;
  cpuBefore: number;
  cpuAfter: number;
  cpuIdle: number;
  secondsToMeasure: number;
  long: [string, string, number];
  baseline: [string, string, number];
  after: [string, string, number];
}

describe('#.runConvictionExperiment (kernel interrupt)', () => {
  it('should stop every worker thread within 1 s of a kernel interrupt, and the next experiment should run', () => {
    const python = findPython();
    const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-kernel-'));
    try {
      const spec = {
        argv: [process.execPath, path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'],
        display_name: 'conviction voting interrupt test',
        language: 'typescript',
        interrupt_mode: 'signal',
      };
      fs.mkdirSync(path.join(jupyterPath, 'kernels', 'cv-interrupt'), { recursive: true });
      fs.writeFileSync(path.join(jupyterPath, 'kernels', 'cv-interrupt', 'kernel.json'), JSON.stringify(spec));
      const r = spawnSync(
        python,
        [path.join(__dirname, 'fixtures', 'interrupt_kernel.py'), 'cv-interrupt', ROOT, path.join(ROOT, 'dist')],
        { encoding: 'utf8', timeout: 300_000, env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' } },
      );
      assert.equal(r.status, 0, r.stderr);
      const d = JSON.parse(r.stdout.trim().split('\n').pop()!) as Driven;
      console.log(
        `kernel CPU (cores): idle ${d.cpuIdleBefore.toFixed(2)}, running ${d.cpuBefore.toFixed(2)}, ` +
          `0.5-1 s after the interrupt ${d.cpuAfter.toFixed(2)}, later ${d.cpuIdle.toFixed(2)}; ` +
          `small experiment ${d.baseline[2].toFixed(1)} s before, ${d.after[2].toFixed(1)} s after (cell wall time, busy machine)`,
      );
      // The experiment really was computing before the interrupt...
      assert.ok(d.cpuBefore > 0.15, `the long experiment should be using CPU, got ${d.cpuBefore}`);
      // ...and nothing of it runs from 0.5 s to 1 s after it.
      assert.ok(d.secondsToMeasure <= 1.2, `measured within ${d.secondsToMeasure} s`);
      assert.ok(d.cpuAfter <= 0.1, `kernel should be idle within 1 s of the interrupt, used ${d.cpuAfter} cores`);
      assert.ok(d.cpuIdle <= 0.1, `kernel should stay idle, used ${d.cpuIdle} cores`);
      assert.match(d.long[1], /Interrupted/);
      assert.doesNotMatch(d.long[1], /LONG FINISHED/);
      assert.match(d.after[1], /SMALL 40 0/);
    } finally {
      fs.rmSync(jupyterPath, { recursive: true, force: true });
    }
  });
});
