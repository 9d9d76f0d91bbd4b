/**
 * PSUB 4 (reference: participants.py): participants engage, choose what to
 * support, restake their holdings, and conviction accumulates.
 */
import { pairwiseSum } from '../../../engine/numpy';
import { float64s } from '../../../engine/typed';
import type { Context, History } from '../../../engine/types';
import { convictionStep } from '../maths';
import type { Params } from '../params';
import type { State } from '../state';

// Scratch buffers reused by every call (nothing in them outlives a call): a run makes
// thousands of these short-lived arrays, and fresh typed arrays cost the allocator
// and the garbage collector more than the work done in them. Contents are stale:
// each use fills what it reads before reading it.
const f64: Float64Array[] = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
const i32: Int32Array[] = [new Int32Array(64), new Int32Array(64)];
function scratchF64(k: number, n: number): Float64Array {
  if (f64[k].length < n) f64[k] = new Float64Array(2 * n);
  return f64[k];
}
function scratchI32(k: number, n: number): Int32Array {
  if (i32[k].length < n) i32[k] = new Int32Array(2 * n);
  return i32[k];
}

/**
 * The flags of the last signal an update consumed, for the next decisions to
 * fill: a long run's flags are 200 KB a timestep, and a fresh buffer each time
 * kept V8 collecting the whole heap for "external memory pressure".
 */
let spareFlags: Uint8Array | null = null;
/** What a consumed signal holds instead of its buffer. */
const CONSUMED = new Uint8Array(0);

/**
 * Which candidates each participant supports: one flag per (candidate, participant),
 * candidate-major over the substep's candidates in id order. A compact signal
 * instead of a list per participant: PSUB 4 runs every timestep over every edge.
 * `updateTokens` consumes it (its buffer is then reused); a consumed signal is refused.
 */
export class Supports {
  private buffer: Uint8Array;
  /** `flags[c · participants + i]` is 1 when participant i supports candidate c. */
  readonly flags: Uint8Array;

  constructor(
    /** The candidates' proposal indices, in id order. */
    readonly candidates: ReadonlyArray<number>,
    /** Number of participants. */
    readonly participants: number,
  ) {
    const n = candidates.length * participants;
    const spare = spareFlags;
    // Every flag is written by the decisions before it is read.
    if (spare && spare.length >= n) {
      spareFlags = null;
      this.buffer = spare;
    } else {
      this.buffer = new Uint8Array(n + (n >> 2));
    }
    this.flags = this.buffer.subarray(0, n);
  }

  /** Whether an update has consumed this signal. */
  get consumed(): boolean {
    return this.buffer === CONSUMED;
  }

  /** Proposal indices participant i supports, in id order. */
  of(i: number): number[] {
    if (this.consumed) throw new Error('Supports.of: this signal was consumed by updateTokens');
    const out: number[] = [];
    for (let c = 0; c < this.candidates.length; c++) if (this.flags[c * this.participants + i]) out.push(this.candidates[c]);
    return out;
  }

  /** Marks the signal consumed and hands its buffer to the next decisions. */
  consume(): void {
    if (this.buffer === CONSUMED) return;
    spareFlags = this.buffer;
    this.buffer = CONSUMED;
  }
}

/** Signals of `participants_decisions`, indexed by participant. */
export interface DecisionSignals {
  delta_holdings: Float64Array;
  /** The candidates each participant supports. */
  supports: Supports;
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
  const delta = float64s(nP);
  const supports = new Supports(candidates, nP);
  const flags = supports.flags;
  // Participant by participant for the draws (their order is the stream's), then
  // candidate by candidate over contiguous columns: the same comparisons.
  const engaged = scratchI32(0, nP);
  let nE = 0;
  for (let i = 0; i < nP; i++) {
    // Drawn for every participant, whether or not a candidate exists.
    if (rng.random() < 0.3 * sentiment) {
      engaged[nE++] = i;
      delta[i] = net.holdings(i) * gain * (sentiment - sensitivity);
    }
  }
  // No candidate: nothing to support (Known slip 4: the reference crashed here).
  if (nC > 0) {
    // An engaged participant supports the candidates above max(0.5, sensitivity · its best affinity).
    const cutoff = scratchF64(0, nE).fill(-Infinity, 0, nE);
    for (let c = 0; c < nC; c++) {
      const a = net.affinityBuffer(candidates[c]);
      for (let e = 0; e < nE; e++) cutoff[e] = Math.max(cutoff[e], a[engaged[e]]);
    }
    for (let e = 0; e < nE; e++) cutoff[e] = Math.max(0.5, sensitivity * cutoff[e]);
    // The others keep supporting what they stake on.
    for (let c = 0; c < nC; c++) {
      const j = candidates[c];
      const a = net.affinityBuffer(j);
      const tk = net.tokensBuffer(j);
      const base = c * nP;
      for (let i = 0; i < nP; i++) flags[base + i] = tk[i] > 0 ? 1 : 0;
      for (let e = 0; e < nE; e++) flags[base + engaged[e]] = a[engaged[e]] > cutoff[e] ? 1 : 0;
    }
  }
  return { delta_holdings: delta, supports };
}

/**
 * Update `network`: holdings change, tokens are restaked over the supported
 * candidates in proportion to affinity, conviction accumulates, and candidates
 * with less than `min_supp` tokens staked are killed.
 */
export function updateTokens(params: Params, _k: number, _h: History<State>, s: State, input: DecisionSignals) {
  // Parameters: alpha, min_supp. State: network.
  const { alpha, min_supp } = params;
  const { delta_holdings: delta, supports } = input;
  const net = s.network;
  const candidates = net.proposalsWithStatus('candidate');
  const nC = candidates.length;
  const nP = net.participantCount;
  if (supports.consumed) throw new Error('updateTokens: this supports signal was consumed by an earlier update');
  if (supports.participants !== nP || supports.candidates.length !== nC || supports.candidates.some((j, c) => j !== candidates[c])) {
    throw new Error('updateTokens: the supports signal names other candidates or participants than the network has');
  }
  const flags = supports.flags;
  // Everything this update writes, in one allocation. Tokens and edge convictions
  // are rewritten whole, so they are not copied first: the convictions are read from
  // the columns as they were (`before`) and written to the new ones (in place, the
  // same array: each element is read before it is written).
  const before = candidates.map((j) => net.edgeConvictionBuffer(j));
  net.ownColumns({ holdings: true, proposal: ['conviction', 'status'], tokens: candidates, edgeConviction: candidates, rewrite: true });
  const holdings = net.writableHoldings();
  for (let i = 0; i < nP; i++) holdings[i] += delta[i];
  // Each participant's sum of supported affinities, in id order as numpy sums them (Appendix A §4.3).
  const affSum = scratchF64(1, nP).fill(0, 0, nP);
  if (nC < 8) {
    // Below 8 terms numpy adds from 0 left to right, as this candidate-major pass does.
    for (let c = 0; c < nC; c++) {
      const a = net.affinityBuffer(candidates[c]);
      const base = c * nP;
      for (let i = 0; i < nP; i++) if (flags[base + i]) affSum[i] += a[i];
    }
  } else {
    // Pairwise from 8 terms on: each participant's terms gathered contiguously in id
    // order (candidate-major, so every column is read in order), then summed.
    const start = scratchI32(0, nP + 1).fill(0, 0, nP + 1);
    for (let c = 0; c < nC; c++) {
      const base = c * nP;
      for (let i = 0; i < nP; i++) start[i + 1] += flags[base + i];
    }
    for (let i = 0; i < nP; i++) start[i + 1] += start[i];
    const next = scratchI32(1, nP);
    next.set(start.subarray(0, nP));
    const terms = scratchF64(2, start[nP]);
    for (let c = 0; c < nC; c++) {
      const a = net.affinityBuffer(candidates[c]);
      const base = c * nP;
      for (let i = 0; i < nP; i++) if (flags[base + i]) terms[next[i]++] = a[i];
    }
    for (let i = 0; i < nP; i++) affSum[i] = pairwiseSum(terms, start[i], start[i + 1]);
  }
  for (let c = 0; c < nC; c++) {
    const j = candidates[c];
    const a = net.affinityBuffer(j);
    const tk = net.writableTokens(j);
    const cv = net.writableEdgeConviction(j);
    const old = before[c];
    const base = c * nP;
    for (let i = 0; i < nP; i++) {
      // (a / A)·h, the original's rounding (Appendix A, correction 6).
      const t = flags[base + i] && affSum[i] > 0 ? (a[i] / affSum[i]) * holdings[i] : 0;
      tk[i] = t;
      cv[i] = convictionStep(old[i], t, alpha);
    }
    // Over participants in id order, summed as numpy sums.
    net.setConviction(j, pairwiseSum(cv, 0, nP));
    if (pairwiseSum(tk, 0, nP) < min_supp) net.setStatus(j, 'killed');
  }
  supports.consume();
  return ['network', net] as const;
}
