/**
 * PSUB 4 (reference: participants.py): participants engage, choose what to
 * support, restake their holdings, and conviction accumulates.
 */
import { pairwiseSum } from '../../engine/numpy';
import type { Context, History, Signals } from '../../engine/types';
import { convictionStep } from '../maths';
import type { Params } from '../params';
import type { State } from '../state';

/** Signals of `participants_decisions`, indexed by participant. */
export interface DecisionSignals {
  delta_holdings: number[];
  /** Proposal indices each participant supports (all candidates). */
  supports: number[][];
}

/** Policy `participants_decisions`: engagement, holdings change and chosen candidates. */
export function participantsDecisions(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): Signals {
  // Parameters: sentiment, sensitivity, gain. State: network.
  const { sentiment, sensitivity, gain } = params;
  const { rng } = ctx;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nP = net.participantCount;
  const out: DecisionSignals = { delta_holdings: new Array(nP), supports: new Array(nP) };
  for (let i = 0; i < nP; i++) {
    // Drawn for every participant, whether or not a candidate exists.
    const engaged = rng.random() < 0.3 * sentiment;
    const chosen: number[] = [];
    if (engaged) {
      out.delta_holdings[i] = net.holdings(i) * gain * (sentiment - sensitivity);
      // No candidate: nothing to support (Known slip 4: the reference crashed here).
      if (candidates.length > 0) {
        let best = -Infinity;
        for (const j of candidates) best = Math.max(best, net.affinity(i, j));
        const cutoff = Math.max(0.5, sensitivity * best);
        for (const j of candidates) if (net.affinity(i, j) > cutoff) chosen.push(j);
      }
    } else {
      out.delta_holdings[i] = 0;
      for (const j of candidates) if (net.tokens(i, j) > 0) chosen.push(j);
    }
    out.supports[i] = chosen;
  }
  return out as unknown as Signals;
}

/**
 * Update `network`: holdings change, tokens are restaked over the supported
 * candidates in proportion to affinity, conviction accumulates, and candidates
 * with less than `min_supp` tokens staked are killed.
 */
export function updateTokens(params: Params, _k: number, _h: History<State>, s: State, input: Signals) {
  // Parameters: alpha, min_supp. State: network.
  const { alpha, min_supp } = params;
  const sig = input as unknown as DecisionSignals;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nP = net.participantCount;
  // Everything this update writes, in one allocation.
  net.ownColumns({ holdings: true, proposal: ['conviction', 'status'], tokens: candidates, edgeConviction: candidates });
  const tokens = candidates.map((j) => net.writableTokens(j));
  const conv = candidates.map((j) => net.writableEdgeConviction(j));
  const affinity = candidates.map((j) => net.affinityColumn(j));
  const slot = new Map(candidates.map((j, c) => [j, c]));
  const supported = new Uint8Array(candidates.length);
  const supportedAffinity: number[] = [];

  for (let i = 0; i < nP; i++) {
    const h = net.holdings(i) + sig.delta_holdings[i];
    net.setHoldings(i, h);
    supported.fill(0);
    supportedAffinity.length = 0;
    for (const j of sig.supports[i]) {
      const c = slot.get(j);
      if (c !== undefined) supported[c] = 1;
    }
    // In id order, summed as numpy sums (Appendix A §4.3).
    for (let c = 0; c < candidates.length; c++) if (supported[c]) supportedAffinity.push(affinity[c][i]);
    const affSum = pairwiseSum(supportedAffinity);
    for (let c = 0; c < candidates.length; c++) {
      // (a / A)·h, the original's rounding (Appendix A, correction 6).
      const t = supported[c] && affSum > 0 ? (affinity[c][i] / affSum) * h : 0;
      tokens[c][i] = t;
      conv[c][i] = convictionStep(conv[c][i], t, alpha);
    }
  }
  for (let c = 0; c < candidates.length; c++) {
    // Over participants in id order, summed as numpy sums.
    net.setConviction(candidates[c], pairwiseSum(conv[c], 0, nP));
    if (pairwiseSum(tokens[c], 0, nP) < min_supp) net.setStatus(candidates[c], 'killed');
  }
  return ['network', net] as const;
}
