import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CancelledError, RunError } from '../src/engine/errors';
import { execute } from '../src/engine/executor';
import { runConvictionExperiment } from '../src/models/v1/experiment';
import type { Fault } from './fixtures/faulty-experiment';

const toy = (args: object) => ({ module: path.join(__dirname, 'fixtures', 'toy-experiment.ts'), export: 'buildToy', args });

describe('#.execute', () => {
  it('should throw if the seed is not a finite number or a non-empty string', async () => {
    await assert.rejects(execute(toy({ runs: 1, timesteps: 1, failRun: 0, step: [1] }), { seed: NaN }), /seed must be/);
    await assert.rejects(execute(toy({ runs: 1, timesteps: 1, failRun: 0, step: [1] }), { seed: '' }), /seed must be/);
  });

  it('should throw if the factory is not exported by the module', async () => {
    await assert.rejects(
      execute({ module: path.join(__dirname, 'fixtures', 'toy-experiment.ts'), export: 'nope', args: {} }, { seed: 1 }),
      /'nope' is not a function/,
    );
  });

  it("should report a failing run with its simulation, subset and run, and keep the others with onError 'collect' (1 and 2 workers)", async () => {
    for (const workers of [1, 2]) {
      const r = await execute(toy({ runs: 3, timesteps: 5, failRun: 2, step: [1, 2] }), { seed: 5, workers, onError: 'collect' });
      // 2 subsets x 3 runs; run 2 of each subset throws.
      assert.equal(r.failures.length, 2, `workers=${workers}`);
      assert.deepEqual(
        r.failures.map((f) => [f.simulation, f.subset, f.run]),
        [
          [0, 0, 2],
          [0, 1, 2],
        ],
      );
      assert.match(
        r.failures[0].error.message,
        /^execute: run failed \(simulation 0, subset 0, run 2, timestep 3, substep 1, block 1 \(walk\)\): toy: run 2 fails on purpose$/,
      );
      assert.ok(r.failures[0].error instanceof RunError);
      assert.deepEqual(
        r.results.map((x) => [x.subset, x.run]),
        [
          [0, 1],
          [0, 3],
          [1, 1],
          [1, 3],
        ],
      );
      assert.equal(r.results[0].records.length, 6);
    }
  });

  it('should give the same results with 1 and 2 workers, in the same order', async () => {
    const a = await execute(toy({ runs: 4, timesteps: 20, failRun: 0, step: [1, 3] }), { seed: 'w', workers: 1 });
    const b = await execute(toy({ runs: 4, timesteps: 20, failRun: 0, step: [1, 3] }), { seed: 'w', workers: 2 });
    assert.deepEqual(b.results, a.results);
    // The sweep really changed the walk: subset 1 steps three times as far.
    assert.notDeepEqual(a.results[0].metrics, a.results[4].metrics);
  });

  it('should hand every outcome to onOutcome in job order, and keep none when collect is false (1 and 2 workers)', async () => {
    for (const workers of [1, 2]) {
      const seen: Array<[number, number, number, boolean]> = [];
      const r = await execute(toy({ runs: 4, timesteps: 3, failRun: 2, step: [1, 2] }), {
        seed: 9,
        workers,
        collect: false,
        onError: 'collect',
        onOutcome: (o) => {
          const id = 'result' in o ? o.result : o.failure;
          seen.push([o.index, id.subset, id.run, 'result' in o]);
        },
      });
      assert.deepEqual(r.results, [], `workers=${workers}`);
      assert.deepEqual(r.failures, [], `workers=${workers}`);
      // 2 subsets x 4 runs in planJobs order; run 2 of each subset fails on purpose.
      const expected: Array<[number, number, number, boolean]> = [];
      for (let subset = 0; subset < 2; subset++) {
        for (let run = 1; run <= 4; run++) expected.push([subset * 4 + run - 1, subset, run, run !== 2]);
      }
      assert.deepEqual(seen, expected, `workers=${workers}`);
    }
  });

  it('should call onProgress once per run, ending at (total, total)', async () => {
    const calls: Array<[number, number]> = [];
    await execute(toy({ runs: 3, timesteps: 2, failRun: 2, step: [1] }), {
      seed: 1,
      workers: 2,
      onError: 'collect',
      onProgress: (d, t) => calls.push([d, t]),
    });
    assert.deepEqual(
      calls.map((c) => c[0]),
      [1, 2, 3],
    );
    assert.ok(calls.every((c) => c[1] === 3));
  });
});

describe('#.runConvictionExperiment', () => {
  it('should give identical records and metrics with 1 and 2 workers (networks cross threads intact)', async () => {
    const args = { simulations: [{ runs: 3, timesteps: 15 }, { runs: 1, timesteps: 15, params: { rho: 0.002 } }] };
    const a = await runConvictionExperiment(args, { seed: 3, keep: 'all', workers: 1 });
    const b = await runConvictionExperiment(args, { seed: 3, keep: 'all', workers: 2 });
    assert.equal(b.results.length, 4);
    assert.deepEqual(
      b.results.map((r) => [r.simulation, r.subset, r.run]),
      [
        [0, 0, 1],
        [0, 0, 2],
        [0, 0, 3],
        [1, 0, 1],
      ],
    );
    for (let k = 0; k < a.results.length; k++) {
      assert.deepEqual(b.results[k].metrics, a.results[k].metrics);
      const ra = a.results[k].records;
      const rb = b.results[k].records;
      assert.equal(rb.length, 61);
      for (const i of [0, 1, 17, 33, 60]) {
        assert.deepEqual(rb[i].network.toGraph().export(), ra[i].network.toGraph().export());
        assert.equal(rb[i].funds, ra[i].funds);
        assert.ok(rb[i].network.isFrozen, 'records from workers are read-only too');
      }
    }
    assert.deepEqual(b.params[1][0].rho, 0.002);
  });

  it('should keep the same metrics in every keep mode', async () => {
    const args = { simulations: [{ runs: 2, timesteps: 30, params: { rho: 0.002 } }] };
    const all = await runConvictionExperiment(args, { seed: 11, keep: 'all' });
    for (const keep of ['last', 'metrics'] as const) {
      const other = await runConvictionExperiment(args, { seed: 11, keep, workers: 2 });
      assert.deepEqual(
        other.results.map((r) => r.metrics),
        all.results.map((r) => r.metrics),
        keep,
      );
    }
    const last = await runConvictionExperiment(args, { seed: 11, keep: 'last' });
    assert.equal(last.results[0].records.length, 31);
    assert.ok(last.results[0].records.slice(1).every((r) => r.substep === 4));
    const metricsOnly = await runConvictionExperiment(args, { seed: 11, keep: 'metrics' });
    assert.equal(metricsOnly.results[0].records.length, 0);
  });
});

const faulty = (runs: number, faults: Record<number, Fault>, timesteps = 5) => ({
  module: path.join(__dirname, 'fixtures', 'faulty-experiment.ts'),
  export: 'buildFaulty',
  args: { runs, timesteps, faults },
});

/** What an experiment gave, without where it ran: run ids with their walk, and the failure messages. */
function summary(r: { results: Array<{ run: number; metrics: Array<Record<string, unknown>> }>; failures: Array<{ run: number; error: Error }> }) {
  return {
    results: r.results.map((x) => [x.run, x.metrics.map((m) => m.x)]),
    failures: r.failures.map((f) => [f.run, f.error.message]),
  };
}

describe('#.execute (workers fail alone)', () => {
  const faults: Record<number, Fault> = { 2: 'exit', 5: 'oom', 7: 'throw' };

  it('should report a run that exits, runs out of memory or throws as its own failure, the same whatever the workers (isolate)', async () => {
    const seen = [];
    for (const workers of [1, 2, 3]) {
      const r = await execute(faulty(10, faults), { seed: 4, workers, isolate: true, workerHeapMb: 64, onError: 'collect' });
      assert.deepEqual(
        r.failures.map((f) => f.error.message),
        [
          'execute: run failed (simulation 0, subset 0, run 2): worker thread exited with code 7',
          'execute: run failed (simulation 0, subset 0, run 5): worker thread ran out of memory (heap limit 64 MB)',
          'execute: run failed (simulation 0, subset 0, run 7, timestep 2, substep 1, block 1 (walk or fail)): faulty: run 7 throws on purpose',
        ],
        `workers=${workers}`,
      );
      assert.ok(r.failures.every((f) => f.error instanceof RunError && f.error.cause instanceof Error));
      // The runs queued behind a dying worker ran elsewhere: every other run has its result.
      assert.deepEqual(r.results.map((x) => x.run), [1, 3, 4, 6, 8, 9, 10], `workers=${workers}`);
      assert.ok(r.results.every((x) => x.metrics.every((m) => m.thread !== 0)), 'isolate runs nothing on this thread');
      seen.push(summary(r));
    }
    assert.deepEqual(seen[1], seen[0]);
    assert.deepEqual(seen[2], seen[0]);
    // And the healthy runs are the runs a fault-free experiment gives.
    const clean = await execute(faulty(10, {}), { seed: 4, workers: 1 });
    assert.deepEqual(seen[0].results, summary(clean).results.filter(([run]) => ![2, 5, 7].includes(run as number)));
  });

  it('should end, with every run failed, when every run kills its worker', async () => {
    const all: Record<number, Fault> = { 1: 'exit', 2: 'exit', 3: 'exit', 4: 'exit', 5: 'exit' };
    const r = await execute(faulty(5, all), { seed: 1, workers: 2, isolate: true, onError: 'collect' });
    assert.deepEqual(r.failures.map((f) => f.run), [1, 2, 3, 4, 5]);
    assert.deepEqual(r.results, []);
  });

  it('should give the same failures for a throwing run on this thread and on workers (1, 2 and 3 workers, no isolate)', async () => {
    const seen = [];
    for (const workers of [1, 2, 3]) {
      seen.push(summary(await execute(faulty(8, { 3: 'throw', 6: 'throw' }), { seed: 2, workers, onError: 'collect' })));
    }
    assert.deepEqual(seen[0].failures.map((f) => f[0]), [3, 6]);
    assert.deepEqual(seen[1], seen[0]);
    assert.deepEqual(seen[2], seen[0]);
  });

  it('should run everything on this thread with workers 1, unless isolate asks for a worker thread', async () => {
    const here = await execute(faulty(3, {}), { seed: 1, workers: 1 });
    assert.ok(here.results.every((x) => x.metrics.every((m) => m.thread === 0)));
    const isolated = await execute(faulty(3, {}), { seed: 1, workers: 1, isolate: true });
    assert.ok(isolated.results.every((x) => x.metrics.every((m) => m.thread !== 0)));
    assert.deepEqual(summary(isolated), summary(here));
  });

  it("should reject with the first failing run's RunError by default, its cause carrying the worker's stack", async () => {
    await assert.rejects(execute(faulty(6, { 4: 'throw' }), { seed: 1, workers: 2, isolate: true }), (e: unknown) => {
      assert.ok(e instanceof RunError);
      assert.equal(e.message, 'execute: run failed (simulation 0, subset 0, run 4, timestep 2, substep 1, block 1 (walk or fail)): faulty: run 4 throws on purpose');
      assert.deepEqual(e.location, { simulation: 0, subset: 0, run: 4, timestep: 2, substep: 1, block: 'block 1 (walk or fail)' });
      const cause = e.cause as Error;
      assert.equal(cause.message, 'faulty: run 4 throws on purpose');
      assert.match(cause.stack!, /at fail \(.*faulty-experiment\.ts:\d+:\d+\)/);
      return true;
    });
  });
});

describe('#.execute (cancellation)', () => {
  it('should stop every worker when its signal aborts, and the next experiment should run', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(
      execute(faulty(6, { 1: 'spin', 2: 'spin', 3: 'spin' }), { seed: 1, workers: 3, isolate: true, signal: ac.signal }),
      (e: unknown) => e instanceof CancelledError && e.message === 'execute: cancelled (signal aborted)',
    );
    assert.ok(Date.now() - started < 5000);
    // Three threads were spinning; terminated, they use no more CPU (process CPU time, all threads).
    await new Promise((r) => setTimeout(r, 200));
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 500));
    const used = process.cpuUsage(before);
    assert.ok((used.user + used.system) / 1e6 < 0.2, `CPU used in 0.5 s after the cancel: ${(used.user + used.system) / 1e6} s`);
    const next = await execute(faulty(4, {}), { seed: 1, workers: 3, isolate: true });
    assert.equal(next.results.length, 4);
  });

  it('should refuse to start with an aborted signal', async () => {
    await assert.rejects(execute(faulty(2, {}), { seed: 1, signal: AbortSignal.abort() }), CancelledError);
  });
});

describe('#.execute (options)', () => {
  it('should throw if an option is out of range or of the wrong type, naming it and what is allowed', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ workers: 0 }, /^ConfigError: execute: workers must be an integer >= 1 and <= 256, got 0$/],
      [{ workers: 1.5 }, /^ConfigError: execute: workers must be an integer >= 1 and <= 256, got 1.5$/],
      [{ workers: '2' }, /^TypeError: execute: workers must be an integer >= 1 and <= 256, got "2"$/],
      [{ workerHeapMb: 4 }, /^ConfigError: execute: workerHeapMb must be an integer >= 16, got 4$/],
      [{ isolate: 'yes' }, /^TypeError: execute: isolate must be true or false, got "yes"$/],
      [{ keep: 'bogus' }, /^ConfigError: execute: keep must be one of 'all', 'last', 'metrics', 'checkpoints', got "bogus"$/],
      [{ worker: 2 }, /^ConfigError: execute: unknown option 'worker'; known options: .*workers/],
    ];
    for (const [extra, message] of cases) await assert.rejects(execute(faulty(2, {}), { seed: 1, ...extra } as never), message);
    await assert.rejects(execute('nope' as never, { seed: 1 }), /^TypeError: execute: the definition must be \{ module: string, export: string, args \}/);
  });
});

describe('#.execute (process lifetime)', () => {
  it('should let the process exit once it settles, with idle, cancelled, replaced and failed-experiment workers alike', () => {
    const script = `
      const { execute } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'engine', 'executor.ts'))});
      const def = (runs, faults) => ({ module: ${JSON.stringify(path.join(__dirname, 'fixtures', 'faulty-experiment.ts'))}, export: 'buildFaulty', args: { runs, timesteps: 3, faults } });
      (async () => {
        await execute(def(2, {}), { seed: 1, workers: 3, isolate: true }); // more workers than jobs: one stays idle
        await execute(def(4, { 2: 'exit' }), { seed: 1, workers: 2, isolate: true, onError: 'collect' });
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 200);
        await execute(def(4, { 1: 'spin' }), { seed: 1, workers: 2, isolate: true, signal: ac.signal }).catch(() => {});
        // Run 1 fails while run 6 spins on the other worker: rejecting must stop that worker too.
        await execute(def(8, { 1: 'throw', 6: 'spin' }), { seed: 1, workers: 2, isolate: true }).catch(() => {});
        console.log('resolved');
      })();`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.stdout.trim(), 'resolved', r.stderr);
    assert.equal(r.status, 0, `the process should exit by itself (signal ${r.signal})`);
  });
});
