import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runConvictionExperiment } from '../src/models/v1/experiment';
import { simulate } from '../src/models/v1';
import { simulateV3 } from '../src/models/v3';

describe('#.simulate keep checkpoints', () => {
  it('should rebuild any record of a checkpointed run exactly as keep all stores it (v1 and v3)', () => {
    const full = simulate({ seed: 9, timesteps: 30 }).results[0];
    const cp = simulate({ seed: 9, timesteps: 30, keep: 'checkpoints', checkpointEvery: 7 }).results[0];
    assert.equal(cp.records.length, 0);
    for (const [t, k] of [[0, 0], [1, 1], [7, 4], [15, 2], [30, 4]]) {
      const want = full.records.find((r) => r.timestep === t && r.substep === k)!;
      const got = cp.recordAt!(t, k);
      assert.equal(got.funds, want.funds, `t=${t} k=${k}`);
      assert.deepEqual(got.network.toGraph().export(), want.network.toGraph().export(), `t=${t} k=${k}`);
    }
    const v3full = simulateV3({ seed: 2, timesteps: 20, rng: 'numpy' }).results[0];
    const v3cp = simulateV3({ seed: 2, timesteps: 20, rng: 'numpy', keep: 'checkpoints', checkpointEvery: 6 }).results[0];
    const want = v3full.records.find((r) => r.timestep === 13 && r.substep === 5)!;
    const got = v3cp.recordAt!(13, 5);
    assert.equal(got.sentiment, want.sentiment);
    assert.deepEqual(got.network.toGraph().export(), want.network.toGraph().export());
  });

  it('should refuse checkpoints on worker threads and a bad checkpointEvery, naming them', async () => {
    await assert.rejects(runConvictionExperiment({ simulations: [{ timesteps: 3 }] }, { seed: 1, keep: 'checkpoints' }), /keep 'checkpoints' replays records in the thread that ran them/);
    assert.throws(() => simulate({ seed: 1, timesteps: 3, keep: 'checkpoints', checkpointEvery: 0 }), /checkpointEvery must be a whole number ≥ 1, got 0/);
  });
});
