/**
 * The v3 model over whole runs: invariants at every substep, and the
 * statistics of MODEL_SPEC_V3 §12 over many seeded runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StateRecord } from '../src/engine/types';
import { STATUSES, type ProposalStatus } from '../src/models/shared/network';
import { Fractions, simulateV3, type State } from '../src/models/v3';

/** Status moves the model allows from one substep to the next (MODEL_SPEC_V3 §7). */
const LEGAL: Record<ProposalStatus, ReadonlyArray<ProposalStatus>> = {
  candidate: ['candidate', 'active', 'killed'],
  active: ['active', 'completed', 'failed'],
  completed: ['completed'],
  failed: ['failed'],
  killed: ['killed'],
};

function checkRun(records: ReadonlyArray<StateRecord<State>>, T: number, gamma = 0.001): void {
  assert.equal(records.length, 1 + 6 * T);
  const g = records[0].network;
  for (let r = 1; r < records.length; r++) {
    const prev = records[r - 1];
    const rec = records[r];
    const net = rec.network;
    const where = `t=${rec.timestep} k=${rec.substep}`;
    for (const v of [rec.funds, rec.sentiment, rec.total_supply, rec.effective_supply]) assert.ok(Number.isFinite(v), where);
    assert.ok(rec.sentiment >= 0 && rec.sentiment <= 1, `${where}: sentiment ${rec.sentiment}`);
    assert.ok(rec.funds > 0, `${where}: funds ${rec.funds}`);
    assert.ok(rec.effective_supply >= prev.effective_supply, where);
    // Supply is deterministic: S0·(1 + gamma)^t, minted once a day in PSUB 2.
    const days = rec.substep >= 2 ? rec.timestep : rec.timestep - 1;
    assert.ok(Math.abs(rec.total_supply / (22392.22 * (1 + gamma) ** days) - 1) < 1e-12, `${where}: total_supply`);
    // Participants: holdings and own sentiment never change; links never change after genesis.
    for (let i = 0; i < prev.network.participantCount; i++) {
      assert.equal(net.holdings(i), prev.network.holdings(i));
      assert.equal(net.participantSentiment(i), prev.network.participantSentiment(i));
    }
    assert.equal(net.linkCount('influence'), g.linkCount('influence'));
    assert.equal(net.linkCount('conflict'), g.linkCount('conflict'));
    for (let j = 0; j < net.proposalCount; j++) {
      const st = net.status(j);
      if (j < prev.network.proposalCount) {
        const from = prev.network.status(j);
        assert.ok(LEGAL[from].includes(st), `${where}: proposal ${j} ${from} -> ${st}`);
      } else {
        assert.equal(st, 'candidate', `${where}: new proposal ${j}`);
      }
      if (st === 'candidate' && rec.substep >= 5) {
        // A candidate's conviction is the sum of its edges' conviction (after PSUB 5 wrote them).
        let sum = 0;
        for (let i = 0; i < net.participantCount; i++) sum += net.edgeConviction(i, j);
        assert.ok(Math.abs(net.conviction(j) - sum) <= 1e-9 * Math.max(1, Math.abs(sum)), `${where}: conviction of ${j}`);
      }
      if (st === 'active') {
        for (let i = 0; i < net.participantCount; i++) assert.equal(net.tokens(i, j), 0, `${where}: active ${j} stake`);
      }
    }
    if (rec.substep === 6) {
      assert.ok(rec.fractionOfProposalStages instanceof Fractions);
      const shares = (rec.fractionOfProposalStages as Fractions<Record<string, number>>).values;
      const sum = shares.percentageOfActive + shares.percentageOfCompleted + shares.percentageOfKilled;
      assert.ok(sum >= 0 && sum <= 1 + 1e-12, where);
      assert.equal(rec.fractionOfSupplyForVoting, prev.effective_supply / prev.total_supply);
    }
  }
}

describe('#.simulateV3', () => {
  it('should keep every invariant at every substep over 20 default runs', () => {
    const { results, failures } = simulateV3({ seed: 'invariants', runs: 20, timesteps: 100 });
    assert.deepEqual(failures, []);
    for (const r of results) checkRun(r.records, 100);
  });

  it('should keep every invariant with extreme valid parameters', () => {
    const sets = [
      { initial_sentiment: 0, base_engagement_rate: 1, sensitivity: 1, lowest_affinity_to_support: -1 },
      { initial_sentiment: 1, gamma: 0.1, rho: 0.0399, tmin: 0, min_supp: 0 },
      { n: 1, m: 1, beta: 0.01, rho: 0.0000999, alpha: 0 },
    ];
    for (const params of sets) {
      const { results, failures } = simulateV3({ seed: 3, runs: 3, timesteps: 40, params });
      assert.deepEqual(failures, [], JSON.stringify(params));
      for (const r of results) checkRun(r.records, 40, params.gamma);
    }
  });

  it('should be reproducible from its seed and differ between seeds', () => {
    const a = simulateV3({ seed: 7, keep: 'last' }).results[0].records.at(-1)!;
    const b = simulateV3({ seed: 7, keep: 'last' }).results[0].records.at(-1)!;
    const c = simulateV3({ seed: 8, keep: 'last' }).results[0].records.at(-1)!;
    assert.equal(a.funds, b.funds);
    assert.equal(a.network.proposalCount, b.network.proposalCount);
    assert.notEqual(a.funds, c.funds);
  });
});

describe('#.simulateV3 statistics', () => {
  // MODEL_SPEC_V3 §12: mean ± sd over 60 runs of the original, at t = 25, 50, 100.
  const REFERENCE: Record<string, Array<[number, number]>> = {
    funds: [[3816.7, 535.3], [3167.9, 785.6], [3029.3, 1292.0]],
    effective_supply: [[14441.2, 265.3], [14846.4, 341.9], [15632.6, 466.1]],
    sentiment: [[0.949, 0.115], [0.895, 0.2], [0.79, 0.253]],
    participants: [[34.8, 1.8], [39.5, 2.8], [49.0, 3.9]],
    proposals: [[39.5, 5.7], [73.6, 10.7], [138.7, 18.0]],
    candidate: [[8.6, 4.6], [14.7, 10.0], [33.0, 18.7]],
    active: [[13.1, 4.2], [19.3, 6.3], [19.5, 10.0]],
    completed: [[3.2, 1.9], [11.8, 4.3], [31.9, 11.8]],
    failed: [[0.72, 1.01], [2.92, 1.93], [8.85, 3.87]],
    killed: [[13.9, 4.3], [24.9, 7.1], [45.5, 11.5]],
  };
  const TIMES = [25, 50, 100];
  const RUNS = 200;

  it(`should match the original's means within 4 standard errors of the difference (${RUNS} runs against its 60)`, () => {
    const values: Record<string, number[][]> = {};
    const { results } = simulateV3({ seed: 'statistics', runs: RUNS, keep: 'last' });
    for (const r of results) {
      TIMES.forEach((t, k) => {
        const rec = r.records.find((x) => x.timestep === t)!;
        const net = rec.network;
        const row: Record<string, number> = {
          funds: rec.funds,
          effective_supply: rec.effective_supply,
          sentiment: rec.sentiment,
          participants: net.participantCount,
          proposals: net.proposalCount,
        };
        for (const s of STATUSES) row[s] = net.proposalsWithStatus(s).length;
        for (const [name, v] of Object.entries(row)) ((values[name] ??= [[], [], []])[k]).push(v);
      });
    }
    const misses: string[] = [];
    for (const [name, refs] of Object.entries(REFERENCE)) {
      refs.forEach(([refMean, refSd], k) => {
        const xs = values[name][k];
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
        const se = Math.sqrt((refSd * refSd) / 60 + (sd * sd) / xs.length);
        if (Math.abs(mean - refMean) > 4 * se) misses.push(`${name} t=${TIMES[k]}: ${mean.toFixed(2)} vs ${refMean} (se ${se.toFixed(2)})`);
      });
    }
    assert.deepEqual(misses, []);
  });
});
