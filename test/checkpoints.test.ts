import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import { SCALAR_METRICS } from '../src/analysis/metrics';
import { DEFAULT_CHECKPOINT_EVERY } from '../src/engine/checkpoints';
import { runOnce, type RunResult } from '../src/engine/core';
import { ConfigError } from '../src/engine/errors';
import { NUMPY_GENERATOR, RandomState } from '../src/engine/numpy';
import { runRng, SEEDRANDOM_GENERATOR, type Generator } from '../src/engine/rng';
import type { KeepMode, Metrics, RandomSource, StateRecord } from '../src/engine/types';
import type { GenesisFactory, Model } from '../src/engine/wrappers';
import { convictionVotingModel } from '../src/models/v1';
import type { Network } from '../src/models/shared/network';
import { convictionVotingModelV3 } from '../src/models/v3';

/** Draws of every kind, in a fixed mix, so a generator's whole position matters (gauss cache included). */
function draws(rng: RandomSource, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.random(), rng.normal(), rng.exponential(2), rng.gamma(3, 0.5), rng.gamma(0.7, 1), rng.integer(17));
  return out;
}

describe('#.generator state save and restore', () => {
  const cases: Array<[string, () => RandomSource]> = [
    ['seedrandom', () => runRng('s', 0, 0, 1)],
    ['numpy', () => new RandomState(12345)],
  ];
  for (const [name, make] of cases) {
    it(`should repeat the same draws after setState, for ${name}`, () => {
      const rng = make();
      draws(rng, 3);
      rng.normal(); // the numpy generator now holds a cached gauss: it must be part of the state
      const state = rng.getState!();
      const first = draws(rng, 50);
      rng.setState!(state);
      assert.deepEqual(draws(rng, 50), first);
    });
    it(`should restore into a fresh generator of the same kind, for ${name}`, () => {
      const a = make();
      draws(a, 7);
      const state = a.getState!();
      const b = make();
      b.setState!(structuredClone(state)); // plain data: survives a copy
      assert.deepEqual(draws(b, 20), draws(a, 20));
    });
  }
  it('should refuse a state that did not come from getState', () => {
    assert.throws(() => new RandomState(1).setState({ key: [1, 2], pos: 0, hasGauss: false, gauss: 0 }), /^RangeError: MT19937.setState/);
    assert.throws(() => new RandomState(1).setState(null), /^TypeError: RandomState.setState/);
    assert.throws(() => runRng(1, 0, 0, 1).setState!(7), /^TypeError: random: setState/);
  });
});

/** One run of a model through the engine, as `runJob` does it (in place where the model allows), with any keep mode. */
function runModel<P, S>(
  model: Model<P, S>,
  generator: Generator,
  seed: number,
  timesteps: number,
  keep: KeepMode,
  extra: { checkpointEvery?: number; metrics?: Metrics<S>; usesHistory?: boolean } = {},
): RunResult<S> {
  const rng = generator.create(seed, 0, 0, 1);
  const genesis = (model.genesis as GenesisFactory<P, S>)(model.params, rng);
  return runOnce({ blocks: model.blocks, params: model.params, genesis, timesteps, rng, simulation: 0, subset: 0, run: 1, keep, usesHistory: model.usesHistory, ...extra });
}

/** A record as comparable data: the network as its graph's export (every node and edge value), the rest as it is. */
function plain(rec: StateRecord<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = k === 'network' ? (v as Network).toGraph().export() : v;
  return out;
}

describe('#.keep checkpoints (replay equals the full history)', () => {
  const T = 45;
  const models: Array<[string, () => Model<any, any>]> = [
    ['v1', () => convictionVotingModel()],
    ['v3', () => convictionVotingModelV3()],
  ];
  const generators: Generator[] = [SEEDRANDOM_GENERATOR, NUMPY_GENERATOR];
  // In place (the models read no history) and copying (as a model that reads it runs).
  const ways: Array<[string, boolean | undefined]> = [['in place', false], ['copying', undefined]];
  for (const [name, make] of models) {
    for (const generator of generators) for (const [way, usesHistory] of ways) {
      it(`should rebuild every probed (t, k) exactly, ${name} with ${generator.name}, ${way}`, () => {
        const model = make();
        assert.equal(model.usesHistory, false, 'the model declares that it reads no history');
        const B = model.blocks.length;
        const full = runModel(model, generator, 3, T, 'all');
        const cp = runModel(model, generator, 3, T, 'checkpoints', { checkpointEvery: 7, usesHistory });
        assert.equal(cp.records.length, 0, 'no record is stored beside the checkpoints');
        assert.deepEqual(cp.checkpoints!.checkpoints.map((c) => c.timestep), [0, 7, 14, 21, 28, 35, 42]);
        const at = (t: number, k: number) => full.records[t === 0 ? 0 : 1 + (t - 1) * B + (k - 1)];
        // Probes in a scrambled order, from a seeded stream; the ends and the checkpoints themselves included.
        const pick = seedrandom.alea(`probe-${name}-${generator.name}`);
        const probes: Array<[number, number]> = [[0, 0], [1, 1], [T, B], [7, B], [8, 1], [14, 1], [42, B], [43, 2]];
        for (let n = 0; n < 40; n++) probes.push([1 + Math.floor(pick() * T), 1 + Math.floor(pick() * B)]);
        for (const [t, k] of probes) {
          const want = at(t, k);
          assert.equal(want.timestep, t);
          assert.equal(want.substep, k);
          assert.deepEqual(plain(cp.recordAt!(t, k)), plain(want), `record at t=${t}, k=${k}`);
        }
        // A whole timestep from one replay.
        const t = 30;
        assert.deepEqual(cp.checkpoints!.timestepRecords(t).map(plain), full.records.slice(1 + (t - 1) * B, 1 + t * B).map(plain));
      });
    }
  }

  it('should leave the run itself unchanged: the same metric rows as keep metrics, and replays that do not disturb each other', () => {
    const model = convictionVotingModel();
    const metrics = SCALAR_METRICS;
    const m = runModel(model, SEEDRANDOM_GENERATOR, 11, 30, 'metrics', { metrics });
    const cp = runModel(model, SEEDRANDOM_GENERATOR, 11, 30, 'checkpoints', { metrics, checkpointEvery: 4 });
    assert.deepEqual(cp.metrics, m.metrics);
    assert.deepEqual(runModel(model, SEEDRANDOM_GENERATOR, 11, 30, 'checkpoints', { metrics, checkpointEvery: 4, usesHistory: undefined }).metrics, m.metrics);
    const a = plain(cp.recordAt!(17, 3));
    cp.recordAt!(29, 1);
    cp.recordAt!(2, 4);
    assert.deepEqual(plain(cp.recordAt!(17, 3)), a);
  });

  it(`should default to a checkpoint every ${DEFAULT_CHECKPOINT_EVERY} timesteps, and take K larger than T`, () => {
    const model = convictionVotingModel();
    const d = runModel(model, SEEDRANDOM_GENERATOR, 1, 25, 'checkpoints');
    assert.deepEqual(d.checkpoints!.checkpoints.map((c) => c.timestep), [0, 10, 20]);
    const full = runModel(model, SEEDRANDOM_GENERATOR, 1, 25, 'all');
    const big = runModel(model, SEEDRANDOM_GENERATOR, 1, 25, 'checkpoints', { checkpointEvery: 1000 });
    assert.deepEqual(plain(big.recordAt!(25, 4)), plain(full.records[full.records.length - 1]));
  });

  it('should refuse a bad (timestep, substep) with one line naming the range', () => {
    const r = runModel(convictionVotingModel(), SEEDRANDOM_GENERATOR, 1, 5, 'checkpoints', { checkpointEvery: 2 });
    assert.throws(() => r.recordAt!(6, 1), /^RangeError: recordAt: timestep must be a whole number in \[0, 5\], got 6$/);
    assert.throws(() => r.recordAt!(-1, 1), /^RangeError: recordAt: timestep must be a whole number in \[0, 5\]/);
    assert.throws(() => r.recordAt!(2.5, 1), /^RangeError: recordAt: timestep/);
    assert.throws(() => r.recordAt!(3, 0), /^RangeError: recordAt: substep at timestep 3 must be a whole number in \[1, 4\], got 0$/);
    assert.throws(() => r.recordAt!(3, 5), /^RangeError: recordAt: substep at timestep 3 must be a whole number in \[1, 4\]/);
    assert.throws(() => r.recordAt!(0, 1), /^RangeError: recordAt: substep at timestep 0 must be a whole number in \[0, 0\]/);
  });

  it('should refuse a bad checkpointEvery, or a generator that cannot save its position, before running', () => {
    const model = convictionVotingModel();
    for (const bad of [0, -3, 2.5, NaN, '5' as unknown as number]) {
      assert.throws(() => runModel(model, SEEDRANDOM_GENERATOR, 1, 5, 'checkpoints', { checkpointEvery: bad }), (e: unknown) => e instanceof ConfigError && /^runOnce: checkpointEvery must be a whole number ≥ 1/.test(e.message));
    }
    const rng = runRng(1, 0, 0, 1);
    const stateless: RandomSource = { random: rng.random, exponential: rng.exponential, gamma: rng.gamma, normal: rng.normal, integer: rng.integer };
    const genesis = (model.genesis as GenesisFactory<any, any>)(model.params, rng);
    assert.throws(
      () => runOnce({ blocks: model.blocks, params: model.params, genesis, timesteps: 3, rng: stateless, simulation: 0, subset: 0, run: 1, keep: 'checkpoints' }),
      (e: unknown) => e instanceof ConfigError && /needs a generator with getState\(\) and setState\(\)/.test(e.message),
    );
  });
});
