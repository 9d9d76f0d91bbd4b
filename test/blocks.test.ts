import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLOCKS } from '../src/models/v1/blocks';
import { genesisState } from '../src/models/v1/genesis';
import { triggerThreshold } from '../src/models/v1/maths';
import type { Network } from '../src/models/shared/network';
import { participantsDecisions, updateTokens } from '../src/models/v1/parts/participants';
import { pairwiseSum } from '../src/engine/numpy';
import { checkProgress, selectAccepted, triggerFunction } from '../src/models/v1/parts/proposals';
import { drivingProcess, medianAffinity } from '../src/models/v1/parts/system';
import type { State } from '../src/models/v1/state';
import { P, assertClose, ctxOf, networkValues, runBlock, scripted, tinyNetwork } from './helpers/tiny';

const SUPPLY = 1231286.81;
const LN2 = Math.LN2;
const LN4 = Math.log(4);

/** Asserts edge (i, j) of `net` has these affinity, tokens and conviction (relative 1e-12). */
function edge(net: Network, i: number, j: number, affinity: number, tokens: number, conviction: number): void {
  assertClose(net.affinity(i, j), affinity, 1e-12, `affinity(${i},${j})`);
  assertClose(net.tokens(i, j), tokens, 1e-12, `tokens(${i},${j})`);
  assertClose(net.edgeConviction(i, j), conviction, 1e-12, `edge conviction(${i},${j})`);
}

/** Runs a block and checks the state given to it did not change. */
function step(k: 1 | 2 | 3 | 4, params = P(), state: State, draws: number[]): State {
  const before = [...networkValues(state.network), state.funds];
  const out = runBlock(k, params, state, draws);
  assert.deepEqual([...networkValues(state.network), state.funds], before, 'the input state was changed');
  return out;
}

describe('#.BLOCKS', () => {
  it('should be the four PSUBs in order with the reference policy and variable names', () => {
    assert.equal(BLOCKS.length, 4);
    assert.deepEqual(
      BLOCKS.map((b) => [Object.keys(b.policies), Object.keys(b.variables)]),
      [
        [['driving_process'], ['network', 'funds']],
        [['check_progress'], ['network']],
        [['trigger_function'], ['funds', 'network']],
        [['participants_decisions'], ['network']],
      ],
    );
    assert.ok(BLOCKS.every((b) => typeof b.description === 'string' && b.description.length > 0));
  });
});

describe('#.genesisState', () => {
  it("should draw holdings, then each proposal's request and its affinities, with hand-worked values", () => {
    const params = P({ n: 2, m: 2 });
    // holdings Exp(1e6 / 2): u = 0.5 -> 500000 ln 2; u = 0.75 -> 500000 ln 4
    // proposal 0: request Gamma(3, 0.001, 10000) at u = 0.1 x3 -> 0.001 + 10000 * 3 * (-ln 0.9) = 3160.8165...
    //             affinities of participants 0, 1: u = 0.1, 0 -> 0.64, 1
    // proposal 1: request at u = 0.5 x3 -> 0.001 + 10000 * 3 ln 2 = 20794.42 (share 0.51 > beta)
    //             affinities: u = 0.25, 0.5 -> 0.25, 0
    // (the original interleaves them so: MODEL_SPEC Appendix A §4.2, correction 1)
    const rng = scripted([0.5, 0.75, 0.1, 0.1, 0.1, 0.1, 0, 0.5, 0.5, 0.5, 0.25, 0.5]);
    const { network: net, funds } = genesisState(params, rng);
    assert.equal(rng.remaining(), 0);
    assert.equal(funds, 40781.42);
    assert.deepEqual([net.participantCount, net.proposalCount], [2, 2]);
    assert.deepEqual([net.participantId(0), net.participantId(1), net.proposalId(0), net.proposalId(1)], [0, 1, 2, 3]);
    assertClose(net.holdings(0), 500000 * LN2, 1e-12, 'holdings 0');
    assertClose(net.holdings(1), 500000 * LN4, 1e-12, 'holdings 1');
    const r0 = 0.001 + 10000 * 3 * -Math.log(0.9);
    assertClose(net.fundsRequested(0), r0, 1e-12, 'request 0');
    assertClose(net.fundsRequested(1), 0.001 + 30000 * LN2, 1e-12, 'request 1');
    // trigger with initial funds: share = 3160.8165 / 40781.42 = 0.07751; 24625.7362 / (0.2 - 0.07751)^2 = 1.6413e6
    assertClose(net.trigger(0), (0.02 * SUPPLY) / (0.2 - r0 / 40781.42) ** 2, 1e-12, 'trigger 0');
    assert.ok(net.trigger(0) > 1.64e6 && net.trigger(0) < 1.65e6);
    assert.equal(net.trigger(1), Infinity);
    for (const j of [0, 1]) assert.deepEqual([net.status(j), net.conviction(j), net.age(j)], ['candidate', 0, 0]);
    edge(net, 0, 0, 0.64, 0, 0);
    edge(net, 0, 1, 0.25, 0, 0);
    edge(net, 1, 0, 1, 0, 0);
    edge(net, 1, 1, 0, 0, 0);
  });

  it('should use the run parameters n, m, initial_funds and expected_supply', () => {
    const params = P({ n: 3, m: 1, initial_funds: 1000, expected_supply: 300 });
    // holdings Exp(300 / 3 = 100) at u = 0.5: 100 ln 2
    const { network: net, funds } = genesisState(params, scripted([0.5, 0.5, 0.5, 0, 0, 0, 0.5, 0.5, 0.5]));
    assert.equal(funds, 1000);
    assert.equal(net.nodeCount, 4);
    for (let i = 0; i < 3; i++) assertClose(net.holdings(i), 100 * LN2, 1e-12, `holdings ${i}`);
    // request 0.001 + 0 = 0.001: trigger rho * supply / (0.2 - 1e-6)^2
    assertClose(net.trigger(0), (0.02 * SUPPLY) / (0.2 - 0.001 / 1000) ** 2, 1e-12, 'trigger');
  });
});

// ---- PSUB 1 -----------------------------------------------------------------

/**
 * 2 participants (ids 0, 1), 2 proposals (ids 2, 3), funds 20000.
 * j0: candidate, requested 1000, age 3, a stale trigger; j1: active, requested 500, age 9.
 * Affinities 0.9, 0.6 / 0.2, 0.1: the median over all four edges is (0.2 + 0.6) / 2 = 0.4.
 */
function psub1State(funds = 20000): State {
  const network = tinyNetwork({
    holdings: [100, 300],
    proposals: [
      { funds_requested: 1000, age: 3, trigger: 1, conviction: 12 },
      { funds_requested: 500, age: 9, trigger: 777, conviction: NaN, status: 'active' },
    ],
    affinity: [
      [0.9, 0.6],
      [0.2, 0.1],
    ],
    tokens: [
      [70, 0],
      [30, 0],
    ],
    conviction: [
      [8, NaN],
      [4, NaN],
    ],
  });
  return { network, funds };
}

describe('#.drivingProcess', () => {
  it('should give the arrival signals from hand-worked rates', () => {
    // arrival: 1 / (10 / 1.6) = 0.16 > 0.1 -> a participant, holdings Exp(0.1 * supply / 2) at u = 0.5
    // proposal_rate = (1 / 0.4) * (1 + 1000 / 20000) = 2.625; 1 / 2.625 = 0.380952 > 0.38 -> a proposal
    // scale_factor = max(1, 20000 * 0.36 / 10000 = 0.72) = 1; Exp(1) at u = 0.75 = ln 4
    const rng = scripted([0.1, 0.5, 0.38, 0.75]);
    const sig = drivingProcess(P(), 1, [], psub1State(), ctxOf(rng));
    assert.equal(rng.remaining(), 0);
    assert.equal(sig.new_participant, true);
    assertClose(sig.new_participant_holdings as number, 61564.3405 * LN2, 1e-12, 'holdings');
    assert.equal(sig.new_proposal, true);
    assertClose(sig.funds_arrival as number, LN4, 1e-12, 'funds_arrival');
  });

  it('should take the median over every edge and the requests of candidates only', () => {
    // median over all edges 0.4 -> 1 / 2.625 = 0.380952: u = 0.381 gives no proposal
    // (a median over candidates' edges only, 0.55, would give 1 / 1.909 = 0.5238 and a proposal)
    const noProposal = drivingProcess(P(), 1, [], psub1State(), ctxOf(scripted([0.5, 0.381, 0.5])));
    assert.equal(noProposal.new_proposal, false);
    // requests over candidates only: 1000 -> 0.380952 > 0.38 gives a proposal
    // (counting the active proposal's 500 too would give 1 / 2.6875 = 0.372 and none)
    const proposal = drivingProcess(P(), 1, [], psub1State(), ctxOf(scripted([0.5, 0.38, 0.5])));
    assert.equal(proposal.new_proposal, true);
    assert.equal(medianAffinity(psub1State()), 0.4);
  });

  it('should not draw holdings without a new participant nor funds when sentiment <= 0.4', () => {
    // sentiment 0.4: 1 / (10 / 1.4) = 0.14 < 0.5 -> nobody; no funds draw at all
    const rng = scripted([0.5, 0.9]);
    const sig = drivingProcess(P({ sentiment: 0.4 }), 1, [], psub1State(), ctxOf(rng));
    assert.equal(rng.remaining(), 0);
    assert.deepEqual(sig, { new_participant: false, new_participant_holdings: 0, new_proposal: false, funds_arrival: 0 });
  });

  it('should scale the funds arrival with funds * sentiment^2 / 10000 above 1', () => {
    // funds 100000: scale = max(1, 100000 * 0.36 / 10000) = 3.6; Exp(3.6) at u = 0.75 = 3.6 ln 4
    const sig = drivingProcess(P(), 1, [], psub1State(100000), ctxOf(scripted([0.5, 0.9, 0.75])));
    assertClose(sig.funds_arrival as number, 3.6 * LN4, 1e-12, 'funds_arrival');
  });
});

describe('#.PSUB 1 (arrivals)', () => {
  it('should add a participant and a proposal with hand-worked attributes, age proposals and refresh triggers', () => {
    // policy: 0.1 (participant), 0.5 (holdings h = 61564.3405 ln 2 = 42673.149), 0.38 (proposal), 0.75 (ln 4 funds)
    // participant: 0.99 thrown away (the original's unused sentiment draw, Appendix A correction 3),
    //              edges to j0, j1: u = 0.1 -> 0.64, u = 0.25 -> 0.25; tokens = affinity * h
    // proposal: Gamma(3, 0.001, 20000 * 0.01) at u = 0.5 x3 -> r = 0.001 + 600 ln 2 = 415.889
    //           proposer uniformIndex(3) at u = 0.5 -> participant 1 (affinity 1, no draw)
    //           participants 0 and 2: u = 0.1 -> 0.64, u = 0.75 -> 0.25
    const out = step(1, P(), psub1State(), [0.1, 0.5, 0.38, 0.75, 0.99, 0.1, 0.25, 0.5, 0.5, 0.5, 0.5, 0.1, 0.75]);
    const net = out.network;
    const h = 61564.3405 * LN2;
    const r = 0.001 + 600 * LN2;
    assertClose(out.funds, 20000 + LN4, 1e-12, 'funds');
    assert.deepEqual([net.participantCount, net.proposalCount, net.nodeCount], [3, 3, 6]);
    assert.deepEqual([0, 1, 2].map((i) => net.participantId(i)), [0, 1, 4]);
    assert.deepEqual([0, 1, 2].map((j) => net.proposalId(j)), [2, 3, 5]);
    assertClose(net.holdings(2), h, 1e-12, 'new holdings');
    assert.deepEqual([net.holdings(0), net.holdings(1)], [100, 300]);
    // the new participant's edges
    edge(net, 2, 0, 0.64, 0.64 * h, 0);
    edge(net, 2, 1, 0.25, 0.25 * h, 0);
    // the new proposal
    assert.deepEqual([net.status(2), net.conviction(2), net.age(2)], ['candidate', 0, 1]);
    assertClose(net.fundsRequested(2), r, 1e-12, 'request');
    // share = 415.889 / 20000 = 0.0207945; 24625.7362 / (0.2 - 0.0207945)^2 = 766807.56
    assertClose(net.trigger(2), 24625.7362 / (0.2 - r / 20000) ** 2, 1e-10, 'new trigger');
    assertClose(net.trigger(2), 766807.5605, 1e-9, 'new trigger (number)');
    edge(net, 0, 2, 0.64, 0, 0);
    edge(net, 1, 2, 1, 0, 0);
    edge(net, 2, 2, 0.25, 0, 0);
    // ages +1; candidates' triggers from the funds at the start of the substep; others NaN
    assert.deepEqual([net.age(0), net.age(1)], [4, 10]);
    // share 1000 / 20000 = 0.05: 24625.7362 / 0.0225 = 1094477.164
    assertClose(net.trigger(0), 1094477.16444444, 1e-12, 'candidate trigger');
    assert.notEqual(net.trigger(0), triggerThreshold(1000, 20000 + LN4, SUPPLY, 0.2, 0.02));
    assert.ok(Number.isNaN(net.trigger(1)));
    // untouched: statuses, convictions, old edges
    assert.deepEqual([net.status(0), net.status(1), net.conviction(0)], ['candidate', 'active', 12]);
    assert.ok(Number.isNaN(net.conviction(1)));
    edge(net, 0, 0, 0.9, 70, 8);
    edge(net, 1, 0, 0.2, 30, 4);
    edge(net, 0, 1, 0.6, 0, NaN);
  });

  it('should only age proposals and refresh triggers when nothing arrives', () => {
    // sentiment 0.4: no participant (0.5 > 0.14), no proposal (0.9 > 0.381), no funds draw
    const out = step(1, P({ sentiment: 0.4 }), psub1State(), [0.5, 0.9]);
    const net = out.network;
    assert.equal(out.funds, 20000);
    assert.deepEqual([net.participantCount, net.proposalCount, net.nodeCount], [2, 2, 4]);
    assert.deepEqual([net.age(0), net.age(1)], [4, 10]);
    assertClose(net.trigger(0), 1094477.16444444, 1e-12, 'candidate trigger');
    assert.ok(Number.isNaN(net.trigger(1)));
  });

  it('should use beta and rho of the run for the triggers', () => {
    // rho 0.002, beta 0.5: share 0.05 -> 0.002 * supply / 0.45^2 = 2462.5736 / 0.2025 = 12160.6
    const out = step(1, P({ sentiment: 0.4, rho: 0.002, beta: 0.5 }), psub1State(), [0.5, 0.9]);
    assertClose(out.network.trigger(0), (0.002 * SUPPLY) / 0.2025, 1e-12, 'trigger');
    // share >= beta: infinite
    const inf = step(1, P({ sentiment: 0.4, beta: 0.05 }), psub1State(), [0.5, 0.9]);
    assert.equal(inf.network.trigger(0), Infinity);
  });
});

// ---- PSUB 2 -----------------------------------------------------------------

function psub2State(): State {
  const network = tinyNetwork({
    holdings: [10],
    proposals: [
      { funds_requested: 1, status: 'active', conviction: NaN, age: 10 },
      { funds_requested: 1, status: 'active', conviction: NaN, age: 11 },
      { funds_requested: 1000, status: 'active', conviction: NaN, age: 12 },
      { funds_requested: 5, status: 'candidate', conviction: 3, age: 13 },
      { funds_requested: 1, status: 'completed', conviction: NaN, age: 14 },
      { funds_requested: 1, status: 'failed', conviction: NaN, age: 15 },
    ],
    affinity: [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]],
  });
  return { network, funds: 500 };
}

describe('#.PSUB 2 (progress)', () => {
  it('should complete, fail or keep active proposals by hand-worked odds', () => {
    // j0: grant 1, ln 1 = 0: completes when u < 1/100; u = 0.009 -> completed (one draw)
    // j1: u = 0.5 >= 0.01, then fails when u < 1/200; u = 0.004 -> failed
    // j2: grant 1000: 1 / (100 + 6.9078) = 0.0093539 <= 0.0094; 1 / (200 + 6.9078) = 0.0048331 <= 0.0049 -> stays active
    // j3 (candidate), j4 (completed), j5 (failed): no draws
    const out = step(2, P(), psub2State(), [0.009, 0.5, 0.004, 0.0094, 0.0049]);
    const net = out.network;
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((j) => net.status(j)), ['completed', 'failed', 'active', 'candidate', 'completed', 'failed']);
    assert.equal(out.funds, 500);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((j) => net.age(j)), [10, 11, 12, 13, 14, 15]);
  });

  it('should use ln(grant) in the completion and failure odds', () => {
    // grant 1000: u = 0.0093 < 0.0093539 -> completed; for j0, j1 (grant 1) u = 0.5 twice -> stay
    const done = step(2, P(), psub2State(), [0.5, 0.5, 0.5, 0.5, 0.0093]);
    assert.equal(done.network.status(2), 'completed');
    assert.deepEqual([done.network.status(0), done.network.status(1)], ['active', 'active']);
    // u = 0.5, then 0.0048 < 0.0048331 -> failed
    const failed = step(2, P(), psub2State(), [0.5, 0.5, 0.5, 0.5, 0.5, 0.0048]);
    assert.equal(failed.network.status(2), 'failed');
  });

  it('should use base_completion_rate and base_failure_rate', () => {
    // rates 8 and 8 (the least allowed): grant 1 -> odds 1 / (8 + 0) = 0.125; grant 1000 -> 1 / (8 + 6.9078) = 0.06708
    const out = step(2, P({ base_completion_rate: 8, base_failure_rate: 8 }), psub2State(), [0.12, 0.13, 0.124, 0.067]);
    // j0: 0.12 < 0.125 -> completed; j1: 0.13 no, then 0.124 < 0.125 -> failed; j2: 0.067 < 0.06708 -> completed
    assert.deepEqual([0, 1, 2].map((j) => out.network.status(j)), ['completed', 'failed', 'completed']);
  });

  it('should draw nothing when no proposal is active', () => {
    const state = psub2State();
    for (const j of [0, 1, 2]) state.network.setStatus(j, 'killed');
    const out = step(2, P(), state, []);
    assert.deepEqual(networkValues(out.network), networkValues(state.network));
  });

  it('should give the completed and failed indices as signals', () => {
    const sig = checkProgress(P(), 2, [], psub2State(), ctxOf(scripted([0.009, 0.5, 0.004, 0.0094, 0.0049])));
    assert.deepEqual(sig, { completed: [0], failed: [1] });
  });
});

// ---- PSUB 3 -----------------------------------------------------------------

/**
 * funds 10000, tmin 7, defaults: the threshold of a 1000 request is
 * 0.02 * supply / (0.2 - 0.1)^2 = 24625.7362 / 0.01 = 2462573.62.
 */
function psub3State(): State {
  const network = tinyNetwork({
    holdings: [100, 300],
    proposals: [
      // passes: age 8 > 7, 2.5e6 > 2462573.62 (its stored trigger is stale on purpose)
      { funds_requested: 1000, age: 8, conviction: 2.5e6, trigger: Infinity },
      // age 7 == tmin: too young whatever its conviction
      { funds_requested: 1000, age: 7, conviction: 1e9, trigger: 1 },
      // old enough, conviction below the threshold
      { funds_requested: 1000, age: 20, conviction: 2.4e6, trigger: 1 },
      // not a candidate
      { funds_requested: 1000, age: 20, conviction: 1e9, trigger: 1, status: 'killed' },
    ],
    affinity: [
      [0.1, 0.2, 0.3, 0.4],
      [0.5, 0.6, 0.7, 0.8],
    ],
    tokens: [
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ],
    conviction: [
      [1.2e6, 5e8, 1e6, 5e8],
      [1.3e6, 5e8, 1.4e6, 5e8],
    ],
  });
  return { network, funds: 10000 };
}

describe('#.selectAccepted', () => {
  it('should keep every passing proposal, in order, when their requests fit the funds', () => {
    const passing = [
      { j: 4, conviction: 1, requested: 300 },
      { j: 1, conviction: 9, requested: 200 },
    ];
    assert.deepEqual(selectAccepted(passing, 1000), [4, 1]);
    // a total equal to the funds fits
    assert.deepEqual(selectAccepted(passing, 500), [4, 1]);
    assert.deepEqual(selectAccepted([], 10), []);
  });

  it('should keep the highest convictions while the running total stays below the funds', () => {
    // total 1400 > 1000; by conviction: j1 (500), j2 (300): 800 < 1000; j0: 1400 -> stop
    const passing = [
      { j: 0, conviction: 10, requested: 600 },
      { j: 1, conviction: 30, requested: 500 },
      { j: 2, conviction: 20, requested: 300 },
    ];
    assert.deepEqual(selectAccepted(passing, 1000), [1, 2]);
  });

  it('should stop at the first proposal that does not fit, even if a later one would', () => {
    // total 1200 > 1000; j0 500; j1 1100 does not fit -> stop; j2 (100) is not considered
    const passing = [
      { j: 0, conviction: 30, requested: 500 },
      { j: 1, conviction: 20, requested: 600 },
      { j: 2, conviction: 10, requested: 100 },
    ];
    assert.deepEqual(selectAccepted(passing, 1000), [0]);
  });

  it('should keep the running total strictly below the funds', () => {
    // total 1001 > 1000; j0 500 < 1000; j1: 1000 is not < 1000 -> stop
    const passing = [
      { j: 0, conviction: 2, requested: 500 },
      { j: 1, conviction: 1, requested: 500 },
      { j: 2, conviction: 0.5, requested: 1 },
    ];
    assert.deepEqual(selectAccepted(passing, 1000), [0]);
  });

  it('should keep nothing when the best proposal alone does not fit', () => {
    assert.deepEqual(selectAccepted([{ j: 0, conviction: 5, requested: 2000 }, { j: 1, conviction: 1, requested: 10 }], 1000), []);
  });
});

describe('#.PSUB 3 (release of funds)', () => {
  it('should accept only candidates older than tmin whose conviction exceeds the threshold at current funds', () => {
    assert.deepEqual(triggerFunction(P(), 3, [], psub3State()), { accepted: [0] });
    const out = step(3, P(), psub3State(), []);
    const net = out.network;
    // funds 10000 - 1000
    assert.equal(out.funds, 9000);
    assert.deepEqual([0, 1, 2, 3].map((j) => net.status(j)), ['active', 'candidate', 'candidate', 'killed']);
    // the accepted proposal: conviction NaN, in-edges tokens 0 and conviction NaN, affinity kept
    assert.ok(Number.isNaN(net.conviction(0)));
    edge(net, 0, 0, 0.1, 0, NaN);
    edge(net, 1, 0, 0.5, 0, NaN);
    // its trigger is not PSUB 3's business
    assert.equal(net.trigger(0), Infinity);
    // the others are untouched
    assert.deepEqual([net.conviction(1), net.conviction(2), net.conviction(3)], [1e9, 2.4e6, 1e9]);
    edge(net, 0, 1, 0.2, 6, 5e8);
    edge(net, 1, 2, 0.7, 11, 1.4e6);
    edge(net, 1, 3, 0.8, 12, 5e8);
    assert.deepEqual([net.holdings(0), net.holdings(1)], [100, 300]);
  });

  it('should accept at age tmin + 1 and not at age tmin', () => {
    const state = psub3State();
    state.network.setAge(1, 8);
    assert.deepEqual(triggerFunction(P(), 3, [], state), { accepted: [0, 1] });
    assert.deepEqual(triggerFunction(P({ tmin: 8 }), 3, [], psub3State()), { accepted: [] });
    // tmin 0: j1 (age 7) passes too
    assert.deepEqual(triggerFunction(P({ tmin: 0 }), 3, [], psub3State()), { accepted: [0, 1] });
  });

  it('should not accept a conviction equal to the threshold', () => {
    const state = psub3State();
    state.network.setConviction(0, triggerThreshold(1000, 10000, SUPPLY, 0.2, 0.02));
    assert.deepEqual(triggerFunction(P(), 3, [], state), { accepted: [] });
    state.network.setConviction(0, triggerThreshold(1000, 10000, SUPPLY, 0.2, 0.02) * (1 + 1e-12));
    assert.deepEqual(triggerFunction(P(), 3, [], state), { accepted: [0] });
  });

  it('should judge the threshold with the funds at the start of PSUB 3', () => {
    // funds 9000: share 1000 / 9000 = 0.1111; 24625.7362 / (0.0888889)^2 = 3116694 > 2.5e6 -> rejected
    const state = psub3State();
    state.funds = 9000;
    assert.deepEqual(triggerFunction(P(), 3, [], state), { accepted: [] });
  });

  it('should keep the highest conviction within the funds when accepted requests exceed them', () => {
    // beta 0.9, funds 1000; j0 asks 600 (conviction 1e8), j1 asks 500 (conviction 2e8)
    // thresholds: 0.02 supply / 0.3^2 = 273619 and 0.02 supply / 0.4^2 = 153911: both pass
    // total 1100 > 1000: j1 (500 < 1000) kept, then j0 (1100) does not fit
    const network = tinyNetwork({
      holdings: [50],
      proposals: [
        { funds_requested: 600, age: 10, conviction: 1e8 },
        { funds_requested: 500, age: 10, conviction: 2e8 },
      ],
      affinity: [[0.5, 0.5]],
      tokens: [[20, 30]],
      conviction: [[1e8, 2e8]],
    });
    const out = step(3, P({ beta: 0.9 }), { network, funds: 1000 }, []);
    assert.equal(out.funds, 500);
    assert.deepEqual([out.network.status(0), out.network.status(1)], ['candidate', 'active']);
    assert.equal(out.network.conviction(0), 1e8);
    edge(out.network, 0, 0, 0.5, 20, 1e8);
    edge(out.network, 0, 1, 0.5, 0, NaN);
  });

  it('should pay every accepted proposal when they fit', () => {
    const state = psub3State();
    state.network.setAge(1, 8);
    state.network.setFundsRequested(1, 250);
    // j1: share 0.025 -> threshold 24625.7362 / 0.175^2 = 804106 < 1e9
    const out = step(3, P(), state, []);
    assert.equal(out.funds, 10000 - 1000 - 250);
    assert.deepEqual([out.network.status(0), out.network.status(1)], ['active', 'active']);
  });
});

// ---- PSUB 4 -----------------------------------------------------------------

/**
 * P0 holds 1000, P1 holds 200. j0, j1, j2 candidates, j3 active.
 * P0 affinities 0.9, 0.7, 0.3, (1.0 on the active one); P1: 0.8, 0.25, 0.75, (0.9).
 * P1 has tokens on j1 and j2 only.
 */
function psub4State(): State {
  const network = tinyNetwork({
    holdings: [1000, 200],
    proposals: [
      { funds_requested: 100, conviction: 108, age: 2 },
      { funds_requested: 100, conviction: 46, age: 2 },
      { funds_requested: 100, conviction: 50, age: 2 },
      { funds_requested: 100, conviction: NaN, age: 9, status: 'active' },
    ],
    affinity: [
      [0.9, 0.7, 0.3, 1.0],
      [0.8, 0.25, 0.75, 0.9],
    ],
    tokens: [
      [600, 300, 100, 0],
      [0, 10, 190, 0],
    ],
    conviction: [
      [100, 40, 20, NaN],
      [8, 6, 30, NaN],
    ],
  });
  return { network, funds: 777 };
}

describe('#.participantsDecisions', () => {
  it('should choose by engagement: cutoff over candidates when engaged, staked candidates otherwise', () => {
    // P0: 0.1 < 0.3 * 0.6 = 0.18 -> engaged; P1: 0.5 -> not engaged
    const sig = participantsDecisions(P(), 4, [], psub4State(), ctxOf(scripted([0.1, 0.5])));
    // P0: delta = 1000 * 0.01 * (0.6 - 0.75) = -1.5; cutoff max(0.5, 0.75 * 0.9) = 0.675 -> j0, j1
    assertClose(sig.delta_holdings[0], -1.5, 1e-12, 'delta P0');
    assert.deepEqual(sig.supports.of(0), [0, 1]);
    // P1: tokens > 0 on j1, j2
    assert.deepEqual(sig.delta_holdings[1], 0);
    assert.deepEqual(sig.supports.of(1), [1, 2]);
  });

  it('should engage exactly when u < 0.3 * sentiment', () => {
    // 0.3 * 0.6 = 0.18: u = 0.17 engaged (delta != 0), u = 0.19 not
    const sig = participantsDecisions(P(), 4, [], psub4State(), ctxOf(scripted([0.19, 0.17])));
    assert.equal(sig.delta_holdings[0], 0);
    assertClose(sig.delta_holdings[1], 200 * 0.01 * -0.15, 1e-12, 'delta P1');
  });
});

describe('#.PSUB 4 (participants act)', () => {
  it('should restake holdings by affinity, accumulate conviction and sum it per candidate (hand-worked)', () => {
    const out = step(4, P(), psub4State(), [0.1, 0.5]);
    const net = out.network;
    // P0 engaged: holdings 998.5, supports j0, j1 (sum of affinities 1.6)
    //   tokens j0 = 998.5 * 0.9 / 1.6 = 561.65625, j1 = 998.5 * 0.7 / 1.6 = 436.84375, j2 = 0
    //   conviction = tokens + 0.5 * previous: 561.65625 + 50, 436.84375 + 20, 0 + 10
    assertClose(net.holdings(0), 998.5, 1e-12, 'holdings P0');
    edge(net, 0, 0, 0.9, 561.65625, 611.65625);
    edge(net, 0, 1, 0.7, 436.84375, 456.84375);
    edge(net, 0, 2, 0.3, 0, 10);
    // P1 not engaged: holdings 200, keeps j1, j2 (sum 0.25 + 0.75 = 1)
    //   tokens j1 = 50, j2 = 150, j0 = 0; conviction 50 + 3, 150 + 15, 0 + 4
    assert.equal(net.holdings(1), 200);
    edge(net, 1, 0, 0.8, 0, 4);
    edge(net, 1, 1, 0.25, 50, 53);
    edge(net, 1, 2, 0.75, 150, 165);
    // candidates: 611.65625 + 4, 456.84375 + 53, 10 + 165
    assertClose(net.conviction(0), 615.65625, 1e-12, 'conviction j0');
    assertClose(net.conviction(1), 509.84375, 1e-12, 'conviction j1');
    assertClose(net.conviction(2), 175, 1e-12, 'conviction j2');
    // staked 561.66, 486.84, 150 >= 50: nobody killed
    assert.deepEqual([0, 1, 2, 3].map((j) => net.status(j)), ['candidate', 'candidate', 'candidate', 'active']);
    // the active proposal and its edges are untouched
    assert.ok(Number.isNaN(net.conviction(3)));
    edge(net, 0, 3, 1.0, 0, NaN);
    edge(net, 1, 3, 0.9, 0, NaN);
    assert.equal(out.funds, 777);
  });

  it('should sum each participant\'s tokens over the candidates to its holdings or to 0', () => {
    const out = step(4, P(), psub4State(), [0.1, 0.5]);
    for (const i of [0, 1]) {
      const sum = [0, 1, 2].reduce((a, j) => a + out.network.tokens(i, j), 0);
      assertClose(sum, out.network.holdings(i), 1e-12, `tokens of ${i}`);
    }
  });

  it('should use alpha in the conviction recursion', () => {
    // alpha 0: conviction = tokens; alpha 0.9: P1 on j2: 150 + 0.9 * 30 = 177
    const a0 = step(4, P({ alpha: 0 }), psub4State(), [0.1, 0.5]).network;
    edge(a0, 1, 2, 0.75, 150, 150);
    edge(a0, 0, 2, 0.3, 0, 0);
    assertClose(a0.conviction(2), 150, 1e-12, 'alpha 0');
    const a9 = step(4, P({ alpha: 0.9 }), psub4State(), [0.1, 0.5]).network;
    edge(a9, 1, 2, 0.75, 150, 177);
    // j2: P0 0 + 0.9 * 20 = 18; total 195
    assertClose(a9.conviction(2), 195, 1e-12, 'alpha 0.9');
  });

  it('should kill candidates with staked tokens below min_supp, and only below', () => {
    // staked j2 = 150 exactly: min_supp 150 keeps it, 200 kills it (conviction still updated)
    const keep = step(4, P({ min_supp: 150 }), psub4State(), [0.1, 0.5]).network;
    assert.equal(keep.status(2), 'candidate');
    const kill = step(4, P({ min_supp: 200 }), psub4State(), [0.1, 0.5]).network;
    assert.deepEqual([0, 1, 2, 3].map((j) => kill.status(j)), ['candidate', 'candidate', 'killed', 'active']);
    assertClose(kill.conviction(2), 175, 1e-12, 'killed conviction');
    // min_supp 490: j1 (486.84) dies too, j0 (561.66) lives
    const two = step(4, P({ min_supp: 490 }), psub4State(), [0.1, 0.5]).network;
    assert.deepEqual([0, 1, 2].map((j) => two.status(j)), ['candidate', 'killed', 'killed']);
  });

  it('should use a cutoff of at least 0.5 for engaged participants', () => {
    // P1 engaged (u = 0.1) with affinities 0.6, 0.55, 0.5: cutoff max(0.5, 0.75 * 0.6 = 0.45) = 0.5
    // -> supports j0, j1 (0.5 is not above 0.5); holdings 200 - 0.3 = 199.7
    // tokens 199.7 * 0.6 / 1.15 = 104.1913, 199.7 * 0.55 / 1.15 = 95.5087
    const state = psub4State();
    state.network.setAffinity(1, 0, 0.6);
    state.network.setAffinity(1, 1, 0.55);
    state.network.setAffinity(1, 2, 0.5);
    const net = step(4, P(), state, [0.5, 0.1]).network;
    assertClose(net.holdings(1), 199.7, 1e-12, 'holdings P1');
    assertClose(net.tokens(1, 0), (199.7 * 0.6) / 1.15, 1e-12, 'tokens j0');
    assertClose(net.tokens(1, 1), (199.7 * 0.55) / 1.15, 1e-12, 'tokens j1');
    assert.equal(net.tokens(1, 2), 0);
    // P0 not engaged keeps j0, j1, j2 (all staked): 1000 * (0.9, 0.7, 0.3) / 1.9
    assertClose(net.tokens(0, 0), 900 / 1.9, 1e-12, 'P0 j0');
    assertClose(net.tokens(0, 1), 700 / 1.9, 1e-12, 'P0 j1');
    assertClose(net.tokens(0, 2), 300 / 1.9, 1e-12, 'P0 j2');
    assert.equal(net.holdings(0), 1000);
  });

  it('should take the cutoff from candidates only and use sensitivity', () => {
    // P0 engaged: its best affinity overall is 1.0 on the active j3 (cutoff would be 0.75, dropping j1 at 0.7);
    // over candidates it is 0.9 -> 0.675 keeps j1
    const sig = participantsDecisions(P(), 4, [], psub4State(), ctxOf(scripted([0.1, 0.5])));
    assert.deepEqual(sig.supports.of(0), [0, 1]);
    // sensitivity 1: cutoff max(0.5, 0.9) = 0.9 -> nothing is above 0.9
    const strict = participantsDecisions(P({ sensitivity: 1 }), 4, [], psub4State(), ctxOf(scripted([0.1, 0.5])));
    assert.deepEqual(strict.supports.of(0), []);
    // and its holdings change by gain * (0.6 - 1) = -0.4%
    assertClose(strict.delta_holdings[0], 1000 * 0.01 * -0.4, 1e-12, 'delta');
  });

  it('should unstake an engaged participant that likes no candidate enough', () => {
    // P1 engaged with affinities 0.5, 0.3, 0.1: cutoff 0.5, nothing above -> all its tokens 0
    const state = psub4State();
    state.network.setAffinity(1, 0, 0.5);
    state.network.setAffinity(1, 1, 0.3);
    state.network.setAffinity(1, 2, 0.1);
    const net = step(4, P(), state, [0.5, 0.1]).network;
    for (const j of [0, 1, 2]) assert.equal(net.tokens(1, j), 0);
    // conviction only decays: 0.5 * (8, 6, 30)
    assert.deepEqual([0, 1, 2].map((j) => net.edgeConviction(1, j)), [4, 3, 15]);
  });

  it('should support nothing and still change holdings when there is no candidate', () => {
    const state = psub4State();
    for (const j of [0, 1, 2]) state.network.setStatus(j, 'killed');
    const before = networkValues(state.network);
    // both engaged: holdings change by -0.15%, nothing else
    const net = step(4, P(), state, [0.1, 0.1]).network.fork();
    assertClose(net.holdings(0), 998.5, 1e-12, 'P0');
    assertClose(net.holdings(1), 199.7, 1e-12, 'P1');
    // with the holdings put back, nothing else differs
    net.setHoldings(0, 1000);
    net.setHoldings(1, 200);
    assert.deepEqual(networkValues(net), before);
  });

  it('should split a newly arrived participant\'s tokens by affinity when not engaged', () => {
    // a PSUB 1 arrival stakes affinity * holdings on every proposal; not engaged, it keeps
    // every candidate with tokens > 0 and restakes h * a / sum(a)
    const state = psub4State();
    state.network.addParticipant(40, (j) => ({ affinity: [0.5, 0.25, 0.25, 1][j], tokens: 40 * [0.5, 0.25, 0.25, 1][j] }));
    const net = step(4, P(), state, [0.5, 0.5, 0.5]).network;
    // sum over candidates 1: 20, 10, 10
    assert.deepEqual([0, 1, 2].map((j) => net.tokens(2, j)), [20, 10, 10]);
    // its stake on the active j3 is not PSUB 4's business
    assert.equal(net.tokens(2, 3), 40);
  });
});

describe('#.updateTokens', () => {
  it('should sum the affinities of 8 or more supported candidates as numpy does, pairwise', () => {
    // P0 is not engaged (u = 0.5) and stakes on all nine candidates, so it keeps all nine.
    const aff = [0.85, 0.58, 0.31, 0.04, 0.76, 0.49, 0.22, 0.95, 0.68];
    const network = tinyNetwork({
      holdings: [1000],
      proposals: aff.map(() => ({ funds_requested: 10, conviction: 0, age: 1 })),
      affinity: [aff],
      tokens: [aff.map(() => 1)],
      conviction: [aff.map(() => 0)],
    });
    // numpy's pairwise sum of these nine is 4.879999999999999; left to right it is 4.88.
    assert.equal(pairwiseSum(aff), 4.879999999999999);
    assert.equal(aff.reduce((a, b) => a + b, 0), 4.88);
    const net = step(4, P({ min_supp: 0 }), { network, funds: 1 }, [0.5]).network;
    aff.forEach((a, j) => assert.equal(net.tokens(0, j), (a / 4.879999999999999) * 1000, `j${j}`));
    assert.ok(aff.some((a, j) => net.tokens(0, j) !== (a / 4.88) * 1000), 'the left-to-right sum would differ');
  });

  it('should refuse a supports signal made for other candidates', () => {
    const s = psub4State();
    const sig = participantsDecisions(P(), 4, [], s, ctxOf(scripted([0.1, 0.5])));
    assert.deepEqual([sig.supports.of(0), sig.supports.of(1)], [[0, 1], [1, 2]]);
    s.network.setStatus(2, 'killed');
    assert.throws(() => updateTokens(P(), 4, [], s, sig), /^Error: updateTokens: the supports signal names other candidates or participants than the network has$/);
  });

  it('should consume its supports signal: a second use is refused, and the next decisions reuse the flags', () => {
    const s = psub4State();
    const sig = participantsDecisions(P(), 4, [], s, ctxOf(scripted([0.1, 0.5])));
    const flags = sig.supports.flags;
    updateTokens(P(), 4, [], { network: s.network.fork(), funds: s.funds }, sig);
    assert.equal(sig.supports.consumed, true);
    assert.throws(() => updateTokens(P(), 4, [], { network: s.network.fork(), funds: s.funds }, sig), /^Error: updateTokens: this supports signal was consumed by an earlier update$/);
    assert.throws(() => sig.supports.of(0), /^Error: Supports.of: this signal was consumed by updateTokens$/);
    // The next signal fills the same memory, and reads as if fresh.
    const next = participantsDecisions(P(), 4, [], s, ctxOf(scripted([0.5, 0.1])));
    assert.equal(next.supports.flags.buffer, flags.buffer);
    // P0 (u = 0.5) keeps its staked j0, j1, j2; P1 (u = 0.1) is engaged: cutoff max(0.5, 0.75 · 0.8) = 0.6 -> j0 (0.8), j2 (0.75)
    assert.deepEqual([next.supports.of(0), next.supports.of(1)], [[0, 1, 2], [0, 2]]);
  });
});
