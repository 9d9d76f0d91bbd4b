/** A seed fixes a whole run (MODEL_SPEC §4); distinct runs draw distinct streams. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCALAR_METRICS, SCALAR_METRIC_NAMES } from '../src/analysis/metrics';
import type { MetricRow, RunResult } from '../src/engine/core';
import { runJob } from '../src/engine/wrappers';
import { convictionVotingModel, networkAt, simulate } from '../src/models/v1';
import type { State } from '../src/models/v1/state';
import { digestState, exportOf } from './helpers/tiny';

const POINTS: Array<[number, number]> = [
  [0, 0],
  [1, 1],
  [1, 4],
  [3, 2],
  [25, 3],
  [60, 4],
  [100, 4],
];
const COLUMNS = ['simulation', 'subset', 'run', 'timestep', 'substep', ...SCALAR_METRIC_NAMES];

/** Metric rows restricted to the identifying columns and the metrics. */
const rowsOf = (r: RunResult<State>) => r.metrics.map((m: MetricRow) => Object.fromEntries(COLUMNS.map((c) => [c, m[c]])));
const recordAt = (r: RunResult<State>, t: number, k: number) => {
  const rec = r.records.find((x) => x.timestep === t && x.substep === k);
  assert.ok(rec, `no record at ${t}/${k}`);
  return rec;
};

describe('#.reproducibility', () => {
  const opts = { timesteps: 100, runs: 2, metrics: SCALAR_METRICS, params: { rho: 0.002 } };

  it('should give identical metric rows and networks for the same seed', () => {
    const a = simulate({ ...opts, seed: 'repro' });
    const b = simulate({ ...opts, seed: 'repro' });
    assert.equal(a.results.length, 2);
    for (let r = 0; r < 2; r++) {
      assert.deepEqual(rowsOf(a.results[r]), rowsOf(b.results[r]));
      assert.equal(a.results[r].records.length, 401);
      for (const [t, k] of POINTS) {
        const x = recordAt(a.results[r], t, k);
        const y = recordAt(b.results[r], t, k);
        assert.equal(x.funds, y.funds);
        assert.deepEqual(exportOf(x.network), exportOf(y.network), `run ${r + 1} at ${t}/${k}`);
      }
      // and every record, by digest
      assert.deepEqual(a.results[r].records.map(digestState), b.results[r].records.map(digestState));
    }
  });

  it('should give the same run whatever else is run with it and whatever is kept', () => {
    const alone = simulate({ ...opts, runs: 1, seed: 'repro', keep: 'metrics' });
    const many = simulate({ ...opts, runs: 4, seed: 'repro', keep: 'last' });
    assert.deepEqual(rowsOf(alone.results[0]), rowsOf(many.results[0]));
    // one job run by itself (as a worker would) equals the same job in an experiment
    const sim = { model: convictionVotingModel({ rho: 0.002 }), timesteps: 100, runs: 4 };
    const job = runJob(sim, { simulation: 0, subset: 0, run: 3, params: sim.model.params }, { seed: 'repro', metrics: SCALAR_METRICS, keep: 'metrics' });
    assert.deepEqual(rowsOf(job), rowsOf(many.results[2]));
  });

  it('should give different runs for another seed', () => {
    const a = simulate({ ...opts, runs: 1, seed: 'repro' });
    const b = simulate({ ...opts, runs: 1, seed: 'other' });
    assert.notDeepEqual(rowsOf(a.results[0]).map((r) => r.funds), rowsOf(b.results[0]).map((r) => r.funds));
    for (const [t, k] of POINTS) {
      assert.notDeepEqual(exportOf(recordAt(a.results[0], t, k).network), exportOf(recordAt(b.results[0], t, k).network), `at ${t}/${k}`);
    }
    // numeric seeds too
    const c = simulate({ ...opts, runs: 1, seed: 1, keep: 'metrics' });
    const d = simulate({ ...opts, runs: 1, seed: 2, keep: 'metrics' });
    assert.notDeepEqual(rowsOf(c.results[0]), rowsOf(d.results[0]));
  });

  it('should give different runs for the same seed and parameters but another (subset, run)', () => {
    // two identical parameter sets (subsets 0 and 1) x two runs: four distinct simulations
    const out = simulate({ ...opts, sweep: { n: [60, 60] }, seed: 'repro' });
    assert.deepEqual(out.results.map((r) => [r.subset, r.run]), [[0, 1], [0, 2], [1, 1], [1, 2]]);
    const genesis = out.results.map((r) => digestState(recordAt(r, 0, 0)));
    const end = out.results.map((r) => digestState(recordAt(r, 100, 4)));
    assert.equal(new Set(genesis).size, 4, 'genesis networks should differ');
    assert.equal(new Set(end).size, 4, 'final states should differ');
    // and subset 0 of the sweep is the plain simulation with the same seed
    const plain = simulate({ ...opts, seed: 'repro' });
    assert.deepEqual(rowsOf(out.results[0]), rowsOf(plain.results[0]));
    assert.deepEqual(rowsOf(out.results[1]), rowsOf(plain.results[1]));
  });

  it('should reproduce the networks networkAt gives', () => {
    const a = simulate({ timesteps: 10, seed: 7 });
    const b = simulate({ timesteps: 10, seed: 7 });
    for (const t of [0, 3, 10]) {
      assert.deepEqual(networkAt(a.results[0].records, t).export(), networkAt(b.results[0].records, t).export());
    }
    // without a substep networkAt takes the last substep of the timestep
    assert.deepEqual(exportOf(a.results[0].records[12].network), networkAt(a.results[0].records, 3).export());
    assert.deepEqual(exportOf(a.results[0].records[10].network), networkAt(a.results[0].records, 3, 2).export());
    assert.throws(() => networkAt(a.results[0].records, 11), /no record at timestep 11/);
  });
});
