import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { experimentFingerprint, parseShard, shardJobs, shardOfJob } from '../src/engine/shard';
import { planJobs, runJob } from '../src/engine/wrappers';
import { buildConvictionExperiment, runConvictionExperiment } from '../src/models/v1/experiment';

describe('#.parseShard', () => {
  it('should read K/N with 1 ≤ K ≤ N', () => {
    assert.deepEqual(parseShard('1/1'), { k: 1, n: 1 });
    assert.deepEqual(parseShard('3/4'), { k: 3, n: 4 });
    assert.deepEqual(parseShard('12/100'), { k: 12, n: 100 });
  });

  it('should refuse anything else with one line naming the flag and the range', () => {
    for (const bad of ['0/3', '4/3', '1/0', '0/0', '-1/2', '1.5/2', '2', '/2', '1/', 'a/b', '', '1/2/3', '99999999999999999999/99999999999999999999']) {
      assert.throws(
        () => parseShard(bad),
        (e: Error) => {
          assert.ok(e instanceof RangeError);
          assert.match(e.message, /^--shard: expected K\/N with integers 1 ≤ K ≤ N, got '/);
          assert.ok(e.message.includes(`'${bad}'`), e.message);
          assert.ok(!e.message.includes('\n'));
          return true;
        },
      );
    }
    assert.throws(() => parseShard('4/3'), /K must be between 1 and 3/);
  });
});

describe('#.shardJobs', () => {
  it('should give hand-worked slices', () => {
    // 10 jobs in 3: the first 10 mod 3 = 1 shard takes one more.
    assert.deepEqual(shardJobs(10, 1, 3), { from: 0, to: 4 });
    assert.deepEqual(shardJobs(10, 2, 3), { from: 4, to: 7 });
    assert.deepEqual(shardJobs(10, 3, 3), { from: 7, to: 10 });
    // More shards than jobs: the last ones are empty.
    assert.deepEqual(shardJobs(2, 1, 3), { from: 0, to: 1 });
    assert.deepEqual(shardJobs(2, 3, 3), { from: 2, to: 2 });
    assert.deepEqual(shardJobs(0, 1, 1), { from: 0, to: 0 });
  });

  it('should cut every job list into N contiguous, disjoint, ordered slices balanced within one job', () => {
    const totals = [...Array.from({ length: 41 }, (_, i) => i), 97, 100, 1000, 1001, 99999];
    for (const total of totals) {
      for (const n of [1, 2, 3, 4, 5, 7, 8, 13, 16, 50, 101]) {
        let at = 0;
        const sizes: number[] = [];
        for (let k = 1; k <= n; k++) {
          const { from, to } = shardJobs(total, k, n);
          assert.equal(from, at, `total=${total} n=${n} k=${k} starts where k-1 ended`);
          assert.ok(to >= from);
          sizes.push(to - from);
          for (const i of [from, to - 1]) if (i >= from && i < to) assert.equal(shardOfJob(i, total, n), k);
          at = to;
        }
        assert.equal(at, total, `total=${total} n=${n} covers every job`);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `total=${total} n=${n} sizes ${sizes}`);
        // Larger shards come first, so the split is the same whoever computes it.
        assert.deepEqual([...sizes].sort((a, b) => b - a), sizes);
      }
    }
  });

  it('should map every job index back to its one shard', () => {
    for (const total of [1, 5, 17, 64]) {
      for (const n of [1, 2, 3, 6, 20]) {
        for (let i = 0; i < total; i++) {
          const k = shardOfJob(i, total, n);
          const { from, to } = shardJobs(total, k, n);
          assert.ok(from <= i && i < to, `job ${i} of ${total} in shard ${k}/${n}`);
        }
      }
    }
  });

  it('should refuse a bad total, k or n', () => {
    assert.throws(() => shardJobs(-1, 1, 1), /shardJobs: total must be an integer ≥ 0/);
    assert.throws(() => shardJobs(3.5, 1, 1), /shardJobs: total/);
    assert.throws(() => shardJobs(3, 0, 2), /shardJobs: k must be an integer between 1 and 2/);
    assert.throws(() => shardJobs(3, 3, 2), /shardJobs: k must be/);
    assert.throws(() => shardJobs(3, 1, 0), /shardJobs: n must be an integer ≥ 1/);
  });

  it('should keep each job its single-process seed: a shard run alone gives the same runs', async () => {
    const args = { simulations: [{ sweep: { rho: [0.02, 0.005] }, runs: 4, timesteps: 15 }] };
    const whole = await runConvictionExperiment(args, { seed: 'shards', keep: 'metrics' });
    const built = buildConvictionExperiment(args);
    const jobs = planJobs(built.simulations);
    assert.equal(jobs.length, 8);
    const seen = new Set<number>();
    for (let k = 1; k <= 3; k++) {
      const { from, to } = shardJobs(jobs.length, k, 3);
      // The shard builds only its own jobs, each with its global (simulation, subset, run).
      for (let i = from; i < to; i++) {
        const job = jobs[i];
        const r = runJob(built.simulations[job.simulation], job, { seed: 'shards', keep: 'metrics', metrics: built.metrics });
        const ref = whole.results[i];
        assert.deepEqual([r.simulation, r.subset, r.run], [ref.simulation, ref.subset, ref.run]);
        assert.deepEqual(r.metrics, ref.metrics, `job ${i} in shard ${k}/3`);
        seen.add(i);
      }
    }
    assert.equal(seen.size, 8);
  });
});

describe('#.experimentFingerprint', () => {
  it('should not depend on key order and should change with what defines the output', () => {
    const a = experimentFingerprint({ seed: 1, experiment: { runs: 2, sweep: { rho: [0.1, 0.2] } }, keep: 'metrics' });
    const b = experimentFingerprint({ keep: 'metrics', experiment: { sweep: { rho: [0.1, 0.2] }, runs: 2 }, seed: 1 });
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(a, experimentFingerprint({ seed: 2, experiment: { runs: 2, sweep: { rho: [0.1, 0.2] } }, keep: 'metrics' }));
    assert.notEqual(a, experimentFingerprint({ seed: 1, experiment: { runs: 2, sweep: { rho: [0.2, 0.1] } }, keep: 'metrics' }));
    assert.notEqual(experimentFingerprint({ seed: 1 }), experimentFingerprint({ seed: '1' }));
  });
});
