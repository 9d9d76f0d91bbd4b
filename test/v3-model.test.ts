/**
 * The v3 model (MODEL_SPEC_V3): hand-worked formulas, each block with a
 * scripted generator (every draw chosen by the test, so the draw order is
 * checked too), and the genesis.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Network } from '../src/models/shared/network';
import { adjust, genesisState, makeParams, triggerThresholdV3, validateParams, DEFAULT_PARAMS, Fractions, type Params, type State } from '../src/models/v3';
import { addArrivals, addEffectiveSupply, candidateMedianAffinity, drivingProcess, type ArrivalSignals } from '../src/models/v3/parts/arrivals';
import { kpiCalculations } from '../src/models/v3/parts/metrics';
import { mintFunds, mintingRule, mintSupply } from '../src/models/v3/parts/minting';
import { influenceBoost, participantsDecisions, restake } from '../src/models/v3/parts/participants';
import { checkProgress, sentimentFromProgress, settleProposals } from '../src/models/v3/parts/progress';
import { activateProposals, releaseFunds, sentimentFromRelease, triggerFunction } from '../src/models/v3/parts/release';
import { Gamma3, pickIndex, V } from '../src/models/v3/random';
import { assertClose, ctxOf, scripted } from './helpers/tiny';

const P = (o: Partial<Params> = {}): Params => makeParams(o);
const E0 = (22392.22 - 4867.21) * 0.8;

/** A v3 state around a network, with the given scalars. */
function stateOf(network: Network, o: Partial<Omit<State, 'network'>> = {}): State {
  return {
    network,
    funds: 1000,
    sentiment: 0.6,
    total_supply: 20000,
    effective_supply: 10000,
    fractionOfSupplyForVoting: 0,
    fractionOfSupplyInPool: 0,
    fractionOfProposalStages: 0,
    fractionOfFundStages: 0,
    ...o,
  };
}

/** Two participants (holdings 100, 300; sentiments 0.5, 1) and the given proposals, affinities [participant][proposal]. */
function twoParticipants(proposals: Array<{ requested: number; status?: 'candidate' | 'active' | 'killed'; age?: number; conviction?: number }>, affinity: number[][]): Network {
  const net = new Network();
  net.addParticipant(100, () => ({ affinity: 0 }), 0.5);
  net.addParticipant(300, () => ({ affinity: 0 }), 1);
  proposals.forEach((p, j) =>
    net.addProposal({ funds_requested: p.requested, trigger: 0, status: p.status, age: p.age, conviction: p.conviction }, (i) => affinity[i][j]),
  );
  return net;
}

describe('#.triggerThresholdV3', () => {
  it('should be rho·E/(beta²(1 − alpha)) at share 0: about 0.303·E, 4247.5 for E0', () => {
    const { rho, beta, alpha } = DEFAULT_PARAMS;
    const t = triggerThresholdV3(0, 4867.21, E0, beta, rho, alpha);
    assertClose(t, (0.0025 * E0) / 0.04 / (1 - 2 ** (-1 / 3)), 1e-15);
    assertClose(t / E0, 0.30296, 1e-4);
  });

  it('should equal the most conviction E can hold, E/(1 − alpha), at share beta − √rho = 0.15', () => {
    const { rho, beta, alpha } = DEFAULT_PARAMS;
    assertClose(triggerThresholdV3(0.15 * 1000, 1000, E0, beta, rho, alpha), E0 / (1 - alpha), 1e-12);
  });

  it('should be infinite from share beta on', () => {
    assert.equal(triggerThresholdV3(200, 1000, E0, 0.2, 0.0025, 0.5), Infinity);
    assert.equal(triggerThresholdV3(500, 1000, E0, 0.2, 0.0025, 0.5), Infinity);
  });
});

describe('#.adjust', () => {
  it('should move a quarter of the way toward the force and clip to [0, 1]', () => {
    assertClose(adjust(0.6, 1, 0.25), 0.7, 1e-15);
    assert.equal(adjust(0.9, 3, 0.25), 1);
    assert.equal(adjust(0.1, -2, 0.25), 0);
    assertClose(adjust(0.8, 0, 0.25), 0.6, 1e-15);
  });
});

describe('#.validateParams', () => {
  it('should accept the defaults and refuse values outside a range, naming the field and range', () => {
    validateParams({ ...DEFAULT_PARAMS });
    assert.throws(() => makeParams({ beta: 1 }), /params: beta must be a finite number > 0 and < 1, got 1/);
    assert.throws(() => makeParams({ n: 1.5 }), /params: n must be an integer/);
    assert.throws(() => makeParams({ rho: 0.05 }), /rho must be below beta²/);
    assert.throws(() => makeParams({ initial_supply: 100 }), /initial_supply must exceed initial_funds/);
    assert.throws(() => validateParams({ ...DEFAULT_PARAMS, gain: 1 } as unknown as Params), /unknown v3 parameter 'gain'/);
  });
});

describe('#.random', () => {
  it('should draw V on [−1, 1) as −1 + 2U, and Gamma3 as a sum of three exponentials with the plain generator', () => {
    assert.equal(V(scripted([0.25])), -0.5);
    const g = Gamma3(scripted([0.5, 0.5, 0.5]), 1, 2);
    assertClose(g, 2 * 3 * Math.log(2) + 1, 1e-15);
  });

  it('should pick an index uniformly, drawing nothing for one element', () => {
    assert.equal(pickIndex(scripted([0.99]), 3), 2);
    assert.equal(pickIndex(scripted([]), 1), 0);
  });
});

describe('#.genesisState', () => {
  it('should draw holdings and sentiment per participant, then request, (discarded U, V) per edge, conflicts and influence, in that order', () => {
    const params = P({ n: 2, m: 1, initial_supply: 2000, initial_funds: 1000 });
    // p0: Exp(0, 1000) from 0.5, sentiment 0.25; p1: Exp from 0.75, sentiment 0.5;
    // request Gamma3(0.001, 0.05·0.2·1000 = 10) from three 0.5s; edges: (0.9 discarded, 0.75 → 0.5), (0.1, 0.25 → −0.5);
    // one proposal: no conflict pair; influence pairs (0,1) from 0.99 (x = 4.6 > 4: edge), (1,0) from 0.5 (no edge).
    const rng = scripted([0.5, 0.25, 0.75, 0.5, 0.5, 0.5, 0.5, 0.9, 0.75, 0.1, 0.25, 0.99, 0.5]);
    const s = genesisState(params, rng);
    assert.equal(rng.remaining(), 0);
    const net = s.network;
    assertClose(net.holdings(0), 1000 * Math.log(2), 1e-15);
    assertClose(net.holdings(1), 1000 * Math.log(4), 1e-15);
    assert.equal(net.participantSentiment(0), 0.25);
    assert.equal(net.participantSentiment(1), 0.5);
    const req = 10 * 3 * Math.log(2) + 0.001;
    assertClose(net.fundsRequested(0), req, 1e-15);
    // Slip 7: the genesis trigger uses H0 (the genesis holdings' sum) as the supply.
    const H0 = net.holdings(0) + net.holdings(1);
    assert.equal(net.trigger(0), triggerThresholdV3(req, 1000, H0, 0.2, 0.0025, params.alpha));
    assert.equal(net.affinity(0, 0), 0.5);
    assert.equal(net.affinity(1, 0), -0.5);
    assert.equal(net.linkCount('influence'), 1);
    assertClose(net.link('influence', 0, 1)!, -Math.log(0.01), 1e-15);
    assert.equal(net.link('influence', 1, 0), undefined);
    assert.equal(s.effective_supply, (2000 - 1000) * 0.8);
    assert.equal(s.sentiment, 0.6);
    assert.equal(s.fractionOfProposalStages, 0);
  });

  it('should run the conflict pass over the proposals so far inside the proposal loop, overwriting (slip 1)', () => {
    const params = P({ n: 1, m: 2, initial_supply: 2000, initial_funds: 1000 });
    const draws = [
      0.5, 0.5, // participant
      0.5, 0.5, 0.5, 0.1, 0.5, // proposal 0: request, edge (discard, V)
      // conflict pass over 1 proposal: nothing; influence pass over 1 participant: nothing
      0.5, 0.5, 0.5, 0.1, 0.5, // proposal 1
      0.2, 0.6, // conflict pass: (0,1) u = 0.2 < 0.25 → 0.8; (1,0) u = 0.6: none
    ];
    const s = genesisState(params, scripted(draws));
    assert.equal(s.network.linkCount('conflict'), 1);
    assertClose(s.network.link('conflict', 0, 1)!, 0.8, 1e-15);
  });
});

describe('#.PSUB 1 (arrivals)', () => {
  it('should add a participant with probability (1 + sentiment)/10 and draw its holdings from Exp(0, 0.01(S − E))', () => {
    const net = twoParticipants([{ requested: 900 }], [[0.5], [0.2]]);
    const s = stateOf(net, { sentiment: 0.6, total_supply: 20000, effective_supply: 10000 });
    // U = 0.15 < 0.16: arrives; holdings from 0.5; then the proposal U 0.99 ≥ 1/rate = 0.65/0.9 (none); one request (median 0.35 > 0: ct = 1).
    const sig = drivingProcess(P(), 1, [], s, ctxOf(scripted([0.15, 0.5, 0.99, 0.5])));
    assert.equal(sig.new_participant, true);
    assertClose(sig.new_participant_holdings, 100 * Math.log(2), 1e-15);
    assert.equal(sig.new_proposals, false);
    assert.equal(sig.requests.length, 1);
    const x = (0.2 * 1000) / 10;
    assertClose(sig.requests[0], x * Math.log(2) + 0.1 * x, 1e-15);
    const none = drivingProcess(P(), 1, [], s, ctxOf(scripted([0.17, 0.99, 0.5])));
    assert.equal(none.new_participant, false);
    assert.equal(none.new_participant_holdings, 0);
  });

  it('should let proposals arrive with probability (1 − med)·F/R and make 2 when the median affinity is ≤ 0', () => {
    const net = twoParticipants([{ requested: 500 }], [[-0.5], [0.1]]);
    const s = stateOf(net, { funds: 1000 });
    // med = −0.2, R = 500: rate = (1/1.2)·0.5, 1/rate = 2.4: always; ct = floor(1.2) + 1 = 2.
    assertClose(candidateMedianAffinity(net, [0]), -0.2, 1e-15);
    const sig = drivingProcess(P(), 1, [], s, ctxOf(scripted([0.9, 0.999, 0.5, 0.5])));
    assert.equal(sig.new_proposals, true);
    assert.equal(sig.requests.length, 2);
  });

  it('should make 3 proposals without drawing their arrival when no candidate exists', () => {
    const net = twoParticipants([{ requested: 500, status: 'killed' }], [[0.5], [0.5]]);
    const sig = drivingProcess(P(), 1, [], stateOf(net), ctxOf(scripted([0.9, 0.5, 0.5, 0.5])));
    assert.equal(sig.new_proposals, true);
    assert.equal(sig.requests.length, 3);
  });

  it('should add the newcomer (sentiment U, V per proposal), then each proposal (Pick, V per other participant), then age all and refresh triggers', () => {
    const net = twoParticipants([{ requested: 50, age: 3 }, { requested: 60, status: 'active', age: 5 }], [[0.5, 0.1], [0.2, 0.3]]);
    const s = stateOf(net, { funds: 1000, effective_supply: 10000 });
    const sig: ArrivalSignals = { new_participant: true, new_participant_holdings: 40, new_proposals: true, requests: [70] };
    // newcomer: sentiment 0.3, V from 0.75 (0.5) and 0.25 (−0.5); proposal: Pick(3) from 0.5 → 1, V for 0 and 2: 0.5 → 0, 1 → ...
    const rng = scripted([0.3, 0.75, 0.25, 0.5, 0.5, 0.9]);
    const [, out] = addArrivals(P(), 1, [], s, sig, ctxOf(rng));
    assert.equal(rng.remaining(), 0);
    assert.equal(out.participantCount, 3);
    assert.equal(out.holdings(2), 40);
    assert.equal(out.participantSentiment(2), 0.3);
    assert.equal(out.affinity(2, 0), 0.5);
    assert.equal(out.affinity(2, 1), -0.5);
    assert.equal(out.tokens(2, 0), 0);
    assert.equal(out.proposalCount, 3);
    assert.equal(out.fundsRequested(2), 70);
    assert.equal(out.affinity(1, 2), 1); // the proposer: Pick(3) with U = 0.5 → index 1
    assert.equal(out.affinity(0, 2), 0);
    assertClose(out.affinity(2, 2), 0.8, 1e-15);
    assert.deepEqual([out.age(0), out.age(1), out.age(2)], [4, 6, 1]);
    const p = P();
    assert.equal(out.trigger(0), triggerThresholdV3(50, 1000, 10000, p.beta, p.rho, p.alpha));
    assert.ok(Number.isNaN(out.trigger(1)));
    assert.equal(out.trigger(2), triggerThresholdV3(70, 1000, 10000, p.beta, p.rho, p.alpha));
    const [name, E] = addEffectiveSupply(P(), 1, [], s, sig);
    assert.equal(name, 'effective_supply');
    assert.equal(E, 10040);
  });
});

describe('#.PSUB 2 (minting)', () => {
  it('should mint gamma·S into both the supply and the pool', () => {
    const s = stateOf(twoParticipants([], [[], []]), { total_supply: 20000, funds: 1000 });
    const sig = mintingRule(P({ gamma: 0.001 }), 2, [], s);
    assert.deepEqual(mintSupply(P(), 2, [], s, sig), ['total_supply', 20020]);
    assert.deepEqual(mintFunds(P(), 2, [], s, sig), ['funds', 1020]);
  });
});

describe('#.PSUB 3 (progress)', () => {
  it('should complete an active proposal when U < 1/(45 + ln g), else fail it when U < 1/(180 + ln g), and move sentiment', () => {
    const net = twoParticipants([{ requested: Math.E, status: 'active' }, { requested: Math.E, status: 'active' }, { requested: Math.E, status: 'active' }], [[0, 0, 0], [0, 0, 0]]);
    const s = stateOf(net, { sentiment: 0.6 });
    // 1/46 = 0.02174, 1/181 = 0.005525: p0 completes (0.02), p1 fails (0.5, then 0.005), p2 neither (0.5, 0.006).
    const sig = checkProgress(P(), 3, [], s, ctxOf(scripted([0.02, 0.5, 0.005, 0.5, 0.006])));
    assert.deepEqual(sig, { completed: [0], failed: [1] });
    // c − f = 0: adjust(0.6, 0, 0.25) = 0.45
    assertClose(sentimentFromProgress(P(), 3, [], s, sig)[1], 0.45, 1e-15);
    assert.equal(sentimentFromProgress(P(), 3, [], s, { completed: [], failed: [] })[1], 0.6);
    const [, out] = settleProposals(P(), 3, [], s, sig);
    assert.deepEqual([out.status(0), out.status(1), out.status(2)], ['completed', 'failed', 'active']);
  });
});

describe('#.PSUB 4 (release)', () => {
  it('should accept candidates older than tmin whose conviction strictly exceeds the threshold, fund them and reset their stakes', () => {
    const p = P();
    const thr = triggerThresholdV3(10, 1000, 10000, p.beta, p.rho, p.alpha);
    const net = twoParticipants(
      [
        { requested: 10, age: 2, conviction: thr * 1.01 }, // passes
        { requested: 10, age: 2, conviction: thr }, // equal: not strictly above
        { requested: 10, age: 1, conviction: thr * 2 }, // too young (age must exceed tmin = 1)
      ],
      [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]],
    );
    net.setTokens(0, 0, 7);
    net.setEdgeConviction(1, 0, 9);
    const s = stateOf(net, { funds: 1000, effective_supply: 10000, sentiment: 0.6 });
    const sig = triggerFunction(p, 4, [], s);
    assert.deepEqual(sig, { accepted: [0], guarded: false });
    assert.deepEqual(releaseFunds(p, 4, [], s, sig), ['funds', 990]);
    assertClose(sentimentFromRelease(p, 4, [], s, sig)[1], 0.7, 1e-15);
    const [, out] = activateProposals(p, 4, [], s, sig);
    assert.equal(out.status(0), 'active');
    assert.ok(Number.isNaN(out.conviction(0)));
    assert.equal(out.tokens(0, 0), 0);
    assert.ok(Number.isNaN(out.edgeConviction(1, 0)));
    assert.equal(out.status(1), 'candidate');
  });

  it('should keep the highest convictions while their total stays below F when the accepted requests exceed it (slip 5)', () => {
    // Each request is below beta·F, so the guard needs six passes at once: 6 × 190 > 1000.
    const convictions = [4, 6, 1, 5, 3, 2].map((c) => c * 1e12);
    const net = twoParticipants(
      convictions.map((conviction) => ({ requested: 190, age: 5, conviction })),
      [Array(6).fill(0), Array(6).fill(0)],
    );
    const sig = triggerFunction(P(), 4, [], stateOf(net, { funds: 1000 }));
    // Highest convictions first while the total stays below 1000: five fit (950); the lowest (index 2) does not.
    assert.deepEqual(sig, { accepted: [0, 1, 3, 4, 5], guarded: true });
  });
});

describe('#.PSUB 5 (participants)', () => {
  it('should compute the influence boost as Σ w·tokens_kj / (Σ w · holdings_i)', () => {
    const net = twoParticipants([{ requested: 10 }], [[0.1], [0.2]]);
    net.addParticipant(50, () => ({ affinity: 0.3 }), 0.5);
    net.setLink('influence', 0, 1, 5);
    net.setLink('influence', 0, 2, 6);
    net.setTokens(1, 0, 30);
    net.setTokens(2, 0, 11);
    const s = stateOf(net);
    assertClose(influenceBoost(s, 0, 0), (5 * 30 + 6 * 11) / (5 * 100 + 6 * 100), 1e-15);
    assert.equal(influenceBoost(s, 1, 0), 0);
  });

  it('should engage with U < rate·own sentiment, support above max(floor, sensitivity·best) with the boost, else keep positive stakes', () => {
    const net = twoParticipants([{ requested: 10 }, { requested: 10 }, { requested: 10, status: 'active' }], [[0.2, 0.25, 0.9], [0.8, -0.1, 0.9]]);
    net.setLink('influence', 0, 1, 5);
    net.setTokens(1, 1, 40); // participant 1's stake on candidate 1 lifts participant 0 by 5·40/(5·100) = 0.4
    const s = stateOf(net);
    // p0: 0.1 < 0.3·0.5 engaged: cutoff max(0.3, 0.75·0.25) = 0.3; 0.2 + 0 no, 0.25 + 0.4 yes.
    // p1: 0.5 ≥ 0.3·1 not engaged: keeps the candidates it stakes positively on: candidate 1.
    const sig = participantsDecisions(P(), 5, [], s, ctxOf(scripted([0.1, 0.5])));
    assert.deepEqual(sig.supports, [[1], [1]]);
  });

  it('should split holdings by raw affinity (negative affinity gives negative stakes), accumulate conviction and kill the unsupported', () => {
    const net = twoParticipants([{ requested: 10 }, { requested: 10 }, { requested: 10 }], [[0.6, -0.2, 0.1], [0.5, 0.5, 0.5]]);
    net.setEdgeConviction(0, 0, 10);
    const s = stateOf(net);
    const p = P({ min_supp: 1 });
    const [, out] = restake(p, 5, [], s, { supports: [[0, 1], [0]] });
    // p0: A = 0.4: tokens 0.6/0.4·100 = 150 and −0.2/0.4·100 = −50; p1: all 300 on candidate 0.
    assertClose(out.tokens(0, 0), 150, 1e-15);
    assertClose(out.tokens(0, 1), -50, 1e-15);
    assert.equal(out.tokens(1, 0), 300);
    assertClose(out.edgeConviction(0, 0), 150 + p.alpha * 10, 1e-15);
    assertClose(out.conviction(0), 150 + p.alpha * 10 + 300, 1e-15);
    // Candidate 1 has −50 staked, candidate 2 none: both below min_supp, killed; their conviction is kept.
    assert.deepEqual([out.status(0), out.status(1), out.status(2)], ['candidate', 'killed', 'killed']);
    assertClose(out.conviction(1), -50, 1e-15);
  });
});

describe('#.PSUB 6 (metrics)', () => {
  it('should give E/S, S/F and the shares of proposals and requested funds by status, from the input state', () => {
    const net = twoParticipants(
      [{ requested: 10, status: 'active' }, { requested: 30, status: 'killed' }, { requested: 60 }, { requested: 100, status: 'active' }],
      [[0, 0, 0, 0], [0, 0, 0, 0]],
    );
    const sig = kpiCalculations(P(), 6, [], stateOf(net, { effective_supply: 5000, total_supply: 20000, funds: 800 }));
    assert.equal(sig.forVoting, 0.25);
    assert.equal(sig.inPool, 25);
    assert.ok(sig.proposalStages instanceof Fractions);
    assert.deepEqual(sig.proposalStages.values, { percentageOfActive: 0.5, percentageOfCompleted: 0, percentageOfKilled: 0.25 });
    assert.deepEqual(sig.fundStages.values, {
      percentageOfActiveFundsRequested: 110 / 200,
      percentageOfCompletedFundsRequested: 0,
      percentageOfKilledFundsRequested: 30 / 200,
    });
    assert.equal(sig.proposalStages.fork(), sig.proposalStages);
  });
});
