/**
 * Lint-style checks of each model (after CADLabs' test_linting): every
 * parameter is read by the genesis or some block, and every state variable is
 * updated by some block. A parameter nothing reads, or a variable nothing
 * updates, is a slip in the port.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOnce } from '../src/engine/core';
import { runRng } from '../src/engine/rng';
import type { PartialStateUpdateBlock, RandomSource } from '../src/engine/types';
import { BLOCKS as V1_BLOCKS } from '../src/models/v1/blocks';
import { genesisState as v1Genesis } from '../src/models/v1/genesis';
import { DEFAULT_PARAMS as V1_DEFAULTS } from '../src/models/v1/params';
import { BLOCKS as V3_BLOCKS, DEFAULT_PARAMS as V3_DEFAULTS, genesisState as v3Genesis } from '../src/models/v3';

/** Runs a model with parameters that record every key read; returns the keys read. */
function paramsRead<P extends object, S>(
  defaults: P,
  genesis: (p: P, rng: RandomSource) => S,
  blocks: ReadonlyArray<PartialStateUpdateBlock<P, S>>,
  runs: number,
): Set<string> {
  const read = new Set<string>();
  const params = new Proxy({ ...defaults }, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
  }) as P;
  for (let run = 1; run <= runs; run++) {
    const rng = runRng('lint', 0, 0, run);
    runOnce({ blocks, params, genesis: genesis(params, rng), timesteps: 100, rng, simulation: 0, subset: 0, run, keep: 'last' });
  }
  return read;
}

/** State variables that no block updates. */
function notUpdated<S extends object>(genesis: S, blocks: ReadonlyArray<PartialStateUpdateBlock<unknown, S>>): string[] {
  const updated = new Set(blocks.flatMap((b) => Object.keys(b.variables)));
  return Object.keys(genesis).filter((k) => !updated.has(k));
}

describe('#.model lint', () => {
  it('v1: every parameter is read and every state variable updated', () => {
    const read = paramsRead(V1_DEFAULTS, v1Genesis, V1_BLOCKS, 5);
    assert.deepEqual(Object.keys(V1_DEFAULTS).filter((k) => !read.has(k)), []);
    const g = v1Genesis({ ...V1_DEFAULTS }, runRng(1, 0, 0, 1));
    assert.deepEqual(notUpdated(g, V1_BLOCKS as ReadonlyArray<PartialStateUpdateBlock<unknown, typeof g>>), []);
  });

  it('v3: every parameter is read and every state variable updated', () => {
    const read = paramsRead(V3_DEFAULTS, v3Genesis, V3_BLOCKS, 5);
    assert.deepEqual(Object.keys(V3_DEFAULTS).filter((k) => !read.has(k)), []);
    const g = v3Genesis({ ...V3_DEFAULTS }, runRng(1, 0, 0, 1));
    assert.deepEqual(notUpdated(g, V3_BLOCKS as ReadonlyArray<PartialStateUpdateBlock<unknown, typeof g>>), []);
  });
});
