/**
 * Exact parity of v3 with the Python original (MODEL_SPEC_V3 §4.3, §12): with
 * the numpy-compatible generator, seed k gives the run the original gave after
 * `np.random.seed(k)`: counts and statuses equal, amounts within 1e-12
 * relative, at genesis and at every timestep.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StateRecord } from '../src/engine/types';
import { STATUSES } from '../src/models/shared/network';
import { simulateV3, type State } from '../src/models/v3';
import { loadReference, type ReferenceRow } from './helpers/reference-runs';

type ReferenceRowV3 = Required<ReferenceRow>;

/** The reference's fields of a record, computed as its README says (sums in id order). */
function rowOf(rec: StateRecord<State>): ReferenceRowV3 {
  const net = rec.network;
  const counts = Object.fromEntries(STATUSES.map((s) => [s, net.proposalsWithStatus(s).length])) as Record<(typeof STATUSES)[number], number>;
  let maxShare: number | null = null;
  let candidateFunds = 0;
  for (const j of net.proposalsWithStatus('candidate')) {
    const trigger = net.trigger(j);
    const share = Number.isFinite(trigger) ? net.conviction(j) / trigger : 0;
    maxShare = maxShare === null ? share : Math.max(maxShare, share);
    candidateFunds += net.fundsRequested(j);
  }
  let holdings = 0;
  for (let i = 0; i < net.participantCount; i++) holdings += net.holdings(i);
  return {
    timestep: rec.timestep,
    funds: rec.funds,
    total_supply: rec.total_supply,
    effective_supply: rec.effective_supply,
    sentiment: rec.sentiment,
    participants: net.participantCount,
    proposals: net.proposalCount,
    ...counts,
    max_share: maxShare,
    candidate_funds: candidateFunds,
    holdings_sum: holdings,
  };
}

const AMOUNTS = ['funds', 'total_supply', 'effective_supply', 'sentiment', 'max_share', 'candidate_funds', 'holdings_sum'] as const;
const COUNTS = ['participants', 'proposals', ...STATUSES] as const;

/** The first difference between a row and the reference's, or null. */
function firstDifference(got: ReferenceRowV3, want: ReferenceRowV3): string | null {
  for (const k of COUNTS) if (got[k] !== want[k]) return `${k}: ${got[k]} vs ${want[k]}`;
  for (const k of AMOUNTS) {
    const a = got[k];
    const b = want[k];
    if (a === null || b === null) {
      if (a !== b) return `${k}: ${a} vs ${b}`;
      continue;
    }
    if (!(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(b), 1e-300))) return `${k}: ${a} vs ${b} (relative ${Math.abs(a - b) / Math.abs(b)})`;
  }
  return null;
}

describe('#.simulateV3 numpy parity', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`should reproduce the original's run for np.random.seed(${seed}) at genesis and every timestep`, () => {
      const ref = loadReference<{ genesis: ReferenceRowV3; rows: ReferenceRowV3[] }>(`v3-seed-${seed}.json`);
      const { results } = simulateV3({ seed, rng: 'numpy', timesteps: 100, keep: 'last' });
      const records = results[0].records;
      assert.equal(records.length, 101);
      const g = records[0].network;
      assert.equal(g.linkCount('influence'), (ref.genesis as unknown as { influence_edges: number }).influence_edges);
      assert.equal(g.linkCount('conflict'), (ref.genesis as unknown as { conflict_edges: number }).conflict_edges);
      for (let t = 0; t <= 100; t++) {
        const want = t === 0 ? ref.genesis : ref.rows[t - 1];
        const diff = firstDifference(rowOf(records[t]), want);
        assert.equal(diff, null, `seed ${seed}, timestep ${t}: ${diff}`);
      }
    });
  }
});
