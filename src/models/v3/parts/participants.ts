/**
 * PSUB 5, participants act (MODEL_SPEC_V3 §7; original: `participants_decisions`):
 * participants engage with their own sentiment, support candidates above a
 * cutoff (lifted by the stakes of those who influence them), restake their
 * holdings, conviction accumulates, and unsupported candidates are killed.
 */
import type { Context, History, Signals } from '../../../engine/types';
import type { Params } from '../params';
import { U } from '../random';
import type { State } from '../state';

/** Signals of `participants_decisions`. */
export interface DecisionSignals {
  /** Candidate indices each participant supports, in id order. */
  supports: number[][];
}

/**
 * The influence boost of participant i on candidate j: the influence-weighted
 * stakes of those i is linked to, over i's holdings times the total influence
 * (0 when i has no influence links). Stakes are the input state's.
 */
export function influenceBoost(s: Readonly<State>, i: number, j: number): number {
  const net = s.network;
  const links = net.linksFrom('influence', i);
  if (links.size === 0) return 0;
  let num = 0;
  let den = 0;
  const h = net.holdings(i);
  for (const [k, w] of links) {
    num += w * net.tokens(k, j);
    den += w * h;
  }
  return num / den;
}

/** Policy `participants_decisions`: who engages and which candidates each supports. */
export function participantsDecisions(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): Signals {
  // Parameters: base_engagement_rate, sensitivity, lowest_affinity_to_support. State: network.
  const { base_engagement_rate, sensitivity, lowest_affinity_to_support } = params;
  const { rng } = ctx;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nP = net.participantCount;
  const out: DecisionSignals = { supports: new Array(nP) };
  for (let i = 0; i < nP; i++) {
    const engaged = U(rng) < base_engagement_rate * net.participantSentiment(i);
    const chosen: number[] = [];
    if (candidates.length > 0) {
      if (engaged) {
        let best = -Infinity;
        for (const j of candidates) best = Math.max(best, net.affinity(i, j));
        const cutoff = Math.max(lowest_affinity_to_support, sensitivity * best);
        for (const j of candidates) if (net.affinity(i, j) + influenceBoost(s, i, j) > cutoff) chosen.push(j);
      } else {
        for (const j of candidates) if (net.tokens(i, j) > 0) chosen.push(j);
      }
    }
    out.supports[i] = chosen;
  }
  return out as unknown as Signals;
}

/**
 * Update `network`: each participant restakes its holdings over the candidates
 * it supports in proportion to raw affinity (negative affinities give negative
 * stakes: slip 6), conviction accumulates, and candidates with fewer than
 * `min_supp` tokens staked are killed.
 */
export function restake(params: Params, _k: number, _h: History<State>, s: State, input: Signals) {
  // Parameters: alpha, min_supp. State: network.
  const { alpha, min_supp } = params;
  const { supports } = input as unknown as DecisionSignals;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nP = net.participantCount;
  net.ownColumns({ proposal: ['conviction', 'status'], tokens: candidates, edgeConviction: candidates });
  const tokens = candidates.map((j) => net.writableTokens(j));
  const conv = candidates.map((j) => net.writableEdgeConviction(j));
  const affinity = candidates.map((j) => net.affinityColumn(j));
  const slot = new Map(candidates.map((j, c) => [j, c]));
  const supported = new Uint8Array(candidates.length);

  for (let i = 0; i < nP; i++) {
    const h = net.holdings(i);
    supported.fill(0);
    let A = 0;
    for (const j of supports[i]) {
      const c = slot.get(j)!;
      supported[c] = 1;
      A += affinity[c][i];
    }
    for (let c = 0; c < candidates.length; c++) {
      const t = supported[c] ? (affinity[c][i] / A) * h : 0;
      tokens[c][i] = t;
      conv[c][i] = t + alpha * conv[c][i];
    }
  }
  for (let c = 0; c < candidates.length; c++) {
    let total = 0;
    let staked = 0;
    for (let i = 0; i < nP; i++) {
      total += conv[c][i];
      staked += tokens[c][i];
    }
    net.setConviction(candidates[c], total);
    if (staked < min_supp) net.setStatus(candidates[c], 'killed');
  }
  return ['network', net] as const;
}
