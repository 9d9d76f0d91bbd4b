/**
 * checkInvariants (src/models/v1/invariants.ts), the library check the lab notebook
 * runs: silent on real runs, and each invariant reported, with where and which
 * node, when a state is corrupted by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StateRecord } from '../src/engine/types';
import { simulate } from '../src/models/v1';
import { assertInvariants, checkInvariants, InvariantError, INVARIANTS } from '../src/models/v1/invariants';
import { Network } from '../src/models/shared/network';
import type { State } from '../src/models/v1/state';

type Rec = StateRecord<State>;

/**
 * Participants 0 (holds 100) and 1 (holds 50); candidates 2 and 3, killed 4.
 * Participant 0 stakes 60 + 40 = 100 on the candidates, participant 1 stakes 50 on candidate 3.
 * Edge convictions: 2 <- (30), 3 <- (20, 25); so convictions 30 and 45.
 */
function settledNetwork(): Network {
  const net = new Network();
  net.addParticipant(100, () => ({ affinity: 0.5 }));
  net.addParticipant(50, () => ({ affinity: 0.5 }));
  for (const [status, conviction] of [['candidate', 30], ['candidate', 45], ['killed', 7]] as const) {
    net.addProposal({ status, funds_requested: 10, conviction, trigger: 100, age: 1 }, () => 0.5);
  }
  net.setTokens(0, 0, 60);
  net.setTokens(0, 1, 40);
  net.setTokens(1, 1, 50);
  // Stale stakes on a killed proposal are not stakes on a candidate.
  net.setTokens(0, 2, 1000);
  net.setEdgeConviction(0, 0, 30);
  net.setEdgeConviction(0, 1, 20);
  net.setEdgeConviction(1, 1, 25);
  net.setEdgeConviction(0, 2, 99);
  return net;
}

function rec(network: Network, timestep: number, substep: number, funds = 1000, run = 1): Rec {
  network.freeze();
  return { network, funds, simulation: 0, subset: 0, run, timestep, substep };
}

/** The hand-built network with one change applied (on a fresh copy). */
function corrupted(change: (net: Network) => void): Network {
  const net = settledNetwork();
  change(net);
  return net;
}

describe('checkInvariants on hand-built states', () => {
  it('finds nothing in a consistent state (stakes equal to holdings, conviction the sum of edges)', () => {
    const records = [rec(settledNetwork(), 0, 0), rec(settledNetwork(), 1, 2)];
    assert.deepEqual(checkInvariants(records), []);
    assert.equal(assertInvariants(records), 2);
  });

  it('reports stakes above holdings, naming the record and the participant', () => {
    const net = corrupted((n) => n.setTokens(1, 0, 0.01)); // participant 1: 50.01 staked, holds 50
    const [v, ...rest] = checkInvariants([rec(net, 3, 2)]);
    assert.deepEqual(rest, []);
    assert.equal(v.invariant, 'stakes-within-holdings');
    assert.deepEqual([v.simulation, v.subset, v.run, v.timestep, v.substep, v.node], [0, 0, 1, 3, 2, 1]);
    assert.match(v.message, /^simulation 0, subset 0, run 1, timestep 3, substep 2: participant 1 stakes 50\.01 on candidates but holds 50$/);
  });

  it('reports a candidate whose conviction is not the sum of its edges', () => {
    const net = corrupted((n) => n.setConviction(1, 46)); // edges 20 + 25 = 45
    const v = checkInvariants([rec(net, 2, 2)]);
    assert.deepEqual(v.map((x) => [x.invariant, x.node]), [['conviction-is-sum-of-edges', 3]]);
    assert.match(v[0].message, /candidate 3 has conviction 46 but its edges sum to 45/);
    // A non-candidate's conviction is not checked (killed 4 has 7 against an edge of 99).
  });

  it('tolerates rounding but not more', () => {
    const off = (eps: number) => checkInvariants([rec(corrupted((n) => n.setConviction(1, 45 * (1 + eps))), 1, 2)]).length;
    assert.equal(off(1e-12), 0);
    assert.equal(off(1e-6), 1);
    assert.equal(checkInvariants([rec(corrupted((n) => n.setConviction(1, 45 * (1 + 1e-6))), 1, 2)], { tolerance: 1e-5 }).length, 0);
  });

  it('reports negative or non-finite holdings, stakes and funds', () => {
    const kinds = (net: Network, funds = 1000) => checkInvariants([rec(net, 1, 2, funds)]).map((v) => v.invariant);
    assert.deepEqual(kinds(corrupted((n) => n.setHoldings(0, -1))), ['holdings-non-negative']);
    assert.deepEqual(kinds(corrupted((n) => n.setHoldings(1, NaN))), ['holdings-non-negative']);
    assert.deepEqual(kinds(corrupted((n) => n.setTokens(1, 0, -5))), ['stakes-non-negative']);
    assert.deepEqual(kinds(settledNetwork(), -0.5), ['funds-non-negative']);
    assert.deepEqual(kinds(settledNetwork(), Infinity), ['funds-non-negative']);
  });

  it('exempts only a participant that arrived in this timestep, and only until the last substep', () => {
    // Timestep 1 ends (substep 2) with the two participants; at substep 1 of timestep 2 a newcomer holding 10 arrives
    // with arrival stakes of affinity x holdings on both candidates (0.9 * 10 + 0.8 * 10 = 17 > 10), as the reference does.
    const withNewcomer = () => {
      const n = settledNetwork();
      n.addParticipant(10, (j) => ({ affinity: [0.9, 0.8, 0.1][j], tokens: [9, 8, 1][j], conviction: 0 }));
      return n;
    };
    const history = [rec(settledNetwork(), 1, 2), rec(withNewcomer(), 2, 1)];
    assert.deepEqual(checkInvariants(history), []);
    // The same state at the end of a timestep is a violation: PSUB 4 must have restaked the newcomer.
    const atEnd = checkInvariants([rec(settledNetwork(), 1, 2), rec(withNewcomer(), 2, 1), rec(withNewcomer(), 2, 2)]);
    assert.deepEqual(atEnd.map((v) => [v.invariant, v.timestep, v.substep, v.node]), [['stakes-within-holdings', 2, 2, 5]]);
    // A participant present before the timestep gets no exemption mid-timestep.
    const old = checkInvariants([rec(settledNetwork(), 1, 2), rec(corrupted((n) => n.setTokens(1, 0, 1)), 2, 1)]);
    assert.deepEqual(old.map((v) => [v.invariant, v.node]), [['stakes-within-holdings', 1]]);
  });

  it('stops at `limit` violations and validates its options and input', () => {
    const bad = corrupted((n) => n.setConviction(0, 1));
    const many = Array.from({ length: 10 }, (_, t) => rec(bad.fork(), t + 1, 2));
    assert.equal(checkInvariants(many).length, 10);
    assert.equal(checkInvariants(many, { limit: 3 }).length, 3);
    assert.throws(() => checkInvariants(many, { limit: 0 }), /^RangeError: checkInvariants: limit must be an integer >= 1, got 0$/);
    assert.throws(() => checkInvariants(many, { tolerance: -1 }), /checkInvariants: tolerance must be a number >= 0/);
    assert.throws(() => checkInvariants(42 as never), /^TypeError: checkInvariants: expected a run’s records or an experiment result$/);
    assert.throws(() => checkInvariants([{ funds: 1 }] as never), /TypeError: checkInvariants: a record without a network/);
  });

  it('assertInvariants throws a named InvariantError carrying the violations', () => {
    const bad = rec(corrupted((n) => n.setTokens(0, 0, 61)), 4, 2);
    assert.throws(
      () => assertInvariants([bad]),
      (e: unknown) =>
        e instanceof InvariantError &&
        e.name === 'InvariantError' &&
        e.violations.length === 1 &&
        /^checkInvariants: 1 violation\(s\); first: simulation 0, subset 0, run 1, timestep 4, substep 2: participant 0 stakes 101/.test(e.message),
    );
  });

  it('describes every invariant it checks', () => {
    assert.deepEqual(Object.keys(INVARIANTS).sort(), [
      'conviction-is-sum-of-edges',
      'funds-non-negative',
      'holdings-non-negative',
      'stakes-non-negative',
      'stakes-within-holdings',
    ]);
  });
});

describe('checkInvariants on real runs', () => {
  it('holds at every substep of default, low-rho and long-memory runs, several runs at once', () => {
    for (const params of [{}, { rho: 0.002 }, { alpha: 0.9 }]) {
      const experiment = simulate({ seed: 107, runs: 3, params });
      assert.deepEqual(checkInvariants(experiment), [], JSON.stringify(params));
    }
  });

  it('catches one corrupted edge in the middle of a real run', () => {
    const records = simulate({ seed: 107 }).results[0].records;
    const k = records.findIndex((r) => r.timestep === 56 && r.substep === 4);
    const net = records[k].network.fork();
    const j = net.proposalsWithStatus('candidate').find((q) => net.conviction(q) > 0)!;
    net.setEdgeConviction(0, j, net.edgeConviction(0, j) + 1000);
    net.freeze();
    const broken = [...records.slice(0, k), { ...records[k], network: net }, ...records.slice(k + 1)];
    const v = checkInvariants(broken);
    assert.deepEqual(v.map((x) => [x.invariant, x.timestep, x.substep, x.node]), [['conviction-is-sum-of-edges', 56, 4, net.proposalId(j)]]);
  });
});
