import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../src/models/simulate';
import { simulate as simulateV1 } from '../src/models/v1';
import { simulateV3 } from '../src/models/v3';

describe('#.simulate (both models)', () => {
  it('should run v1 by default and with model v1, as the v1 entry does', () => {
    const a = simulate({ seed: 4, timesteps: 5, keep: 'last' }).results[0].records.at(-1)!;
    const b = simulate({ model: 'v1', seed: 4, timesteps: 5, keep: 'last' }).results[0].records.at(-1)!;
    const c = simulateV1({ seed: 4, timesteps: 5, keep: 'last' }).results[0].records.at(-1)!;
    assert.equal(a.funds, c.funds);
    assert.equal(b.funds, c.funds);
    assert.equal(a.network.proposalCount, c.network.proposalCount);
  });

  it("should run v3 with model 'v3': the original's seed-1 run with the numpy generator", () => {
    const r = simulate({ model: 'v3', seed: 1, rng: 'numpy', timesteps: 1, keep: 'last' }).results[0].records[1];
    const w = simulateV3({ seed: 1, rng: 'numpy', timesteps: 1, keep: 'last' }).results[0].records[1];
    assert.equal(r.total_supply, w.total_supply);
    assert.equal(r.funds, 4889.60222); // MODEL_SPEC_V3 reference run v3-seed-1, timestep 1
  });

  it('should refuse an unknown model, naming the option and the models', () => {
    assert.throws(() => simulate({ model: 'v2' } as never), /^ConfigError: simulate: model must be 'v1' or 'v3', got "v2"$/);
    assert.throws(() => simulate(null as never), /^TypeError: simulate: options must be an object/);
  });
});
