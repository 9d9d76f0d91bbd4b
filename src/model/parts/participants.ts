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
  const nC = candidates.length;
  const nP = net.participantCount;
  // Columns read once per substep rather than looked up per edge.
  const affinity = candidates.map((j) => net.affinityColumn(j));
  const tokens = candidates.map((j) => net.tokensColumn(j));
  const out: DecisionSignals = { delta_holdings: new Array(nP), supports: new Array(nP) };
  for (let i = 0; i < nP; i++) {
    // Drawn for every participant, whether or not a candidate exists.
    const engaged = rng.random() < 0.3 * sentiment;
    const chosen: number[] = [];
    if (engaged) {
      out.delta_holdings[i] = net.holdings(i) * gain * (sentiment - sensitivity);
      // No candidate: nothing to support (Known slip 4: the reference crashed here).
      if (nC > 0) {
        let best = -Infinity;
        for (let c = 0; c < nC; c++) best = Math.max(best, affinity[c][i]);
        const cutoff = Math.max(0.5, sensitivity * best);
        for (let c = 0; c < nC; c++) if (affinity[c][i] > cutoff) chosen.push(candidates[c]);
      }
    } else {
      out.delta_holdings[i] = 0;
      for (let c = 0; c < nC; c++) if (tokens[c][i] > 0) chosen.push(candidates[c]);
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
  const nC = candidates.length;
  const nP = net.participantCount;
  // Everything this update writes, in one allocation.
  net.ownColumns({ holdings: true, proposal: ['conviction', 'status'], tokens: candidates, edgeConviction: candidates });
  const holdings = net.writableHoldings();
  const tokens = candidates.map((j) => net.writableTokens(j));
  const conv = candidates.map((j) => net.writableEdgeConviction(j));
  const affinity = candidates.map((j) => net.affinityColumn(j));
  // Proposal index -> its place among the candidates, -1 for the others.
  const slot = new Int32Array(net.proposalCount).fill(-1);
  for (let c = 0; c < nC; c++) slot[candidates[c]] = c;
  const supported = new Uint8Array(nC);
  const supportedAffinity = new Float64Array(nC);

  for (let i = 0; i < nP; i++) {
    const h = holdings[i] + sig.delta_holdings[i];
    holdings[i] = h;
    supported.fill(0);
    const chosen = sig.supports[i];
    for (let x = 0; x < chosen.length; x++) {
      const c = slot[chosen[x]];
      if (c >= 0) supported[c] = 1;
    }
    // In id order, summed as numpy sums (Appendix A §4.3).
    let m = 0;
    for (let c = 0; c < nC; c++) if (supported[c]) supportedAffinity[m++] = affinity[c][i];
    const affSum = pairwiseSum(supportedAffinity, 0, m);
    for (let c = 0; c < nC; c++) {
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
