import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCALAR_METRICS } from '../src/analysis/metrics';
import { block } from '../src/engine/block';
import { checkBlocks, copyState, runOnce, sumSignals, type RunSpec } from '../src/engine/core';
import { CancelledError, ConfigError, RunError } from '../src/engine/errors';
import { cartesian, expandSweep } from '../src/engine/sweep';
import { uniformSource } from '../src/engine/rng';
import type { Context, PartialStateUpdateBlock, Signals } from '../src/engine/types';
import { planJobs, runExperiment, runJob, type Model, type Simulation } from '../src/engine/wrappers';
import { genesisState, simulate } from '../src/models/v1';
import { makeParams } from '../src/models/v1/params';
import type { State } from '../src/models/v1/state';
import { exportOf, scripted } from './helpers/tiny';

// ---- a toy model on plain-object state --------------------------------------

interface Toy {
  x: number;
  box: { count: number; items: number[] };
}
interface ToyParams {
  step: number;
}
type Block = PartialStateUpdateBlock<ToyParams, Toy>;

const noRng = uniformSource(() => {
  throw new Error('the toy model draws nothing');
});

function toySpec(blocks: Block[], extra: Partial<RunSpec<ToyParams, Toy>> = {}): RunSpec<ToyParams, Toy> {
  return {
    blocks,
    params: { step: 1 },
    genesis: { x: 0, box: { count: 0, items: [] } },
    timesteps: 3,
    rng: noRng,
    simulation: 2,
    subset: 1,
    run: 5,
    ...extra,
  };
}

/** x += signal 'dx'; box untouched. */
const addBlock = (policies: Block['policies'], description?: string): Block => ({
  description,
  policies,
  variables: { x: (_p, _k, _h, s, input) => ['x', s.x + (input.dx as number)] as const },
});

// ---------------------------------------------------------------------------

describe('#.runOnce', () => {
  it('should throw if there are no blocks', () => {
    assert.throws(() => runOnce(toySpec([])), /at least one partial state update block/);
  });

  it('should throw if a block declares an unknown state variable, naming block and variable', () => {
    const bad: Block = { description: 'bad one', policies: {}, variables: { y: () => ['y', 1] } } as unknown as Block;
    assert.throws(
      () => runOnce(toySpec([addBlock({ p: () => ({ dx: 1 }) }), bad])),
      (e: Error) => e.message.includes("block 2 (bad one) updates unknown state variable 'y'"),
    );
  });

  it('should throw if a state variable clashes with a record column', () => {
    assert.throws(
      () => runOnce({ ...toySpec([]), blocks: [addBlock({})], genesis: { x: 0, box: { count: 0, items: [] }, timestep: 3 } as unknown as Toy }),
      /state variable 'timestep' clashes with a record column/,
    );
  });

  it('should throw if an update returns another state variable, naming block and key', () => {
    const b: Block = {
      description: 'swapper',
      policies: {},
      variables: { x: (_p, _k, _h, s) => ['box', s.box] as unknown as readonly ['x', number] },
    };
    assert.throws(
      () => runOnce(toySpec([b])),
      (e: RunError) =>
        e.message === "runOnce: run failed (simulation 2, subset 1, run 5, timestep 1, substep 1, block 1 (swapper)): engine: block 1 (swapper) update for 'x' returned key 'box'" &&
        (e.cause as Error).message === "engine: block 1 (swapper) update for 'x' returned key 'box'",
    );
  });

  it('should throw if an update returns an unknown key, naming block and key', () => {
    const b: Block = { policies: {}, variables: { x: () => ['nope', 1] as unknown as readonly ['x', number] } };
    assert.throws(
      () => runOnce(toySpec([addBlock({ p: () => ({ dx: 0 }) }), b])),
      (e: RunError) => (e.cause as Error).message === "engine: block 2 update for 'x' returned key 'nope' (unknown state variable)",
    );
  });

  it('should throw if an update does not return a [name, value] pair', () => {
    const b: Block = { policies: {}, variables: { x: () => 5 as unknown as readonly ['x', number] } };
    assert.throws(() => runOnce(toySpec([b])), /block 1 update for 'x' must return \[name, value\]/);
  });

  it('should throw if several policies emit a non-numeric signal of one name without an aggregate', () => {
    const b: Block = {
      policies: { a: () => ({ tag: 'x' }), b: () => ({ tag: 'y' }) },
      variables: { x: (_p, _k, _h, s) => ['x', s.x] as const },
    };
    assert.throws(() => runOnce(toySpec([b])), /signal 'tag' is emitted by several policies but is not numeric; pass an 'aggregate'/);
  });

  it('should give 1 + T x B records with the identifying columns in order', () => {
    const blocks = [addBlock({ p: () => ({ dx: 1 }) }), addBlock({ p: () => ({ dx: 10 }) })];
    const res = runOnce(toySpec(blocks, { timesteps: 3 }));
    assert.equal(res.records.length, 1 + 3 * 2);
    assert.deepEqual(
      res.records.map((r) => [r.timestep, r.substep]),
      [[0, 0], [1, 1], [1, 2], [2, 1], [2, 2], [3, 1], [3, 2]],
    );
    for (const r of res.records) {
      assert.equal(r.simulation, 2);
      assert.equal(r.subset, 1);
      assert.equal(r.run, 5);
    }
    assert.deepEqual(res.records.map((r) => r.x), [0, 1, 11, 12, 22, 23, 33]);
    assert.deepEqual([res.simulation, res.subset, res.run], [2, 1, 5]);
    assert.deepEqual(res.metrics, []);
  });

  it('should give 1 + T x B = 401 records for the model at the reference size', () => {
    const res = simulate({ timesteps: 100, seed: 4 });
    assert.equal(res.results[0].records.length, 401);
    assert.deepEqual(Object.keys(res.results[0].records[400]).sort(), ['funds', 'network', 'run', 'simulation', 'subset', 'substep', 'timestep']);
    assert.deepEqual([res.results[0].records[400].timestep, res.results[0].records[400].substep], [100, 4]);
  });

  it('should sum signals of the same name by default', () => {
    const b = addBlock({ a: () => ({ dx: 1, other: 100 }), b: () => ({ dx: 2 }), c: () => ({ dx: 4 }) });
    const res = runOnce(toySpec([b], { timesteps: 2 }));
    // 1 + 2 + 4 = 7 per timestep
    assert.deepEqual(res.records.map((r) => r.x), [0, 7, 14]);
  });

  it('should pass a single policy signal through untouched', () => {
    let seen: Signals | undefined;
    const b: Block = {
      policies: { a: () => ({ obj: { k: 1 }, flag: true }) },
      variables: {
        x: (_p, _k, _h, s, input) => {
          seen = input;
          return ['x', s.x] as const;
        },
      },
    };
    runOnce(toySpec([b], { timesteps: 1 }));
    assert.deepEqual(seen, { obj: { k: 1 }, flag: true });
  });

  it(
    'should treat any signal name as an own key (constructor, toString)',
    () => {
      const b: Block = {
        policies: { a: () => ({ constructor: 3, toString: 4 }) },
        variables: { x: (_p, _k, _h, s, input) => ['x', s.x + (input.constructor as unknown as number) + (input.toString as unknown as number)] as const },
      };
      const res = runOnce(toySpec([b], { timesteps: 1 }));
      assert.equal(res.records[1].x, 7);
    },
  );

  it('should use a pluggable aggregate, given the signal name', () => {
    const calls: string[] = [];
    const b: Block = {
      policies: { a: () => ({ dx: 5, tags: ['a'] }), b: () => ({ dx: 3, tags: ['b'] }), c: () => ({ dx: 9, tags: ['c'] }) },
      variables: {
        x: (_p, _k, _h, s, input) => ['x', s.x + (input.dx as number)] as const,
        box: (_p, _k, _h, s, input): readonly ['box', Toy['box']] => [
          'box',
          { count: s.box.count + 1, items: [...s.box.items, (input.tags as string[]).length] },
        ],
      },
    };
    const aggregate = (a: unknown, v: unknown, name: string) => {
      calls.push(name);
      return name === 'dx' ? Math.max(a as number, v as number) : [...(a as string[]), ...(v as string[])];
    };
    const res = runOnce(toySpec([b], { timesteps: 2, aggregate }));
    // max(5, 3, 9) = 9 per timestep; tags concatenated: 3 items
    assert.deepEqual(res.records.map((r) => r.x), [0, 9, 18]);
    assert.deepEqual(res.records[2].box, { count: 2, items: [3, 3] });
    assert.deepEqual(calls, ['dx', 'tags', 'dx', 'tags', 'dx', 'tags', 'dx', 'tags']);
  });

  it('should call policies with (params, substep, history, state, ctx) before any update', () => {
    const log: string[] = [];
    const b1: Block = {
      policies: {
        p1: (params, substep, history, s, ctx: Context) => {
          log.push(`p1 k=${substep} t=${ctx.timestep} h=${history.length} x=${s.x} step=${params.step} run=${ctx.run}`);
          return { dx: params.step };
        },
        p2: () => {
          log.push('p2');
          return {};
        },
      },
      variables: {
        x: (_p, k, _h, s, input) => {
          log.push(`u k=${k}`);
          return ['x', s.x + (input.dx as number)] as const;
        },
      },
    };
    runOnce(toySpec([b1, addBlock({ p: () => ({ dx: 0 }) })], { timesteps: 2, params: { step: 3 } }));
    assert.deepEqual(log, [
      'p1 k=1 t=1 h=1 x=0 step=3 run=5',
      'p2',
      'u k=1',
      'p1 k=1 t=2 h=3 x=3 step=3 run=5',
      'p2',
      'u k=1',
    ]);
  });

  it('should keep variables that no update returned and let later updates see earlier mutations', () => {
    const b: Block = {
      policies: {},
      variables: {
        box: (_p, _k, _h, s) => {
          s.box.items.push(s.box.items.length);
          return ['box', s.box] as const;
        },
        // sees the item pushed just above in the same block
        x: (_p, _k, _h, s) => ['x', s.box.items.length * 100] as const,
      },
    };
    const other: Block = { policies: {}, variables: { box: (_p, _k, _h, s) => ['box', s.box] as const } };
    const res = runOnce(toySpec([b, other], { timesteps: 2 }));
    assert.deepEqual(res.records.map((r) => r.x), [0, 100, 100, 200, 200]);
  });

  it('should give each substep an independent copy: mutations never reach earlier records', () => {
    const mutating: Block = {
      policies: {
        // a policy that (wrongly) mutates the state still only touches this substep's copy
        meddle: (_p, _k, _h, s) => {
          (s as Toy).box.count += 1;
          return {};
        },
      },
      variables: {
        box: (_p, _k, _h, s) => {
          s.box.items.push(s.box.count);
          return ['box', s.box] as const;
        },
      },
    };
    const genesis: Toy = { x: 0, box: { count: 0, items: [] } };
    const res = runOnce(toySpec([mutating], { timesteps: 4, genesis }));
    assert.deepEqual(
      res.records.map((r) => r.box),
      [
        { count: 0, items: [] },
        { count: 1, items: [1] },
        { count: 2, items: [1, 2] },
        { count: 3, items: [1, 2, 3] },
        { count: 4, items: [1, 2, 3, 4] },
      ],
    );
    for (let k = 1; k < res.records.length; k++) assert.notEqual(res.records[k].box, res.records[k - 1].box);
    // the genesis given is not mutated either
    assert.deepEqual(genesis, { x: 0, box: { count: 0, items: [] } });
    assert.notEqual(res.records[0].box, genesis.box);
  });

  it('should give policies the full history with keep all', () => {
    const seen: number[][] = [];
    const b: Block = {
      policies: {
        p: (_p, _k, history) => {
          seen.push(history.map((r) => r.x));
          return { dx: 1 };
        },
      },
      variables: { x: (_p, _k, _h, s, input) => ['x', s.x + (input.dx as number)] as const },
    };
    runOnce(toySpec([b], { timesteps: 3 }));
    assert.deepEqual(seen, [[0], [0, 1], [0, 1, 2]]);
  });

  it("should keep genesis and each timestep's last substep with keep 'last'", () => {
    const blocks = [addBlock({ p: () => ({ dx: 1 }) }), addBlock({ p: () => ({ dx: 10 }) })];
    const all = runOnce(toySpec(blocks, { timesteps: 3 }));
    const last = runOnce(toySpec(blocks, { timesteps: 3, keep: 'last' }));
    assert.deepEqual(
      last.records,
      all.records.filter((r) => r.substep === 0 || r.substep === 2),
    );
  });

  it("should keep no records with keep 'metrics' but the same metric rows", () => {
    const blocks = [addBlock({ p: () => ({ dx: 1 }) }), addBlock({ p: () => ({ dx: 10 }) })];
    const metrics = { x2: (s: Toy) => s.x * 2, label: (s: Toy) => `x=${s.x}` };
    const all = runOnce(toySpec(blocks, { timesteps: 3, metrics }));
    const only = runOnce(toySpec(blocks, { timesteps: 3, metrics, keep: 'metrics' }));
    assert.deepEqual(only.records, []);
    const pick = (rows: typeof all.metrics) =>
      rows.map((r) => ({ t: r.timestep, k: r.substep, x2: r.x2, label: r.label, sim: r.simulation, sub: r.subset, run: r.run }));
    assert.deepEqual(pick(only.metrics), pick(all.metrics));
    // genesis and the last substep of every timestep: 0, 11, 22, 33
    assert.deepEqual(pick(all.metrics), [0, 11, 22, 33].map((x, t) => ({ t, k: t === 0 ? 0 : 2, x2: 2 * x, label: `x=${x}`, sim: 2, sub: 1, run: 5 })));
  });

  it('should give metric rows with only the identifying columns and the metrics', () => {
    // a row must not carry the state (it would keep every network alive in keep 'metrics')
    const blocks = [addBlock({ p: () => ({ dx: 1 }) })];
    for (const keep of ['all', 'last', 'metrics'] as const) {
      const res = runOnce(toySpec(blocks, { timesteps: 2, metrics: { x2: (s: Toy) => s.x * 2 }, keep }));
      for (const row of res.metrics) assert.deepEqual(Object.keys(row).sort(), ['run', 'simulation', 'subset', 'substep', 'timestep', 'x2']);
    }
  });

  it('should not mutate a plain-object genesis', () => {
    const genesis: Toy = { x: 1, box: { count: 7, items: [1, 2] } };
    const b: Block = {
      policies: {},
      variables: {
        box: (_p, _k, _h, s) => {
          s.box.count = 99;
          s.box.items.length = 0;
          return ['box', s.box] as const;
        },
      },
    };
    runOnce(toySpec([b], { genesis, timesteps: 2 }));
    assert.deepEqual(genesis, { x: 1, box: { count: 7, items: [1, 2] } });
  });
});

describe('#.block', () => {
  it('should run blocks of different signal types in one list, each update reading its own policy\'s typed record', () => {
    interface Step { dx: number }
    interface Fill { add: number[] }
    const blocks: Block[] = [
      block<ToyParams, Toy, Step>({
        policies: { step: (p, _k, _h, s) => ({ dx: p.step + s.x }) },
        variables: { x: (_p, _k, _h, s, input) => ['x', s.x + input.dx] as const },
      }),
      block<ToyParams, Toy, Fill>({
        policies: { fill: (_p, _k, _h, s) => ({ add: [s.x] }) },
        variables: { box: (_p, _k, _h, s, input): readonly ['box', Toy['box']] => ['box', { count: s.box.count + input.add.length, items: [...s.box.items, ...input.add] }] },
      }),
    ];
    const out = runOnce(toySpec(blocks));
    // x: 0 → 1 → 3 → 7 (x + (1 + x) each timestep); box records x after each first substep.
    assert.deepEqual(out.records.at(-1), { x: 7, box: { count: 3, items: [1, 3, 7] }, simulation: 2, subset: 1, run: 5, substep: 2, timestep: 3 });
  });
  it('should return the very block it was given', () => {
    const b: Block = addBlock({ p: () => ({ dx: 1 }) });
    assert.equal(block(b), b);
  });
});

describe('#.sumSignals', () => {
  it('should throw if a value is not a number', () => {
    assert.throws(() => sumSignals('a', 1, 'name'), /signal 'name'/);
    assert.throws(() => sumSignals(1, null, 'n2'), /signal 'n2'/);
  });

  it('should add numbers', () => {
    assert.equal(sumSignals(2, 3.5, 'x'), 5.5);
  });
});

describe('#.checkBlocks', () => {
  it('should throw if blocks is not a non-empty array', () => {
    assert.throws(() => checkBlocks([], { x: 0 }), /at least one/);
    assert.throws(() => checkBlocks(undefined as unknown as [], { x: 0 }), /at least one/);
  });
});

describe('#.copyState', () => {
  it('should deep-copy plain values and fork forkable ones', () => {
    let forks = 0;
    const forkable = { fork: () => (forks++, { forked: true }) };
    const s = { a: { b: [1, 2] }, n: 3, f: forkable };
    const c = copyState(s) as unknown as { a: { b: number[] }; n: number; f: unknown };
    assert.deepEqual(c.a, { b: [1, 2] });
    assert.notEqual(c.a, s.a);
    assert.notEqual(c.a.b, s.a.b);
    assert.equal(c.n, 3);
    assert.deepEqual(c.f, { forked: true });
    assert.equal(forks, 1);
  });
});

describe('#.runOnce (model)', () => {
  it("should give the same metric rows with keep 'all', 'last' and 'metrics'", () => {
    const names = Object.keys(SCALAR_METRICS);
    const pick = (rows: Array<Record<string, unknown>>) =>
      rows.map((r) => Object.fromEntries(['simulation', 'subset', 'run', 'timestep', 'substep', ...names].map((k) => [k, r[k]])));
    const base = { timesteps: 40, runs: 3, seed: 'keep', metrics: SCALAR_METRICS, params: { rho: 0.002 } };
    const all = simulate({ ...base, keep: 'all' });
    const last = simulate({ ...base, keep: 'last' });
    const metrics = simulate({ ...base, keep: 'metrics' });
    for (let r = 0; r < 3; r++) {
      const a = pick(all.results[r].metrics);
      assert.equal(a.length, 41);
      assert.deepEqual(pick(last.results[r].metrics), a);
      assert.deepEqual(pick(metrics.results[r].metrics), a);
      assert.equal(metrics.results[r].records.length, 0);
      // the records kept by 'last' are the substep-4 records of 'all'
      const lastRecs = last.results[r].records;
      const allRecs = all.results[r].records.filter((x) => x.substep === 0 || x.substep === 4);
      assert.equal(lastRecs.length, 41);
      lastRecs.forEach((rec, k) => {
        assert.equal(rec.funds, allRecs[k].funds);
        assert.deepEqual(exportOf(rec.network), exportOf(allRecs[k].network));
      });
    }
  });

  it('should compute metric rows at genesis and at the last substep of each timestep', () => {
    const res = simulate({ timesteps: 5, seed: 1, metrics: { funds: (s: State) => s.funds } });
    const { records, metrics } = res.results[0];
    assert.deepEqual(metrics.map((m) => [m.timestep, m.substep]), [[0, 0], [1, 4], [2, 4], [3, 4], [4, 4], [5, 4]]);
    const ends = records.filter((r) => r.substep === 0 || r.substep === 4);
    assert.deepEqual(metrics.map((m) => m.funds), ends.map((r) => r.funds));
  });

  it('should not mutate a fixed genesis shared by every run', () => {
    const genesis = genesisState(makeParams({ n: 8, m: 3 }), scripted(Array.from({ length: 8 + 9 + 24 }, (_, k) => ((k * 0.37) % 1) * 0.98)));
    const before = exportOf(genesis.network);
    const res = simulate({ genesis, runs: 3, timesteps: 30, seed: 9, params: { rho: 0.002, n: 8 } });
    assert.equal(res.failures.length, 0);
    assert.deepEqual(exportOf(genesis.network), before);
    assert.equal(genesis.funds, 40781.42);
    assert.equal(genesis.network.isFrozen, false);
    // every run starts from it
    for (const r of res.results) assert.deepEqual(exportOf(r.records[0].network), before);
    // and the runs differ from each other (independent generators)
    assert.notEqual(res.results[0].records[120].funds, res.results[1].records[120].funds);
  });
});

describe('#.expandSweep', () => {
  const base = { a: 1, b: 2, c: 3 };

  it('should throw if list lengths mismatch, naming the parameters and lengths', () => {
    assert.throws(
      () => expandSweep(base, { a: [1, 2], b: [1, 2, 3] }),
      (e: Error) => e instanceof RangeError && e.message.includes('a (2), b (3)'),
    );
  });

  it('should throw if a list is empty or not a list', () => {
    assert.throws(() => expandSweep(base, { a: [] }), /'a' must be a non-empty list/);
    assert.throws(() => expandSweep(base, { a: 5 as unknown as number[] }), /'a' must be a non-empty list/);
  });

  it('should give the base alone without a sweep', () => {
    assert.deepEqual(expandSweep(base), [base]);
    assert.deepEqual(expandSweep(base, {}), [base]);
    assert.deepEqual(expandSweep(base, { a: undefined }), [base]);
  });

  it('should zip lists: the k-th set takes the k-th value of each list', () => {
    assert.deepEqual(expandSweep(base, { a: [10, 20, 30], b: [40, 50, 60] }), [
      { a: 10, b: 40, c: 3 },
      { a: 20, b: 50, c: 3 },
      { a: 30, b: 60, c: 3 },
    ]);
  });

  it('should broadcast a list of length 1 to every set', () => {
    assert.deepEqual(expandSweep(base, { a: [10, 20], c: [7] }), [
      { a: 10, b: 2, c: 7 },
      { a: 20, b: 2, c: 7 },
    ]);
    assert.deepEqual(expandSweep(base, { c: [7] }), [{ a: 1, b: 2, c: 7 }]);
  });

  it('should not change the base', () => {
    expandSweep(base, { a: [5, 6] });
    assert.deepEqual(base, { a: 1, b: 2, c: 3 });
  });
});

describe('#.cartesian', () => {
  it('should throw if a list is empty', () => {
    assert.throws(() => cartesian({ a: [1], b: [] }), /'b' must be a non-empty list/);
  });

  it('should give the product as a zipped sweep, first parameter slowest', () => {
    assert.deepEqual(cartesian({ a: [1, 2], b: [3, 4, 5] }), { a: [1, 1, 1, 2, 2, 2], b: [3, 4, 5, 3, 4, 5] });
    const sets = expandSweep<{ a: number; b: number; c: number }>({ a: 0, b: 0, c: 9 }, cartesian({ a: [1, 2], b: [3, 4, 5] }));
    assert.equal(sets.length, 6);
    assert.deepEqual(sets[4], { a: 2, b: 4, c: 9 });
  });
});

describe('#.runExperiment', () => {
  const counter: Model<ToyParams, Toy> = {
    blocks: [addBlock({ p: (params) => ({ dx: params.step }) })],
    params: { step: 1 },
    genesis: { x: 0, box: { count: 0, items: [] } },
  };

  it('should run every (simulation, subset, run) in order with zipped sweeps', () => {
    const sims: Simulation<ToyParams, Toy>[] = [
      { model: counter, timesteps: 2, runs: 2, sweep: { step: [1, 5] } },
      { model: counter, timesteps: 1, runs: 1 },
    ];
    const progress: string[] = [];
    const out = runExperiment(sims, { seed: 1, onProgress: (d, t) => progress.push(`${d}/${t}`) });
    assert.deepEqual(out.failures, []);
    assert.deepEqual(
      out.results.map((r) => [r.simulation, r.subset, r.run, r.records[r.records.length - 1].x]),
      [
        [0, 0, 1, 2],
        [0, 0, 2, 2],
        [0, 1, 1, 10],
        [0, 1, 2, 10],
        [1, 0, 1, 1],
      ],
    );
    assert.deepEqual(progress, ['1/5', '2/5', '3/5', '4/5', '5/5']);
  });

  it("should report a run that throws and keep the others with onError 'collect'", () => {
    const flaky: Model<ToyParams, Toy> = {
      ...counter,
      blocks: [
        addBlock({
          p: (params, _k, _h, _s, ctx) => {
            if (ctx.run === 2) throw new Error(`boom in run ${ctx.run} step ${params.step}`);
            return { dx: 1 };
          },
        }),
      ],
    };
    const out = runExperiment([{ model: flaky, timesteps: 2, runs: 3 }], { seed: 's', onError: 'collect' });
    assert.deepEqual(out.results.map((r) => r.run), [1, 3]);
    assert.equal(out.failures.length, 1);
    const { error, ...ids } = out.failures[0];
    assert.deepEqual(ids, { simulation: 0, subset: 0, run: 2 });
    assert.equal(error.message, 'runExperiment: run failed (simulation 0, subset 0, run 2, timestep 1, substep 1, block 1): boom in run 2 step 1');
    assert.deepEqual(error.location, { simulation: 0, subset: 0, run: 2, timestep: 1, substep: 1, block: 'block 1' });
    assert.equal((error.cause as Error).message, 'boom in run 2 step 1');
  });

  it('should validate each parameter set with the model validator', () => {
    const checked: number[] = [];
    const m: Model<ToyParams, Toy> = { ...counter, validate: (p) => void checked.push(p.step) };
    const jobs = planJobs([{ model: m, timesteps: 1, runs: 2, sweep: { step: [3, 4] } }]);
    assert.deepEqual(checked, [3, 4]);
    assert.deepEqual(jobs.map((j) => [j.subset, j.run, j.params.step]), [[0, 1, 3], [0, 2, 3], [1, 1, 4], [1, 2, 4]]);
  });

  it("should draw each run's genesis from its own parameters and generator", () => {
    const seen: Array<[number, number]> = [];
    const m: Model<ToyParams, Toy> = {
      ...counter,
      genesis: (params, rng) => {
        const u = rng.random();
        seen.push([params.step, u]);
        return { x: params.step * 1000, box: { count: 0, items: [] } };
      },
    };
    const sim: Simulation<ToyParams, Toy> = { model: m, timesteps: 1, runs: 1, sweep: { step: [1, 2] } };
    const out = runExperiment([sim], { seed: 3 });
    assert.deepEqual(out.results.map((r) => r.records[0].x), [1000, 2000]);
    assert.notEqual(seen[0][1], seen[1][1]);
    // the same job run alone draws the same genesis
    const again = runJob(sim, { simulation: 0, subset: 1, run: 1, params: { step: 2 } }, { seed: 3 });
    assert.equal(again.records[0].x, 2000);
    assert.equal(seen[2][1], seen[1][1]);
  });
});

describe('#.runOnce (errors)', () => {
  const walker = (policies: Block['policies']): Block[] => [addBlock({ p: () => ({ dx: 1 }) }, 'first'), addBlock(policies, 'second')];

  it('should throw a RunError naming the timestep, substep and block, with the original error (and stack) as cause', () => {
    const original = new Error('policy blew up');
    const blocks = walker({
      q: (_p, _k, _h, _s, ctx) => {
        if (ctx.timestep === 3) throw original;
        return { dx: 1 };
      },
    });
    assert.throws(
      () => runOnce(toySpec(blocks, { timesteps: 5 })),
      (e: unknown) => {
        assert.ok(e instanceof RunError);
        assert.equal(e.message, 'runOnce: run failed (simulation 2, subset 1, run 5, timestep 3, substep 2, block 2 (second)): policy blew up');
        assert.deepEqual(e.location, { simulation: 2, subset: 1, run: 5, timestep: 3, substep: 2, block: 'block 2 (second)' });
        assert.equal(e.cause, original);
        assert.match((e.cause as Error).stack!, /engine\.test\.ts/);
        return true;
      },
    );
  });

  it('should throw if a policy returns a non-object, null or an array, naming the block and the policy', () => {
    for (const [bad, shown] of [
      [5, 'number 5'],
      [null, 'null'],
      [[1, 2], 'an array'],
      [undefined, 'undefined undefined'],
    ] as const) {
      const blocks = walker({ broken: () => bad as unknown as Signals });
      assert.throws(
        () => runOnce(toySpec(blocks)),
        (e: RunError) =>
          (e.cause as Error).message === `engine: block 2 (second) policy 'broken' must return an object of signals, got ${shown}` &&
          e.location.block === 'block 2 (second)' &&
          e.location.timestep === 1,
        String(bad),
      );
    }
  });

  it('should name the metrics when a metric throws, and the genesis when copying it fails', () => {
    let calls = 0;
    const metrics = {
      m: () => {
        if (++calls === 3) throw new Error('metric failed');
        return 1;
      },
    };
    assert.throws(
      () => runOnce(toySpec(walker({ p: () => ({ dx: 1 }) }), { metrics })),
      (e: RunError) => e.message === 'runOnce: run failed (simulation 2, subset 1, run 5, timestep 2, metrics): metric failed',
    );
    const unclonable = { x: 0, box: { count: 0, items: [], f: () => 1 } } as unknown as Toy;
    assert.throws(
      () => runOnce(toySpec(walker({ p: () => ({ dx: 1 }) }), { genesis: unclonable })),
      (e: RunError) => e instanceof RunError && e.location.timestep === 0 && e.location.block === 'genesis',
    );
  });
});

describe('#.runExperiment (errors and options)', () => {
  const counter: Model<ToyParams, Toy> = {
    blocks: [addBlock({ p: (params) => ({ dx: params.step }) }, 'count')],
    params: { step: 1 },
    genesis: { x: 0, box: { count: 0, items: [] } },
  };
  const failingAt = (run: number, timestep: number): Model<ToyParams, Toy> => ({
    ...counter,
    blocks: [
      addBlock(
        {
          p: (_params, _k, _h, _s, ctx) => {
            if (ctx.run === run && ctx.timestep === timestep) throw new Error(`run ${run} fails`);
            return { dx: 1 };
          },
        },
        'count',
      ),
    ],
  });

  it('should throw the first failing run (in job order) by default, and run nothing after it', () => {
    const seen: number[] = [];
    assert.throws(
      () =>
        runExperiment([{ model: failingAt(2, 4), timesteps: 5, runs: 4 }], {
          seed: 1,
          onProgress: (d) => seen.push(d),
        }),
      (e: unknown) =>
        e instanceof RunError &&
        e.message === 'runExperiment: run failed (simulation 0, subset 0, run 2, timestep 4, substep 1, block 1 (count)): run 2 fails' &&
        (e.cause as Error).message === 'run 2 fails',
    );
    assert.deepEqual(seen, [1], 'run 1 finished, run 2 threw, runs 3 and 4 never ran');
  });

  it('should name a genesis factory that throws', () => {
    const m: Model<ToyParams, Toy> = {
      ...counter,
      genesis: () => {
        throw new Error('no genesis');
      },
    };
    assert.throws(
      () => runExperiment([{ model: m, timesteps: 1, runs: 1 }], { seed: 1 }),
      (e: RunError) => e.message === 'runExperiment: run failed (simulation 0, subset 0, run 1, timestep 0, genesis): no genesis',
    );
  });

  it('should stop with a CancelledError when its signal is aborted', () => {
    const ac = new AbortController();
    const done: number[] = [];
    assert.throws(
      () =>
        runExperiment([{ model: counter, timesteps: 1, runs: 5 }], {
          seed: 1,
          signal: ac.signal,
          onProgress: (d) => {
            done.push(d);
            if (d === 2) ac.abort();
          },
        }),
      (e: unknown) => e instanceof CancelledError && e.message === 'runExperiment: cancelled after 2 of 5 runs',
    );
    assert.deepEqual(done, [1, 2]);
  });

  it('should throw if an option has the wrong type or value, naming the function, the option and what is allowed', () => {
    const sims = [{ model: counter, timesteps: 1, runs: 1 }];
    const cases: Array<[object, RegExp, Function]> = [
      [{ seed: 1, keep: 'bogus' }, /^runExperiment: keep must be one of 'all', 'last', 'metrics', 'checkpoints', got "bogus"$/, ConfigError],
      [{ seed: 1, onError: 'ignore' }, /^runExperiment: onError must be 'throw' or 'collect', got "ignore"$/, ConfigError],
      [{ seed: 1, onProgress: 5 }, /^runExperiment: onProgress must be a function, got 5$/, TypeError],
      [{ seed: 1, onOutcome: 'x' }, /^runExperiment: onOutcome must be a function, got "x"$/, TypeError],
      [{ seed: 1, collect: 'no' }, /^runExperiment: collect must be true or false, got "no"$/, TypeError],
      [{ seed: 1, metrics: { a: 1 } }, /^runExperiment: metrics must be an object of functions/, TypeError],
      [{ seed: 1, signal: {} }, /^runExperiment: signal must be an AbortSignal, got \{\}$/, TypeError],
      [{ seed: 1, kep: 'all' }, /^runExperiment: unknown option 'kep'; known options: seed, keep, /, ConfigError],
    ];
    for (const [options, message, kind] of cases) {
      assert.throws(() => runExperiment(sims, options as never), (e: Error) => e instanceof kind && message.test(e.message), JSON.stringify(options));
    }
    assert.throws(() => runExperiment(sims, null as never), /^TypeError: runExperiment: options must be an object, got null$/);
    assert.throws(() => runExperiment({} as never, { seed: 1 }), /^TypeError: runExperiment: simulations must be a non-empty array/);
  });
});
