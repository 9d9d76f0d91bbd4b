/**
 * Property test of the parameter ranges (src/models/v1/params.ts): thousands of
 * seeded parameter sets drawn across the full ranges, their bounds and the
 * bounds of the cross-field constraints included, each run for a few dozen
 * timesteps and checked at every substep: every number finite, holdings, stakes
 * and funds >= 0, only the status moves of MODEL_SPEC §7, and each candidate's
 * conviction equal to the sum of its edges'. Values that used to break the
 * model are refused with one line naming the field and the range.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRng } from '../src/engine/rng';
import type { Rng, StateRecord } from '../src/engine/types';
import { simulate } from '../src/models/v1';
import { triggerThreshold } from '../src/models/v1/maths';
import type { Network } from '../src/models/shared/network';
import type { NumberRange } from '../src/engine/validate';
import { DEFAULT_PARAMS, makeParams, PARAM_CONSTRAINTS, PARAM_NAMES, PARAM_RANGES, validateParams, type Params } from '../src/models/v1/params';
import type { State } from '../src/models/v1/state';
import { allowedChange } from './helpers/tiny';

type Rec = StateRecord<State>;

const SETS = 2000;
const TIMESTEPS = 25;

/** Log-uniform on [lo, hi] (both > 0). */
function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo)))));
}

/** The next double after `x` towards `dir` (+1 or -1). */
function nextAfter(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0] += (x > 0) === (dir > 0) ? 1n : -1n;
  return f[0];
}

/** The smallest and largest values a range allows (exclusive bounds: the next double inside). */
function boundsOf(r: NumberRange): [number, number] {
  const lo = r.min === undefined ? -Number.MAX_VALUE : r.minExclusive ? nextAfter(r.min, 1) : r.min;
  const top = r.integer ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE;
  const hi = r.max === undefined ? top : r.maxExclusive ? nextAfter(r.max, -1) : r.max;
  return [lo, hi];
}

/**
 * A value of range `r`: one of its two extremes (only the lower with `lowOnly`) with probability 0.2, else a
 * draw over `body` (default: the whole range) — mostly log-uniform where it
 * spans orders of magnitude from a positive start (subnormal starts from 1e-300), else uniform.
 */
function sample(rng: Rng, r: NumberRange, body?: [number, number], lowOnly = false): number {
  const [lo, hi] = boundsOf(r);
  if (rng() < 0.2) return rng() < 0.5 || lowOnly ? lo : hi;
  const [a, b] = body ?? [lo, hi];
  let v: number;
  if (!(a > 0) || b / a < 100 || rng() < 0.25) v = a + rng() * (b - a);
  else v = logUniform(rng, Math.max(a, 1e-300), b);
  v = Math.min(hi, Math.max(lo, v));
  return r.integer ? Math.round(v) : v;
}

/** The rho that makes the least trigger q, nudged by an ulp or two so that rounding keeps q's bounds inside. */
function rhoFor(q: number, beta: number, supply: number): number {
  let rho = (q * beta * beta) / supply;
  const least = (r: number): number => (r * supply) / (beta * beta);
  for (let k = 0; k < 4 && least(rho) < q; k++) rho = nextAfter(rho, 1);
  for (let k = 0; k < 4 && least(rho) > q; k++) rho = nextAfter(rho, -1);
  return rho;
}

/**
 * How to reach a value q of each constraint by setting one of its fields, so
 * that the constraint's own bounds are drawn too: rho from the least trigger,
 * gain from the holdings rate (mirrored when its sign cannot be reached).
 */
const SOLVE: Record<string, (p: Params, q: number) => void> = {
  // n and m are drawn small (see BODY); the upper bound of n·m is the heavy case's
  'n * m': () => undefined,
  'rho * supply / beta^2': (p, q) => {
    p.rho = rhoFor(q, p.beta, p.supply);
  },
  'gain * (sentiment - sensitivity)': (p, q) => {
    const diff = p.sentiment - p.sensitivity;
    if (diff === 0) return; // any gain makes rate 0
    // A rate of the wrong sign for this diff: its mirror, kept in range.
    const [lo, hi] = boundsOf(PARAM_CONSTRAINTS.find((c) => c.fields.includes('gain'))!.range);
    const rate = q / diff >= 0 ? q : Math.min(hi, Math.max(lo, -q));
    p.gain = Math.min(PARAM_RANGES.gain.max ?? Infinity, rate / diff);
  },
};

/**
 * Where draws of a field without an upper bound concentrate (their extremes are
 * still drawn): participants and proposals stay small so 2,000 runs fit in CI.
 */
const BODY: Partial<Record<keyof Params, [number, number]>> = {
  n: [1, 100],
  m: [1, 20],
  tmin: [0, 12],
  // rho is set from the least trigger; these keep rho·supply/beta² representable in most draws
  beta: [1e-6, 1],
  supply: [1e-12, 1e15],
  min_supp: [1e-6, 1e15],
  base_completion_rate: [8, 1e4],
  base_failure_rate: [8, 1e4],
};

/** One candidate set: every field over its declared range, then each constraint's quantity over its own. */
function drawSet(rng: Rng): Params {
  const p = Object.fromEntries(
    PARAM_NAMES.map((name) => [name, sample(rng, PARAM_RANGES[name], BODY[name], name === 'n' || name === 'm')]),
  ) as Params;
  // Extremes of one field are more telling when another equals it (sentiment = sensitivity: no holdings change).
  if (rng() < 0.1) p.sensitivity = p.sentiment;
  for (const c of PARAM_CONSTRAINTS) {
    const solve = SOLVE[c.name];
    assert.ok(solve, `no way to draw the constraint '${c.name}': add it to SOLVE`);
    solve(p, sample(rng, c.range));
  }
  return p;
}

/** Draws `count` valid sets (redrawing the few a constraint refuses) and counts the redraws. */
function drawValidSets(rng: Rng, count: number): { sets: Params[]; redrawn: number } {
  const sets: Params[] = [];
  let redrawn = 0;
  while (sets.length < count) {
    const p = drawSet(rng);
    try {
      validateParams(p);
      sets.push(p);
    } catch (e) {
      redrawn++;
      if (process.env.PROPERTY_DEBUG) console.log((e as Error).message);
      assert.ok(redrawn < count, `too many invalid draws (${redrawn}): the sampler does not follow the ranges`);
    }
  }
  return { sets, redrawn };
}

/** Relative closeness, exact at 0. */
function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));
}

/** Fails with `msg()` unless `cond`: the message is built only on failure (millions of checks). */
function ok(cond: boolean, msg: () => string): void {
  if (!cond) assert.fail(msg());
}

/** Fails with `msg()` unless `a` and `b` are the same value (NaN equals NaN). */
function eq<T>(a: T, b: T, msg: () => string): void {
  if (!Object.is(a, b) && a !== b) assert.fail(`${msg()}: ${String(a)} !== ${String(b)}`);
}

/** Finite and >= 0. */
function amount(x: number): boolean {
  return Number.isFinite(x) && x >= 0;
}

/** Checks one record's state on its own: finiteness, signs, conviction sums, the outputs post-processing derives. */
function checkState(b: Network, funds: number, p: Params, where: string): void {
  ok(amount(funds), () => `${where}: funds ${funds}`);
  const nP = b.participantCount;
  for (let i = 0; i < nP; i++) ok(amount(b.holdings(i)), () => `${where}: holdings of ${i} = ${b.holdings(i)}`);
  for (let j = 0; j < b.proposalCount; j++) {
    const r = b.fundsRequested(j);
    ok(Number.isFinite(r) && r >= 0.001, () => `${where}: request of ${j} = ${r}`);
    ok(Number.isInteger(b.age(j)) && b.age(j) >= 0, () => `${where}: age of ${j}`);
    if (funds > 0) ok(Number.isFinite(r / funds), () => `${where}: share of funds requested of ${j} = ${r / funds}`);
    for (let i = 0; i < nP; i++) {
      const a = b.affinity(i, j);
      ok(a >= 0 && a <= 1, () => `${where}: affinity ${i}->${j} = ${a}`);
      ok(amount(b.tokens(i, j)), () => `${where}: tokens ${i}->${j} = ${b.tokens(i, j)}`);
    }
    if (!b.isCandidate(j)) continue;
    const c = b.conviction(j);
    const t = b.trigger(j);
    ok(amount(c), () => `${where}: conviction of ${j} = ${c}`);
    ok(t > 0, () => `${where}: trigger of candidate ${j} = ${t}`);
    ok(Number.isFinite(c / t), () => `${where}: conviction share of trigger of ${j} = ${c} / ${t}`);
    let sum = 0;
    for (let i = 0; i < nP; i++) {
      const e = b.edgeConviction(i, j);
      ok(amount(e), () => `${where}: edge conviction ${i}->${j} = ${e}`);
      sum += e;
    }
    ok(close(c, sum, 1e-9), () => `${where}: conviction of ${j} ${c} != sum of its edges ${sum}`);
  }
  void p;
}

/** Checks a candidate's trigger against MODEL_SPEC §5 at `funds`: finite exactly when the share is below beta. */
function checkTriggers(b: Network, funds: number, p: Params, where: string): void {
  for (const j of b.proposalsWithStatus('candidate')) {
    const r = b.fundsRequested(j);
    const t = b.trigger(j);
    eq(t, triggerThreshold(r, funds, p.supply, p.beta, p.rho), () => `${where}: trigger of ${j}`);
    eq(Number.isFinite(t), r / funds < p.beta, () => `${where}: trigger of ${j} = ${t} at share ${r / funds}, beta ${p.beta}`);
  }
}

/** Checks every record of a run and the moves between consecutive records; returns the substeps checked. */
function checkRun(records: Rec[], p: Params, tag: string): number {
  checkState(records[0].network, records[0].funds, p, `${tag} genesis`);
  checkTriggers(records[0].network, p.initial_funds, p, `${tag} genesis`);
  for (let r = 1; r < records.length; r++) {
    const prev = records[r - 1];
    const cur = records[r];
    const k = cur.substep;
    const where = `${tag} t=${cur.timestep} k=${k}`;
    checkState(cur.network, cur.funds, p, where);
    if (k === 1) checkTriggers(cur.network, prev.funds, p, where);
    const a = prev.network;
    const b = cur.network;
    for (let j = 0; j < a.proposalCount; j++) {
      ok(allowedChange(a.status(j), b.status(j), k), () => `${where}: proposal ${j} ${a.status(j)} -> ${b.status(j)}`);
    }
    for (let j = a.proposalCount; j < b.proposalCount; j++) eq(b.status(j), 'candidate', () => `${where}: new proposal ${j}`);
  }
  return records.length - 1;
}

describe('#.params (property)', () => {
  it(`should keep every output finite and every amount >= 0 for ${SETS} parameter sets across the full ranges`, () => {
    const rng = runRng('params-property', 0, 0, 0);
    const { sets, redrawn } = drawValidSets(rng, SETS);
    let substeps = 0;
    let passed = 0;
    let killed = 0;
    // How often each field sat on a bound of its range: the extremes were really visited.
    const atBound = new Map<string, number>();
    const countBound = (name: string, v: number, min?: number, max?: number): void => {
      if (v === min || v === max) atBound.set(name, (atBound.get(name) ?? 0) + 1);
    };
    sets.forEach((p, s) => {
      for (const name of PARAM_NAMES) countBound(name, p[name], PARAM_RANGES[name].min, PARAM_RANGES[name].max);
      for (const c of PARAM_CONSTRAINTS) countBound(c.name, c.value(p), c.range.min, c.range.max);
      const out = simulate({ params: p, timesteps: TIMESTEPS, seed: `params-property-${s}` });
      assert.deepEqual(out.failures, [], `set ${s}: ${JSON.stringify(p)}`);
      const records = out.results[0].records;
      assert.equal(records.length, 1 + 4 * TIMESTEPS);
      try {
        substeps += checkRun(records, p, `set ${s}`);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n  params: ${JSON.stringify(p)}`);
      }
      const last = records[records.length - 1].network;
      passed += last.proposalCount - last.proposalsWithStatus('candidate').length - last.proposalsWithStatus('killed').length;
      killed += last.proposalsWithStatus('killed').length;
    });
    console.log(
      `property: ${sets.length} parameter sets (${redrawn} redrawn), ${substeps} substeps checked; ` +
        `${passed} proposals passed, ${killed} killed; sets at a bound: ${[...atBound].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    assert.equal(substeps, SETS * 4 * TIMESTEPS);
    // The draws reached both pictures and the bounds of both constraints.
    assert.ok(passed > 0 && killed > 0, `passed ${passed}, killed ${killed}`);
    for (const c of PARAM_CONSTRAINTS) assert.ok((atBound.get(c.name) ?? 0) >= 20, `${c.name} at a bound in ${atBound.get(c.name)} sets`);
    for (const name of ['initial_funds', 'expected_supply', 'supply', 'gain', 'base_completion_rate']) {
      assert.ok((atBound.get(name) ?? 0) >= 20, `${name} at a bound in ${atBound.get(name)} sets`);
    }
  });

  it('should keep a trigger finite below beta even at the worst share, at the bounds of the least trigger', () => {
    // The largest finite trigger comes from the largest share below beta: beta − share is one ulp of beta.
    const least = PARAM_CONSTRAINTS.find((c) => c.name === 'rho * supply / beta^2')!;
    const [lo, hi] = boundsOf(least.range);
    let checked = 0;
    const [betaLo, betaHi] = boundsOf(PARAM_RANGES.beta);
    for (const beta of [betaLo, 1e-3, 0.2, 0.5, betaHi]) {
      for (const q of [lo, hi]) {
        const supply = 1e15;
        const rho = rhoFor(q, beta, supply);
        validateParams({ ...DEFAULT_PARAMS, beta, rho, supply });
        const funds = 1e6;
        const share = nextAfter(beta, -1);
        const t = triggerThreshold(share * funds, funds, supply, beta, rho);
        assert.ok(Number.isFinite(t) && t > 0, `beta ${beta}, least trigger ${q}: trigger ${t}`);
        assert.equal(triggerThreshold(beta * funds, funds, supply, beta, rho), Infinity);
        checked++;
      }
    }
    assert.equal(checked, 10);
  });

  it('should keep the worst case of the declared bounds below 1e300 for T = 5,000, as params.ts derives', () => {
    // Too long to simulate here (quadratic in the growing network), so the derivation itself is checked
    // against the declared bounds: every participant engaged every day at the largest rate.
    const T = 5000;
    const rate = boundsOf(PARAM_CONSTRAINTS.find((c) => c.fields.includes('gain'))!.range)[1];
    const least = boundsOf(PARAM_CONSTRAINTS.find((c) => c.fields.includes('rho'))!.range)[0];
    const es = PARAM_RANGES.expected_supply.max!;
    const supply = PARAM_RANGES.supply.max!;
    const draw = -Math.log(2 ** -53); // the largest Exp(1) draw: 36.7
    // total holdings: genesis draws, at most T arrivals of Exp(0.1·supply / P >= 1), then compounding
    const log10Holdings = Math.log10(draw * es + T * draw * 0.1 * supply) + T * Math.log10(1 + rate);
    // conviction: at most min(T, 1/(1 − alpha)) <= T times the stakes; divided by the least trigger
    const log10Share = log10Holdings + Math.log10(T) - Math.log10(least);
    // funds: at most the factor 1 + draw·sentiment²·1e-4 a timestep
    const log10Funds = Math.log10(PARAM_RANGES.initial_funds.max!) + T * Math.log10(1 + draw * 1e-4);
    console.log(`property: worst case at T = ${T}: holdings 1e${log10Holdings.toFixed(0)}, conviction / trigger 1e${log10Share.toFixed(0)}, funds 1e${log10Funds.toFixed(0)}`);
    for (const v of [log10Holdings, log10Share, log10Funds]) assert.ok(v < 300, String(v));
  });

  it('should keep every amount finite over 1,000 timesteps at the bounds that compound', () => {
    // Holdings grow at the largest rate (engagement at its most likely), amounts start at their
    // largest, conviction never forgets (alpha just below 1) and the least trigger is at its smallest.
    const beta = 0.5;
    const supply = PARAM_RANGES.supply.max!;
    const p = makeParams({
      n: 1,
      m: 1,
      sentiment: 1,
      sensitivity: 0,
      gain: boundsOf(PARAM_CONSTRAINTS.find((c) => c.fields.includes('gain'))!.range)[1], // the rate's bound, / (1 − 0)
      expected_supply: PARAM_RANGES.expected_supply.max!,
      initial_funds: PARAM_RANGES.initial_funds.max!,
      supply,
      beta,
      rho: rhoFor(1e-6, beta, supply),
      alpha: boundsOf(PARAM_RANGES.alpha)[1],
      min_supp: 0,
    });
    const out = simulate({ params: p, timesteps: 1000, seed: 'params-property-long', keep: 'last' });
    assert.deepEqual(out.failures, []);
    const records = out.results[0].records;
    for (const rec of records) checkState(rec.network, rec.funds, p, `long run t=${rec.timestep}`);
    const last = records[records.length - 1].network;
    let largest = 0;
    for (let i = 0; i < last.participantCount; i++) largest = Math.max(largest, last.holdings(i));
    console.log(`property: ${records.length} records of a 1,000-timestep run at the compounding bounds checked; largest holding ${largest.toExponential(2)}`);
    // the run really compounded: holdings far above their start
    assert.ok(largest > 1e20, String(largest));
  });

  it('should keep the invariants at the upper bound of n * m (the largest genesis network)', () => {
    const nm = PARAM_CONSTRAINTS.find((c) => c.name === 'n * m')!.range.max!;
    const p = makeParams({ n: nm / 4, m: 4, rho: 0.002 });
    const out = simulate({ params: p, timesteps: 2, seed: 'params-property-large' });
    assert.deepEqual(out.failures, []);
    const records = out.results[0].records;
    assert.equal(records[0].network.participantCount * records[0].network.proposalCount, nm);
    const substeps = checkRun(records, p, 'n * m at its bound');
    console.log(`property: n * m = ${nm} (n ${p.n}, m ${p.m}), ${substeps} substeps checked`);
    assert.equal(substeps, 8);
  });

  it('should refuse the values that broke the model, with one line naming the field and the range', () => {
    const cases: Array<[Partial<Params>, string]> = [
      // holdings fell to -4.7e3 and every proposal was killed
      [{ gain: 7 }, 'params: gain * (sentiment - sensitivity) must be a finite number >= -0.99 and <= 0.1, got -1.05'],
      // funds became Infinity
      [{ initial_funds: 1.7976931348623157e308 }, 'params: initial_funds must be a finite number >= 0.000001 and <= 1000000000000000, got 1.7976931348623157e+308'],
      // the share column became NaN
      [{ gain: 1e308 }, 'params: gain must be a finite number >= 0 and <= 100, got 1e+308'],
      // the share column became Infinity
      [{ rho: 5e-324 }, 'params: rho * supply / beta^2 must be a finite number >= 0.000001 and <= 1e+30, got 1.5'],
    ];
    for (const [overrides, start] of cases) {
      assert.throws(
        () => makeParams(overrides),
        (e: unknown) => {
          assert.ok(e instanceof RangeError, String(e));
          assert.ok(e.message.startsWith(start), `'${e.message}' does not start with '${start}'`);
          assert.ok(!e.message.includes('\n'), 'one line');
          return true;
        },
      );
    }
  });
});
