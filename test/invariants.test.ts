/**
 * Invariants of MODEL_SPEC §1-§2 and §7 checked at every substep of many seeded
 * runs: default parameters, random valid parameter sets, and rho = 0.002 where
 * proposals pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRng } from '../src/engine/rng';
import type { PartialStateUpdateBlock, StateRecord } from '../src/engine/types';
import { runExperiment, type Model, type Simulation } from '../src/engine/wrappers';
import { BLOCKS } from '../src/models/v1/blocks';
import { genesisState } from '../src/models/v1/genesis';
import { triggerThreshold } from '../src/models/v1/maths';
import { DEFAULT_PARAMS, makeParams, validateParams, type Params } from '../src/models/v1/params';
import type { State } from '../src/models/v1/state';
import type { Sweep } from '../src/engine/sweep';
import { close, digestState, exportOf, allowedChange } from './helpers/tiny';

type Rec = StateRecord<State>;

/** Checks every invariant between consecutive records of one run; returns a few counts. */
function checkRun(records: Rec[], params: Params, tag: string): { passed: number } {
  const { supply, beta, rho } = params;
  assert.equal(records.length, 1 + 4 * (records[records.length - 1].timestep), `${tag}: record count`);
  let passed = 0;
  for (let r = 1; r < records.length; r++) {
    const prev = records[r - 1];
    const cur = records[r];
    const k = cur.substep;
    const where = `${tag} t=${cur.timestep} k=${k}`;
    const a = prev.network;
    const b = cur.network;
    assert.equal(k, ((r - 1) % 4) + 1, `${where}: substep order`);
    assert.equal(cur.timestep, Math.floor((r - 1) / 4) + 1, `${where}: timestep order`);
    assert.ok(b.isFrozen, `${where}: a record's network must be frozen`);

    // funds never negative; they change only by arrivals (k=1) and payments (k=3)
    assert.ok(Number.isFinite(cur.funds) && cur.funds >= 0, `${where}: funds ${cur.funds}`);
    if (k === 1) assert.ok(cur.funds >= prev.funds, `${where}: funds fell in PSUB 1`);
    if (k === 2 || k === 4) assert.equal(cur.funds, prev.funds, `${where}: funds changed`);

    // nodes: only PSUB 1 adds, at most one of each kind; ids are creation order
    const dP = b.participantCount - a.participantCount;
    const dQ = b.proposalCount - a.proposalCount;
    assert.ok(dP >= 0 && dQ >= 0 && (k === 1 ? dP <= 1 && dQ <= 1 : dP === 0 && dQ === 0), `${where}: node counts`);
    assert.equal(b.nodeCount, b.participantCount + b.proposalCount, `${where}: node count`);
    if (dP === 1) assert.equal(b.participantId(b.participantCount - 1), a.nodeCount, `${where}: new participant id`);
    if (dQ === 1) assert.equal(b.proposalId(b.proposalCount - 1), b.nodeCount - 1, `${where}: new proposal id`);

    // statuses, ages, affinities of what existed before
    for (let j = 0; j < a.proposalCount; j++) {
      assert.ok(allowedChange(a.status(j), b.status(j), k), `${where}: proposal ${j} ${a.status(j)} -> ${b.status(j)}`);
      assert.equal(b.age(j), a.age(j) + (k === 1 ? 1 : 0), `${where}: age of ${j}`);
      assert.equal(b.fundsRequested(j), a.fundsRequested(j), `${where}: request of ${j} changed`);
      for (let i = 0; i < a.participantCount; i++) assert.equal(b.affinity(i, j), a.affinity(i, j), `${where}: affinity changed`);
    }
    for (let j = a.proposalCount; j < b.proposalCount; j++) {
      assert.equal(b.status(j), 'candidate', `${where}: new proposal status`);
      assert.equal(b.age(j), 1, `${where}: new proposal age`);
    }

    // PSUB 1: candidates' triggers from the funds at the start of the substep, others NaN
    if (k === 1) {
      for (let j = 0; j < b.proposalCount; j++) {
        if (b.isCandidate(j)) {
          assert.equal(b.trigger(j), triggerThreshold(b.fundsRequested(j), prev.funds, supply, beta, rho), `${where}: trigger of ${j}`);
        } else assert.ok(Number.isNaN(b.trigger(j)), `${where}: trigger of non-candidate ${j}`);
      }
    }

    // PSUB 3: funds fall by exactly the requests of the newly active proposals, whose stakes are released
    if (k === 3) {
      let paid = 0;
      for (let j = 0; j < b.proposalCount; j++) {
        if (a.status(j) === 'candidate' && b.status(j) === 'active') {
          paid += b.fundsRequested(j);
          passed++;
          assert.ok(a.age(j) > params.tmin, `${where}: ${j} passed at age ${a.age(j)}`);
          assert.ok(Number.isNaN(b.conviction(j)), `${where}: active conviction`);
          for (let i = 0; i < b.participantCount; i++) {
            assert.equal(b.tokens(i, j), 0, `${where}: released tokens`);
            assert.ok(Number.isNaN(b.edgeConviction(i, j)), `${where}: released edge conviction`);
          }
        }
      }
      assert.ok(close(prev.funds - paid, cur.funds, 1e-12), `${where}: funds ${prev.funds} - ${paid} != ${cur.funds}`);
      assert.ok(paid <= prev.funds, `${where}: over-release`);
    }

    // PSUB 4: each participant's tokens over the candidates entering it sum to 0 or to its holdings;
    // candidates below min_supp die
    if (k === 4) {
      const entering = a.proposalsWithStatus('candidate');
      for (let i = 0; i < b.participantCount; i++) {
        let sum = 0;
        for (const j of entering) {
          assert.ok(b.tokens(i, j) >= 0, `${where}: negative tokens`);
          sum += b.tokens(i, j);
        }
        const h = b.holdings(i);
        assert.ok(h >= 0, `${where}: negative holdings`);
        assert.ok(sum === 0 || close(sum, h, 1e-9), `${where}: participant ${i} stakes ${sum} of ${h}`);
      }
      for (const j of entering) {
        let staked = 0;
        for (let i = 0; i < b.participantCount; i++) staked += b.tokens(i, j);
        const shouldDie = staked < params.min_supp;
        assert.equal(b.status(j), shouldDie ? 'killed' : 'candidate', `${where}: ${j} staked ${staked}`);
      }
    }

    // every candidate's conviction is the sum of its edges' convictions
    for (const j of b.proposalsWithStatus('candidate')) {
      let sum = 0;
      for (let i = 0; i < b.participantCount; i++) sum += b.edgeConviction(i, j);
      assert.ok(close(b.conviction(j), sum, 1e-9), `${where}: conviction of ${j} ${b.conviction(j)} != ${sum}`);
    }
  }
  return { passed };
}

/**
 * The model's blocks with a first policy that digests the previous record (the
 * one just produced) before anything else of the substep runs.
 */
function probedBlocks(digests: Map<string, string>): Array<PartialStateUpdateBlock<Params, State>> {
  return BLOCKS.map((b) => ({
    ...b,
    policies: {
      probe: (_p, _k, history, _s, ctx) => {
        const last = history[history.length - 1];
        const key = `${ctx.subset}/${ctx.run}/${history.length - 1}`;
        assert.ok(!digests.has(key), `record ${key} digested twice`);
        digests.set(key, digestState(last));
        return {};
      },
      ...b.policies,
    },
  }));
}

/** Runs a simulation with probes, checks every run, and returns counts. */
function runAndCheck(
  label: string,
  opts: { params?: Partial<Params>; sweep?: Sweep<Params>; runs: number; timesteps: number; seed: string; genesis?: State },
): { passed: number[]; runs: number } {
  const digests = new Map<string, string>();
  const model: Model<Params, State> = {
    blocks: probedBlocks(digests),
    params: makeParams(opts.params),
    genesis: opts.genesis ?? genesisState,
    validate: validateParams,
  };
  const sim: Simulation<Params, State> = { model, timesteps: opts.timesteps, runs: opts.runs, sweep: opts.sweep };
  const out = runExperiment([sim], { seed: opts.seed });
  assert.deepEqual(out.failures, [], `${label}: failed runs`);
  const passed: number[] = [];
  for (const res of out.results) {
    const tag = `${label} subset ${res.subset} run ${res.run}`;
    const params = { ...model.params, ...Object.fromEntries(Object.entries(opts.sweep ?? {}).map(([k, v]) => [k, (v as number[])[(v as number[]).length === 1 ? 0 : res.subset]])) } as Params;
    passed.push(checkRun(res.records, params, tag).passed);
    // earlier records unchanged: the digest taken when each record was produced equals its digest now
    for (let r = 0; r < res.records.length - 1; r++) {
      const key = `${res.subset}/${res.run}/${r}`;
      assert.equal(digestState(res.records[r]), digests.get(key), `${tag}: record ${r} changed after it was produced`);
    }
  }
  return { passed, runs: out.results.length };
}

/** A random valid parameter set from a seeded generator. */
function randomParams(rng: () => number): Partial<Params> {
  return {
    n: 1 + Math.floor(rng() * 80),
    m: 1 + Math.floor(rng() * 6),
    initial_funds: 1000 + rng() * 1e5,
    expected_supply: 10 ** (4 + 3 * rng()),
    supply: 10 ** (5 + 2 * rng()),
    sentiment: rng(),
    beta: 0.05 + 0.9 * rng(),
    rho: 10 ** (-4 + 2.7 * rng()),
    alpha: 0.95 * rng(),
    sensitivity: rng(),
    tmin: Math.floor(rng() * 11),
    min_supp: rng() * 200,
    base_completion_rate: 8 + 300 * rng(),
    base_failure_rate: 8 + 300 * rng(),
    gain: 0.1 * rng(),
  };
}

describe('#.invariants', () => {
  it('should hold at every substep of 30 default runs', () => {
    const { runs } = runAndCheck('default', { runs: 30, timesteps: 100, seed: 'inv-default' });
    assert.equal(runs, 30);
  });

  it('should hold at every substep of 10 runs with rho = 0.002, where proposals pass', () => {
    const { passed } = runAndCheck('rho', { params: { rho: 0.002 }, runs: 10, timesteps: 100, seed: 'inv-rho' });
    // the PSUB 3 checks ran on real payments
    assert.ok(passed.reduce((a, b) => a + b, 0) >= 10, `passed ${passed}`);
  });

  it('should hold at every substep of 30 runs with random valid parameter sets', () => {
    const rng = runRng('inv-params', 0, 0, 0);
    const sets = Array.from({ length: 30 }, () => randomParams(rng));
    const sweep = Object.fromEntries(Object.keys(DEFAULT_PARAMS).map((k) => [k, sets.map((s) => s[k as keyof Params])])) as Sweep<Params>;
    const { runs, passed } = runAndCheck('random', { sweep, runs: 1, timesteps: 60, seed: 'inv-random' });
    assert.equal(runs, 30);
    // the sets cover both pictures: some pass proposals, some do not
    assert.ok(passed.some((p) => p > 0) && passed.some((p) => p === 0), `passed per set: ${passed}`);
  });

  it('should hold, and leave a fixed genesis untouched, when every run starts from one shared genesis', () => {
    const genesis = genesisState(makeParams(), runRng('inv-genesis', 0, 0, 0));
    const before = exportOf(genesis.network);
    const digest = digestState(genesis);
    runAndCheck('fixed genesis', { params: { rho: 0.002 }, runs: 6, timesteps: 100, seed: 'inv-fixed', genesis });
    assert.equal(digestState(genesis), digest);
    assert.deepEqual(exportOf(genesis.network), before);
    assert.equal(genesis.network.isFrozen, false);
  });
});
