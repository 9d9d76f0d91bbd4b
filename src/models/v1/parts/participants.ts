/**
 * PSUB 4 (reference: participants.py): participants engage, choose what to
 * support, restake their holdings, and conviction accumulates.
 */
import { pairwiseSum } from '../../../engine/numpy';
import type { Context, History } from '../../../engine/types';
import { convictionStep } from '../maths';
import type { Params } from '../params';
import type { State } from '../state';

// Scratch buffers reused by every call (nothing in them outlives a call): a run makes
// thousands of these short-lived arrays, and fresh typed arrays cost the allocator
// and the garbage collector more than the work done in them. Contents are stale:
// each use fills what it reads before reading it.
const f64: Float64Array[] = [new Float64Array(64), new Float64Array(64), new Float64Array(64), new Float64Array(64)];
const i32: Int32Array[] = [new Int32Array(64), new Int32Array(64)];
const u8: Uint8Array[] = [new Uint8Array(64), new Uint8Array(4096)];
function scratchF64(k: number, n: number): Float64Array {
  if (f64[k].length < n) f64[k] = new Float64Array(2 * n);
  return f64[k];
}
function scratchI32(k: number, n: number): Int32Array {
  if (i32[k].length < n) i32[k] = new Int32Array(2 * n);
  return i32[k];
}
function scratchU8(k: number, n: number): Uint8Array {
  if (u8[k].length < n) u8[k] = new Uint8Array(2 * n);
  return u8[k];
}

/** Signals of `participants_decisions`, indexed by participant. */
export interface DecisionSignals {
  delta_holdings: number[];
  /** Proposal indices each participant supports (all candidates). */
  supports: number[][];
}

/** Policy `participants_decisions`: engagement, holdings change and chosen candidates. */
export function participantsDecisions(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): DecisionSignals {
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
  // Participant by participant for the draws (their order is the stream's), then
  // candidate by candidate over contiguous columns: the same comparisons, and each
  // participant's choices still come in candidate order.
  const engaged = scratchU8(0, nP);
  for (let i = 0; i < nP; i++) {
    // Drawn for every participant, whether or not a candidate exists.
    engaged[i] = rng.random() < 0.3 * sentiment ? 1 : 0;
    out.delta_holdings[i] = engaged[i] ? net.holdings(i) * gain * (sentiment - sensitivity) : 0;
    out.supports[i] = [];
  }
  // No candidate: nothing to support (Known slip 4: the reference crashed here).
  if (nC > 0) {
    const best = scratchF64(0, nP).fill(-Infinity, 0, nP);
    for (let c = 0; c < nC; c++) {
      const a = affinity[c];
      for (let i = 0; i < nP; i++) if (engaged[i]) best[i] = Math.max(best[i], a[i]);
    }
    const cutoff = best;
    for (let i = 0; i < nP; i++) cutoff[i] = Math.max(0.5, sensitivity * best[i]);
    for (let c = 0; c < nC; c++) {
      const a = affinity[c];
      const tk = tokens[c];
      const j = candidates[c];
      for (let i = 0; i < nP; i++) {
        if (engaged[i] ? a[i] > cutoff[i] : tk[i] > 0) out.supports[i].push(j);
      }
    }
  }
  return out;
}

/**
 * Update `network`: holdings change, tokens are restaked over the supported
 * candidates in proportion to affinity, conviction accumulates, and candidates
 * with less than `min_supp` tokens staked are killed.
 */
export function updateTokens(params: Params, _k: number, _h: History<State>, s: State, input: DecisionSignals) {
  // Parameters: alpha, min_supp. State: network.
  const { alpha, min_supp } = params;
  const sig = input;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nC = candidates.length;
  const nP = net.participantCount;
  // Everything this update writes, in one allocation. Tokens and edge convictions
  // are rewritten whole, so they are not copied first: the convictions are read from
  // the columns as they were (`before`) and written to the new ones.
  const before = candidates.map((j) => net.edgeConvictionColumn(j));
  net.ownColumns({ holdings: true, proposal: ['conviction', 'status'], tokens: candidates, edgeConviction: candidates, rewrite: true });
  const holdings = net.writableHoldings();
  const tokens = candidates.map((j) => net.writableTokens(j));
  const conv = candidates.map((j) => net.writableEdgeConviction(j));
  const affinity = candidates.map((j) => net.affinityColumn(j));
  // Proposal index -> its place among the candidates, -1 for the others.
  const slot = scratchI32(0, net.proposalCount).fill(-1, 0, net.proposalCount);
  for (let c = 0; c < nC; c++) slot[candidates[c]] = c;
  // Per participant: new holdings, the sum of its supported affinities, and which candidates it supports.
  const hNew = scratchF64(1, nP);
  const affSum = scratchF64(2, nP);
  const supported = scratchU8(1, nC * nP).fill(0, 0, nC * nP); // candidate-major: [c * nP + i]
  const supportedAffinity = scratchF64(3, nC);
  const places = scratchI32(1, nC);
  for (let i = 0; i < nP; i++) {
    const h = holdings[i] + sig.delta_holdings[i];
    holdings[i] = h;
    hNew[i] = h;
    const chosen = sig.supports[i];
    // The supported candidates' places in ascending order, once each (the policy gives them so;
    // an insertion keeps any other input right).
    let n = 0;
    for (let x = 0; x < chosen.length; x++) {
      const c = slot[chosen[x]];
      if (!(c >= 0) || supported[c * nP + i]) continue;
      supported[c * nP + i] = 1;
      let y = n++;
      while (y > 0 && places[y - 1] > c) {
        places[y] = places[y - 1];
        y--;
      }
      places[y] = c;
    }
    // In id order, summed as numpy sums (Appendix A §4.3).
    for (let x = 0; x < n; x++) supportedAffinity[x] = affinity[places[x]][i];
    affSum[i] = pairwiseSum(supportedAffinity, 0, n);
  }
  for (let c = 0; c < nC; c++) {
    const a = affinity[c];
    const tk = tokens[c];
    const cv = conv[c];
    const old = before[c];
    const base = c * nP;
    for (let i = 0; i < nP; i++) {
      // (a / A)·h, the original's rounding (Appendix A, correction 6).
      const t = supported[base + i] && affSum[i] > 0 ? (a[i] / affSum[i]) * hNew[i] : 0;
      tk[i] = t;
      cv[i] = convictionStep(old[i], t, alpha);
    }
  }
  for (let c = 0; c < candidates.length; c++) {
    // Over participants in id order, summed as numpy sums.
    net.setConviction(candidates[c], pairwiseSum(conv[c], 0, nP));
    if (pairwiseSum(tokens[c], 0, nP) < min_supp) net.setStatus(candidates[c], 'killed');
  }
  return ['network', net] as const;
}
