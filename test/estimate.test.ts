import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { SCALAR_METRICS } from '../src/analysis/metrics';
import { ConfigError } from '../src/engine/errors';
import type { KeepMode } from '../src/engine/types';
import { simulate } from '../src/models/v1';
import {
  checkExperimentFits,
  estimateExperiment,
  estimateRunMemory,
  formatBytes,
  MAX_JOBS,
  populationBound,
} from '../src/models/v1/estimate';
import { DEFAULT_PARAMS } from '../src/models/v1/params';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function retained(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The stated accuracy: the bound is never below what a run holds, and at most this many times above it. */
const FACTOR = 20;

describe('#.estimateRunMemory against measured memory (issue 8, E1)', () => {
  const cases: Array<[KeepMode, number, number, number]> = [
    ['metrics', 60, 100, 60],
    ['last', 60, 100, 20],
    ['all', 60, 100, 20],
    ['last', 300, 200, 4],
  ];
  for (const [keep, n, T, runs] of cases) {
    it(`should bound what ${runs} held runs use (keep ${keep}, n ${n}, T ${T}) within a factor of ${FACTOR}`, () => {
      // The estimate counts the metric rows a run holds (the CLI's columns): keep them, as the CLI does.
      const metrics = SCALAR_METRICS;
      simulate({ seed: 'warm', runs: 2, timesteps: T, keep, params: { n }, metrics });
      const before = retained();
      const r = simulate({ seed: 11, runs, timesteps: T, keep, params: { n }, metrics });
      const measured = (retained() - before) / runs;
      assert.equal(r.results.length, runs);
      const bound = estimateRunMemory({ ...DEFAULT_PARAMS, n }, T, keep).result;
      assert.ok(measured > 0, `measured ${measured}`);
      assert.ok(bound >= measured, `bound ${formatBytes(bound)} below measured ${formatBytes(measured)}`);
      assert.ok(bound <= FACTOR * measured, `bound ${formatBytes(bound)} more than ${FACTOR}× measured ${formatBytes(measured)}`);
    });
  }

  it('should bound participants and proposals by the arrival process: never above one of each per timestep', () => {
    const p = populationBound(DEFAULT_PARAMS, 100);
    assert.ok(p.participants <= 60 + 100 && p.participants >= 60 + 16);
    assert.ok(p.proposals <= 3 + 100 && p.proposals >= 3 + 25);
    assert.deepEqual(populationBound({ n: 5, m: 2, sentiment: 1 }, 3), { participants: 8, proposals: 5 });
    const r = simulate({ seed: 3, runs: 30, timesteps: 100, keep: 'last' });
    for (const run of r.results) {
      const last = run.records[run.records.length - 1].network;
      assert.ok(last.participantCount <= p.participants && last.proposalCount <= p.proposals);
    }
  });
});

describe('#.estimateExperiment and #.checkExperimentFits (issue 8, E1)', () => {
  it('should count runs and rows over simulations, zipped or crossed sweeps', () => {
    const zipped = estimateExperiment({ simulations: [{ runs: 3, timesteps: 10, sweep: { rho: [0.1, 0.2], alpha: [0.5, 0.6] } }, { runs: 2 }] });
    assert.equal(zipped.jobs, 3 * 2 + 2);
    assert.equal(zipped.rows, 3 * 2 * 10 + 2 * 100);
    const crossed = estimateExperiment({ simulations: [{ runs: 3, timesteps: 10, sweep: { rho: [0.1, 0.2], alpha: [0.5, 0.6, 0.7] } }] }, { cartesian: true });
    assert.equal(crossed.jobs, 3 * 6);
  });

  it('should grow with what is kept: metrics < last < all, and collecting costs more than streaming', () => {
    const e = (keep: KeepMode, collect = true) => estimateExperiment({ simulations: [{ runs: 100 }] }, { keep, collect }).bytes;
    assert.ok(e('metrics') < e('last') && e('last') < e('all'));
    assert.ok(e('all', false) < e('all', true));
  });

  it('should refuse with one ConfigError line naming the options, the estimate, the limit and a hint', () => {
    const refused = (f: () => unknown, re: RegExp) =>
      assert.throws(f, (e: unknown) => e instanceof ConfigError && !e.message.includes('\n') && re.test(e.message));
    refused(() => checkExperimentFits({ simulations: [{ runs: 1e9, timesteps: 1 }] }), /^config: runs × sweep subsets = 1,000,000,000 runs, above the limit of 10,000,000 .*shard/);
    refused(
      () => checkExperimentFits({ simulations: [{ runs: 1, timesteps: 2, sweep: { n: [60, 1e8] } }] }, { keep: 'metrics' }),
      /needs about \d+ GB of memory, above the limit of .*; try fewer runs/,
    );
    refused(() => checkExperimentFits({ simulations: [{ runs: 1000 }] }, { keep: 'all' }, { memoryBytes: 1e9 }), /above the limit of 1.0 GB .*try keep metrics/);
    refused(() => checkExperimentFits({ simulations: [{ runs: 10 }] }, {}, { maxJobs: 5 }), /10 runs, above the limit of 5/);
    assert.equal(checkExperimentFits({ simulations: [{ runs: MAX_JOBS, timesteps: 1 }] }, { keep: 'metrics', collect: false }).jobs, MAX_JOBS);
    // The bench's scale case fits on a machine like the reference one (24 GB).
    checkExperimentFits({ simulations: [{ runs: 1, timesteps: 1000, params: { n: 600 } }] }, { keep: 'last' }, { memoryBytes: 0.6 * 24e9 });
  });
});
