/**
 * Runs that keep only metrics update one state in place when the model reads no
 * history (`usesHistory: false`): the same rows as the copying runs, and a clear
 * error if a model that declared so reads its history after all.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCALAR_METRICS } from '../src/analysis/metrics';
import { runOnce, type RunSpec } from '../src/engine/core';
import { RunError } from '../src/engine/errors';
import { runRng } from '../src/engine/rng';
import type { PartialStateUpdateBlock } from '../src/engine/types';
import { SCALAR_METRICS_V3 } from '../src/analysis/metrics-v3';
import { simulate } from '../src/models/v1';
import { simulateV3 } from '../src/models/v3';

interface Toy {
  x: number;
  box: { items: number[] };
}
type Block = PartialStateUpdateBlock<{ step: number }, Toy>;

/** Two blocks: x grows by a drawn amount; box.items gets x appended (mutating a copy of the box). */
const BLOCKS: Block[] = [
  {
    policies: { draw: (p, _k, _h, _s, ctx) => ({ dx: p.step * ctx.rng.random() }) },
    variables: { x: (_p, _k, _h, s, input) => ['x', s.x + (input.dx as number)] as const },
  },
  {
    policies: {},
    variables: {
      box: (_p, _k, _h, s) => {
        s.box.items.push(s.x);
        return ['box', s.box] as const;
      },
    },
  },
];

function spec(extra: Partial<RunSpec<{ step: number }, Toy>>): RunSpec<{ step: number }, Toy> {
  return {
    blocks: BLOCKS,
    params: { step: 2 },
    genesis: { x: 1, box: { items: [] } },
    timesteps: 20,
    rng: runRng('in-place', 0, 0, 1),
    simulation: 0,
    subset: 0,
    run: 1,
    metrics: { x: (s) => s.x, items: (s) => s.box.items.length, last: (s) => s.box.items.at(-1) ?? null },
    ...extra,
  };
}

describe('#.runOnce (keep metrics, usesHistory false)', () => {
  it('should give the rows of the copying run, and leave the genesis as it was', () => {
    const genesis: Toy = { x: 1, box: { items: [] } };
    const copying = runOnce(spec({ keep: 'last', genesis, rng: runRng('a', 0, 0, 1) }));
    const inPlace = runOnce(spec({ keep: 'metrics', usesHistory: false, genesis, rng: runRng('a', 0, 0, 1) }));
    assert.equal(inPlace.metrics.length, 21);
    assert.deepEqual(inPlace.metrics, copying.metrics);
    assert.deepEqual(inPlace.records, []);
    assert.deepEqual(genesis, { x: 1, box: { items: [] } });
    // Timestep 20 ends at substep 2 with 20 items appended.
    assert.deepEqual({ ...inPlace.metrics[20] }, { ...copying.metrics[20], substep: 2, timestep: 20, items: 20 });
  });

  it('should refuse a policy that reads its history, naming the declaration and the block', () => {
    const reader: Block = { description: 'looks back', policies: { peek: (_p, _k, h) => ({ n: h.length }) }, variables: {} };
    const err = (() => {
      try {
        runOnce(spec({ blocks: [reader], keep: 'metrics', usesHistory: false }));
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(err instanceof RunError, String(err));
    assert.match(err.message, /timestep 1, substep 1, block 1 \(looks back\)\): engine: this model declares usesHistory: false/);
    assert.match(String((err.cause as Error).message), /declares usesHistory: false, so history is not kept/);
    // The same policy runs when the model does not declare it, or when every record is kept.
    assert.equal(runOnce(spec({ blocks: [reader], keep: 'metrics' })).metrics.length, 21);
    assert.equal(runOnce(spec({ blocks: [reader], keep: 'all', usesHistory: false })).records.length, 21);
  });
});

describe('#.simulate (v1 keeps metrics in place)', () => {
  // The copying path computes the same metric rows under keep 'last'.
  const rows = (keep: 'metrics' | 'last', rng: 'seedrandom' | 'numpy') =>
    simulate({
      runs: 40,
      seed: 9,
      rng,
      keep,
      metrics: SCALAR_METRICS,
      sweep: { sentiment: [0.3, 0.9], sensitivity: [0.2, 0.95], min_supp: [1, 400] },
    }).results.map((r) => r.metrics);

  it('should give the copying runs\' rows to the bit, over a sweep, with both generators', () => {
    for (const rng of ['seedrandom', 'numpy'] as const) {
      const a = rows('metrics', rng);
      const b = rows('last', rng);
      assert.equal(a.length, 80);
      assert.deepEqual(a, b, rng);
    }
  });
});

describe('#.simulateV3 (keeps metrics in place)', () => {
  it('should give the copying runs\' rows to the bit, with both generators', () => {
    for (const rng of ['seedrandom', 'numpy'] as const) {
      const rows = (keep: 'metrics' | 'last') =>
        simulateV3({ runs: 6, seed: 4, rng, keep, timesteps: 60, metrics: SCALAR_METRICS_V3 }).results.map((r) => r.metrics);
      const a = rows('metrics');
      assert.equal(a.length, 6);
      assert.deepEqual(a, rows('last'), rng);
    }
  });
});
