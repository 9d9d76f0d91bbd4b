/**
 * PSUB 4 (reference: participants.py): participants engage, choose what to
 * support, restake their holdings, and conviction accumulates.
 */
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
    const engaged = rng() < 0.3 * sentiment;
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
  const staked = new Float64Array(candidates.length);
  const supported = new Uint8Array(candidates.length);

  for (let i = 0; i < nP; i++) {
    const h = net.holdings(i) + sig.delta_holdings[i];
    net.setHoldings(i, h);
    supported.fill(0);
    let affSum = 0;
    for (const j of sig.supports[i]) {
      const c = slot.get(j);
      if (c === undefined) continue;
      supported[c] = 1;
      affSum += affinity[c][i];
    }
    for (let c = 0; c < candidates.length; c++) {
      const t = supported[c] && affSum > 0 ? (h * affinity[c][i]) / affSum : 0;
      tokens[c][i] = t;
      conv[c][i] = convictionStep(conv[c][i], t, alpha);
      staked[c] += t;
    }
  }
  for (let c = 0; c < candidates.length; c++) {
    let total = 0;
    for (let i = 0; i < nP; i++) total += conv[c][i];
    net.setConviction(candidates[c], total);
    if (staked[c] < min_supp) net.setStatus(candidates[c], 'killed');
  }
  return ['network', net] as const;
}
