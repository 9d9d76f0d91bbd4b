/**
 * PSUB 5, participants act (MODEL_SPEC_V3 §7; original: `participants_decisions`):
 * participants engage with their own sentiment, support candidates above a
 * cutoff (lifted by the stakes of those who influence them), restake their
 * holdings, conviction accumulates, and unsupported candidates are killed.
 */
import type { Context, History } from '../../../engine/types';
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

/**
 * `influenceBoost(s, i, j)` for every candidate column at once, into `out`:
 * the same sums in the same order, with i's links walked once instead of once
 * per candidate (the denominator does not depend on the candidate).
 */
function influenceBoosts(net: State['network'], i: number, tokens: ReadonlyArray<Float64Array>, out: Float64Array): void {
  const links = net.linksFrom('influence', i);
  if (links.size === 0) {
    out.fill(0);
    return;
  }
  const h = net.holdings(i);
  let den = 0;
  for (const w of links.values()) den += w * h;
  out.fill(0);
  for (const [k, w] of links) {
    for (let c = 0; c < tokens.length; c++) out[c] += w * tokens[c][k];
  }
  for (let c = 0; c < tokens.length; c++) out[c] = out[c] / den;
}

/** Policy `participants_decisions`: who engages and which candidates each supports. */
export function participantsDecisions(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): DecisionSignals {
  // Parameters: base_engagement_rate, sensitivity, lowest_affinity_to_support. State: network.
  const { base_engagement_rate, sensitivity, lowest_affinity_to_support } = params;
  const { rng } = ctx;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nC = candidates.length;
  const nP = net.participantCount;
  // Columns read once per substep rather than looked up per edge.
  const affinity = candidates.map((j) => net.affinityColumn(j));
  const tokens = candidates.map((j) => net.tokensColumn(j));
  const boost = new Float64Array(nC);
  const out: DecisionSignals = { supports: new Array(nP) };
  for (let i = 0; i < nP; i++) {
    const engaged = U(rng) < base_engagement_rate * net.participantSentiment(i);
    const chosen: number[] = [];
    if (nC > 0) {
      if (engaged) {
        let best = -Infinity;
        for (let c = 0; c < nC; c++) best = Math.max(best, affinity[c][i]);
        const cutoff = Math.max(lowest_affinity_to_support, sensitivity * best);
        influenceBoosts(net, i, tokens, boost);
        for (let c = 0; c < nC; c++) if (affinity[c][i] + boost[c] > cutoff) chosen.push(candidates[c]);
      } else {
        for (let c = 0; c < nC; c++) if (tokens[c][i] > 0) chosen.push(candidates[c]);
      }
    }
    out.supports[i] = chosen;
  }
  return out;
}

/**
 * Update `network`: each participant restakes its holdings over the candidates
 * it supports in proportion to raw affinity (negative affinities give negative
 * stakes: slip 6), conviction accumulates, and candidates with fewer than
 * `min_supp` tokens staked are killed.
 */
export function restake(params: Params, _k: number, _h: History<State>, s: State, input: DecisionSignals) {
  // Parameters: alpha, min_supp. State: network.
  const { alpha, min_supp } = params;
  const { supports } = input;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nP = net.participantCount;
  net.ownColumns({ proposal: ['conviction', 'status'], tokens: candidates, edgeConviction: candidates });
  const tokens = candidates.map((j) => net.writableTokens(j));
  const conv = candidates.map((j) => net.writableEdgeConviction(j));
  const affinity = candidates.map((j) => net.affinityColumn(j));
  // Proposal index -> its place among the candidates.
  const slot = new Int32Array(net.proposalCount).fill(-1);
  for (let c = 0; c < candidates.length; c++) slot[candidates[c]] = c;
  const supported = new Uint8Array(candidates.length);

  for (let i = 0; i < nP; i++) {
    const h = net.holdings(i);
    supported.fill(0);
    let A = 0;
    const chosen = supports[i];
    for (let x = 0; x < chosen.length; x++) {
      const c = slot[chosen[x]];
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
