import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RunError } from '../src/engine/errors';
import { execute } from '../src/engine/executor';
import { runConvictionExperiment } from '../src/model/experiment';

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
