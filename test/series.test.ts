/**
 * The pure computations behind the trigger and conviction figures
 * (src/analysis/series.ts) against hand-worked numbers: evenly spaced grids,
 * trigger grids, conviction growth (closed form against recursion), half-lives,
 * a proposal's budget and every candidate's, equal-width histograms; and the
 * bounds that keep any input from exhausting memory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alphaSummaries, candidateBudgets, convictionSeries, halfLife, histogram, linspace, recursionChecks, triggerBudget, triggerGrid } from '../src/analysis';
import { Network } from '../src/models/shared/network';
import { assertClose } from './helpers/tiny';

/** supply 1e6, beta 0.2, rho 0.02: rho·supply = 20000. */
const P = { supply: 1e6, beta: 0.2, rho: 0.02, initial_funds: 10000 };

describe('#.linspace', () => {
  it('should space values evenly and end exactly at hi', () => {
    assert.deepEqual(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(linspace(3, 3, 1), [3]);
    assert.throws(() => linspace(0, 1, 0), /positive integer/);
  });
});

describe('#.triggerGrid', () => {
  it('should compute rho·supply/(beta − share)² per (funds, requested) cell, infinite from share = beta', () => {
    // funds 10000: requested 0 -> 20000/0.04 = 500000; 1000 (share 0.1) -> 20000/0.01 = 2e6; 2000 (share 0.2) -> Infinity
    // funds 20000: requested 1000 (share 0.05) -> 20000/0.0225 = 888888.9
    const z = triggerGrid(P, [0, 1000, 2000], [10000, 20000]);
    assertClose(z[0][0], 500000, 1e-12, 'share 0');
    assertClose(z[0][1], 2e6, 1e-12, 'share 0.1');
    assert.equal(z[0][2], Infinity);
    assertClose(z[1][1], 20000 / 0.0225, 1e-12, 'share 0.05');
  });

  it('should have straight contour rays: equal shares give equal triggers', () => {
    // 1000/10000 and 2000/20000 are both share 0.1
    const z = triggerGrid(P, [1000, 2000], [10000, 20000]);
    assert.equal(z[0][0], z[1][1]);
  });

});

describe('#.convictionSeries', () => {
  it('should match the recursion by hand: x = 100, alpha = 0.5 gives 0, 100, 150, 175', () => {
    const s = convictionSeries({ x: 100, alpha: 0.5, steps: 3, threshold: 160 });
    assert.deepEqual(s.timesteps, [0, 1, 2, 3]);
    assert.deepEqual(s.recursion, [0, 100, 150, 175]);
    s.closedForm.forEach((v, t) => assertClose(v, [0, 100, 150, 175][t], 1e-12, `closed form at ${t}`));
    assert.ok(s.maxAbsDifference < 1e-9);
    assert.equal(s.limit, 200);
    // 150 ≤ 160 < 175: passes after 3 steps
    assert.equal(s.stepsToPass, 3);
  });

  it('should start from y0 and decay towards the asymptote from above', () => {
    // y0 = 400, x = 100, alpha = 0.5: 400 -> 300 -> 250 (limit 200)
    const s = convictionSeries({ x: 100, alpha: 0.5, y0: 400, steps: 2 });
    assert.deepEqual(s.recursion, [400, 300, 250]);
    assert.equal(s.stepsToPass, null);
  });

  it('should report Infinity when the asymptote does not exceed the threshold', () => {
    // limit 200 = threshold: conviction never exceeds it
    assert.equal(convictionSeries({ x: 100, alpha: 0.5, steps: 5, threshold: 200 }).stepsToPass, Infinity);
  });

  it('should reject alpha outside [0, 1) and a non-integer step count', () => {
    assert.throws(() => convictionSeries({ x: 1, alpha: 1, steps: 3 }), /alpha/);
    assert.throws(() => convictionSeries({ x: 1, alpha: 0.5, steps: 2.5 }), /steps/);
  });
});

describe('#.halfLife', () => {
  it('should be ln 0.5 / ln alpha', () => {
    assert.equal(halfLife(0.5), 1);
    assert.equal(halfLife(0), 0);
    // 0.9^6.579 = 0.5
    assertClose(halfLife(0.9), 6.578813478960584, 1e-12, 'half-life 0.9');
  });
});

describe('#.recursionChecks', () => {
  it('should give hand-worked steps to pass 90 % of the asymptote, by the closed form and by the recursion', () => {
    // alpha 0.5, x 100: y_t = 200 (1 − 0.5^t) = 100, 150, 175, 187.5 …; 180 is passed at t = 4, exactly in binary.
    const [half] = recursionChecks([0.5], { x: 100, steps: 10 });
    assert.deepEqual(half, { alpha: 0.5, maxAbsDifference: 0, maxRelative: 0, stepsToPass: 4, recursionFirstAbove: 4 });
    // alpha 0.9, x 10: 0.9^t < 0.1 from t = 22 (ln 0.1 / ln 0.9 = 21.85).
    const [slow] = recursionChecks([0.9], { x: 10, steps: 30 });
    assert.equal(slow.stepsToPass, 22);
    assert.equal(slow.recursionFirstAbove, 22);
    assert.ok(slow.maxRelative < 1e-14, String(slow.maxRelative));
    // alpha 0.99 within 10 steps: the recursion never gets there (ln 0.1 / ln 0.99 = 229.1).
    const [never] = recursionChecks([0.99], { x: 1, steps: 10 });
    assert.deepEqual([never.stepsToPass, never.recursionFirstAbove], [230, -1]);
    assert.throws(() => recursionChecks([0.5], { x: 1, steps: 5, share: 1 }), /^RangeError: recursionChecks: share must be in \(0, 1\), got 1$/);
  });
});

describe('#.alphaSummaries', () => {
  it('should give the half-life, the asymptote and the steps to pass, hand-worked', () => {
    // 200 (1 − 0.5^t) > 150 from t = 3 (t = 2 gives exactly 150); 1000 (1 − 0.9^t) > 150 from t = 2 (190).
    const [a, b] = alphaSummaries([0.5, 0.9], 100, 150);
    assert.deepEqual(a, { alpha: 0.5, halfLife: 1, maxConviction: 200, stepsToPass: 3 });
    assert.equal(b.stepsToPass, 2);
    assert.equal(b.maxConviction, 100 / (1 - 0.9)); // 1000.0000000000002: 1 − 0.9 is just under 0.1
    assertClose(b.halfLife, Math.log(0.5) / Math.log(0.9), 1e-15, 'half-life of 0.9');
    assert.equal(alphaSummaries([0.5], 100, 250)[0].stepsToPass, Infinity);
  });
});

describe('#.triggerBudget', () => {
  it('should work out the worked example of a proposal by hand', () => {
    // requested 300 of 10000: share 0.03; trigger 20000 / 0.17² = 692041.5; alpha 0.5, staked 100000:
    // max conviction 200000, reach 0.289, never passes; stake needed 692041.5 × 0.5 = 346020.8
    const b = triggerBudget({ ...P, alpha: 0.5 }, { requested: 300, funds: 10000, staked: 100000 });
    assertClose(b.share, 0.03, 1e-12, 'share');
    assertClose(b.trigger, 20000 / 0.0289, 1e-12, 'trigger');
    assert.equal(b.maxConviction, 200000);
    assertClose(b.reach, 200000 / (20000 / 0.0289), 1e-12, 'reach');
    assert.equal(b.stepsToPass, Infinity);
    assertClose(b.stakeNeeded, 10000 / 0.0289, 1e-12, 'stake needed');
  });

  it('should give the passing time once rho is ten times lower', () => {
    // rho 0.002: trigger 2000/0.0289 = 69204.2; staked 100000, alpha 0.5: 100000 after 1 step > 69204
    const b = triggerBudget({ ...P, rho: 0.002, alpha: 0.5 }, { requested: 300, funds: 10000, staked: 100000 });
    assert.equal(b.stepsToPass, 1);
    // staked 40000: 40000, 60000, 70000 -> passes after 3 steps
    assert.equal(triggerBudget({ ...P, rho: 0.002, alpha: 0.5 }, { requested: 300, funds: 10000, staked: 40000 }).stepsToPass, 3);
  });
});

describe('#.histogram', () => {
  it('bins like numpy: equal widths over [min, max], last bin closed', () => {
    assert.deepEqual(histogram([0, 10, 10, 20, 100], 10), {
      edges: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
      counts: [1, 2, 1, 0, 0, 0, 0, 0, 0, 1],
    });
    // One distinct value: one unit around it.
    assert.deepEqual(histogram([5, 5], 2), { edges: [4.5, 5, 5.5], counts: [0, 2] });
    assert.deepEqual(histogram([], 10), { edges: [], counts: [] });
  });

});

describe('#.candidateBudgets', () => {
  // Participants 0 and 1; candidates 2 (requests 300, conviction 50000, 40000 staked by 0)
  // and 3 (requests 1000, conviction 0, 20000 staked by 1); proposal 4 is active and left out.
  const net = new Network();
  net.addParticipant(100000, () => ({ affinity: 0.5 }));
  net.addParticipant(200000, () => ({ affinity: 0.5 }));
  net.addProposal({ status: 'candidate', funds_requested: 300, conviction: 50000, trigger: NaN }, () => 0.5);
  net.addProposal({ status: 'candidate', funds_requested: 1000, conviction: 0, trigger: NaN }, () => 0.5);
  net.addProposal({ status: 'active', funds_requested: 10, conviction: 0, trigger: NaN }, () => 0.5);
  net.setTokens(0, 0, 40000);
  net.setTokens(1, 1, 20000);
  const state = { network: net, funds: 10000 };
  const low = { ...P, rho: 0.002, alpha: 0.5 };

  it('should list the candidates, closest to passing first, with hand-worked budgets', () => {
    // rho 0.002: proposal 2 trigger 2000/0.17² = 69204.2, max conviction 80000, reach 1.156;
    // proposal 3 trigger 2000/0.1² = 200000, max 40000, reach 0.2.
    const [a, b, ...rest] = candidateBudgets(state, low);
    assert.equal(rest.length, 0);
    assert.deepEqual([a.proposal, a.requested, a.staked, a.conviction], [2, 300, 40000, 50000]);
    assertClose(a.trigger, 2000 / 0.0289, 1e-12, 'trigger of 2');
    assertClose(a.reach, 80000 / (2000 / 0.0289), 1e-12, 'reach of 2');
    assert.deepEqual([b.proposal, b.staked, b.maxConviction], [3, 20000, 40000]);
    assertClose(b.reach, 0.2, 1e-12, 'reach of 3');
    // from its conviction 50000: 40000 + 25000 = 65000, then 72500 > 69204: two steps
    assert.equal(a.stepsToPass, 2);
    // from scratch: 40000, 60000, 70000: three steps
    assert.equal(candidateBudgets(state, low, { fromScratch: true })[0].stepsToPass, 3);
  });

  it('should name itself when given something that is not a state', () => {
    assert.throws(() => candidateBudgets(null as never), (e: Error) => e instanceof TypeError && /^candidateBudgets: state must be/.test(e.message));
    assert.throws(() => candidateBudgets(net as never), /^TypeError: candidateBudgets: state must be/);
  });
});

describe('bounds: no input exhausts memory', () => {
  it('should refuse huge or broken counts at once, naming the function and the argument', () => {
    assert.throws(() => histogram([1, 2, 3], 1e9), (e: Error) => e instanceof RangeError && /^histogram: bins must be an integer in \[1, 10000\], got 1000000000$/.test(e.message));
    assert.throws(() => histogram([1], 0), /histogram: bins/);
    assert.throws(() => histogram([1], 2.5), /histogram: bins/);
    assert.throws(() => histogram('abc' as never), (e: Error) => e instanceof TypeError && /^histogram: values/.test(e.message));
    assert.throws(() => linspace(0, 1, 1e9), /linspace: count must be a positive integer up to 1000000/);
    assert.throws(() => triggerGrid(P, new Array(2000).fill(1), new Array(2000).fill(1)), /triggerGrid: the grid has 2000 × 2000 cells/);
    assert.throws(() => convictionSeries({ x: 1, alpha: 0.5, steps: 1e9 }), /convictionSeries: steps must be an integer in \[1, 100000\]/);
    assert.throws(() => convictionSeries(undefined as never), (e: Error) => e instanceof TypeError && /^convictionSeries: args must be an object/.test(e.message));
    assert.throws(() => convictionSeries({ x: '5', alpha: 0.5, steps: 3 } as never), (e: Error) => e instanceof TypeError && /convictionSeries: args.x must be a number, got string/.test(e.message));
    assert.throws(() => halfLife('0.5' as never), (e: Error) => e instanceof TypeError && /^halfLife: alpha must be a number/.test(e.message));
  });

  it('should bin a long array without spreading it into Math.min', () => {
    // 300,000 values: Math.min(...values) would overflow the call stack.
    const values = Array.from({ length: 300_000 }, (_, k) => k % 100);
    const { counts, edges } = histogram(values, 4);
    assert.deepEqual(edges, [0, 24.75, 49.5, 74.25, 99]);
    assert.deepEqual(counts, [75000, 75000, 75000, 75000]);
  });
});
