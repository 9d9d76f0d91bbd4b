/**
 * Pure computations behind the trigger and conviction figures, and the numbers
 * the notebooks print: evenly spaced grids, trigger grids, conviction growth
 * under constant support (closed form against recursion), half-lives, a
 * proposal's trigger budget and every candidate's, and equal-width histograms.
 * The figure builders in `src/figures` draw these; they compute nothing of their own.
 */
import { convictionAfter, convictionStep, maxConviction, stepsToPass, triggerThreshold } from '../models/v1/maths';
import { DEFAULT_PARAMS, type Params } from '../models/v1/params';
import type { State } from '../models/v1/state';

/** The largest grid, series or bin count a helper accepts: more would only exhaust memory (and abort a kernel). */
export const MAX_POINTS = 1_000_000;

/** The parameters the trigger needs, with the defaults for the missing ones. */
function paramsOf(params: Partial<Params>): Params {
  return { ...DEFAULT_PARAMS, ...params };
}

/** Throws `where: name must be an integer in [lo, hi], got v` unless `v` is one. */
export function checkCount(where: string, name: string, v: unknown, lo: number, hi: number): void {
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi)) {
    const got = typeof v === 'number' || typeof v === 'string' ? String(v) : v === null ? 'null' : typeof v;
    throw new RangeError(`${where}: ${name} must be an integer in [${lo}, ${hi}], got ${got}`);
  }
}

/** `count` evenly spaced values from `lo` to `hi` inclusive (count in [1, MAX_POINTS]). */
export function linspace(lo: number, hi: number, count: number): number[] {
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_POINTS)) {
    throw new RangeError(`linspace: count must be a positive integer up to ${MAX_POINTS}, got ${count}`);
  }
  if (count === 1) return [lo];
  return Array.from({ length: count }, (_, k) => (k === count - 1 ? hi : lo + ((hi - lo) * k) / (count - 1)));
}

/** Trigger thresholds over a grid: `z[i][k]` for `funds[i]` and `requested[k]` (+Infinity where the share reaches beta). */
export function triggerGrid(params: Partial<Params>, requested: ReadonlyArray<number>, funds: ReadonlyArray<number>): number[][] {
  if (!Array.isArray(requested)) throw new TypeError('triggerGrid: requested must be an array of numbers');
  if (!Array.isArray(funds)) throw new TypeError('triggerGrid: funds must be an array of numbers');
  if (requested.length * funds.length > MAX_POINTS) {
    throw new RangeError(`triggerGrid: the grid has ${requested.length} × ${funds.length} cells; at most ${MAX_POINTS}`);
  }
  const p = paramsOf(params);
  return funds.map((f) => requested.map((r) => triggerThreshold(r, f, p.supply, p.beta, p.rho)));
}

/** Constant support: `x` tokens staked every step, memory `alpha`, starting conviction `y0`, over `steps` steps. */
export interface GrowthArgs {
  x: number;
  alpha: number;
  y0?: number;
  steps: number;
  /** A trigger to pass: drawn as a line, with the step `stepsToPass` gives. */
  threshold?: number;
}

/** The closed form and the simulated recursion of conviction under constant support, and how far apart they are. */
export interface ConvictionSeries {
  timesteps: number[];
  /** `convictionAfter(t, x, alpha, y0)`. */
  closedForm: number[];
  /** `convictionStep` iterated from `y0`. */
  recursion: number[];
  /** Largest |closed form − recursion| over the steps. */
  maxAbsDifference: number;
  /** The asymptote `x / (1 − alpha)`. */
  limit: number;
  /** `stepsToPass(threshold, ...)` when a threshold is given (Infinity: never), else null. */
  stepsToPass: number | null;
}

/** The largest step count of a growth series (a series is kept whole, twice). */
export const MAX_STEPS = 100_000;

/** Checks the arguments of a growth series. */
function checkGrowth(args: unknown, where: string): asserts args is GrowthArgs {
  if (typeof args !== 'object' || args === null) throw new TypeError(`${where}: args must be an object { x, alpha, steps, y0?, threshold? }, got ${args === null ? 'null' : typeof args}`);
  const a = args as Record<string, unknown>;
  for (const k of ['x', 'alpha', 'steps'] as const) {
    if (typeof a[k] !== 'number') throw new TypeError(`${where}: args.${k} must be a number, got ${a[k] === null ? 'null' : typeof a[k]}`);
  }
  for (const k of ['y0', 'threshold'] as const) {
    if (a[k] !== undefined && typeof a[k] !== 'number') throw new TypeError(`${where}: args.${k} must be a number, got ${a[k] === null ? 'null' : typeof a[k]}`);
  }
  const alpha = a.alpha as number;
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`${where}: alpha must be in [0, 1), got ${alpha}`);
  checkCount(where, 'steps', a.steps, 1, MAX_STEPS);
  if (!Number.isFinite(a.x as number)) throw new RangeError(`${where}: x must be finite, got ${a.x}`);
}

/** Conviction over `steps` steps of constant support: closed form, recursion, their largest difference, asymptote and time to pass. */
export function convictionSeries(args: GrowthArgs): ConvictionSeries {
  checkGrowth(args, 'convictionSeries');
  const { x, alpha, steps } = args;
  const y0 = args.y0 ?? 0;
  const timesteps = Array.from({ length: steps + 1 }, (_, t) => t);
  const closedForm = timesteps.map((t) => convictionAfter(t, x, alpha, y0));
  const recursion: number[] = [y0];
  for (let t = 1; t <= steps; t++) recursion.push(convictionStep(recursion[t - 1], x, alpha));
  let maxAbsDifference = 0;
  closedForm.forEach((c, t) => (maxAbsDifference = Math.max(maxAbsDifference, Math.abs(c - recursion[t]))));
  const passes = args.threshold === undefined ? null : stepsToPass(args.threshold, x, alpha, y0);
  return { timesteps, closedForm, recursion, maxAbsDifference, limit: maxConviction(x, alpha), stepsToPass: passes };
}

/** Steps for conviction to cover half the way to its asymptote: `ln 2 / ln(1/alpha)` (0 when alpha is 0). */
export function halfLife(alpha: number): number {
  if (typeof alpha !== 'number') throw new TypeError(`halfLife: alpha must be a number, got ${alpha === null ? 'null' : typeof alpha}`);
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`halfLife: alpha must be in [0, 1), got ${alpha}`);
  return alpha === 0 ? 0 : Math.log(0.5) / Math.log(alpha);
}

/** The closed form checked against the recursion for one alpha (`recursionChecks`). */
export interface RecursionCheck {
  alpha: number;
  /** Largest |closed form − recursion|. */
  maxAbsDifference: number;
  /** The same, relative to the asymptote. */
  maxRelative: number;
  /** Steps until the closed form passes the threshold (`stepsToPass`). */
  stepsToPass: number;
  /** The first step at which the recursion is above the threshold (-1: never within the steps). */
  recursionFirstAbove: number;
}

/**
 * For each alpha, constant support `x` from `y0` over `steps` steps with a threshold at
 * `share` (default 0.9) of the asymptote: how far the closed form and the recursion
 * differ, and whether both pass the threshold at the same step.
 */
export function recursionChecks(alphas: ReadonlyArray<number>, args: { x: number; y0?: number; steps: number; share?: number }): RecursionCheck[] {
  if (!Array.isArray(alphas)) throw new TypeError('recursionChecks: alphas must be an array of numbers');
  const share = args?.share ?? 0.9;
  if (!(share > 0 && share < 1)) throw new RangeError(`recursionChecks: share must be in (0, 1), got ${share}`);
  return alphas.map((alpha) => {
    const threshold = share * maxConviction(args.x, alpha);
    const s = convictionSeries({ x: args.x, alpha, y0: args.y0, steps: args.steps, threshold });
    return {
      alpha,
      maxAbsDifference: s.maxAbsDifference,
      maxRelative: s.maxAbsDifference / s.limit,
      stepsToPass: s.stepsToPass as number,
      recursionFirstAbove: s.recursion.findIndex((y) => y > threshold),
    };
  });
}

/** What an alpha means for one stake (`alphaSummaries`). */
export interface AlphaSummary {
  alpha: number;
  /** Steps to cover half the way to the asymptote. */
  halfLife: number;
  /** The asymptote `x / (1 − alpha)`. */
  maxConviction: number;
  /** Steps until conviction passes `threshold` from 0 (Infinity: never). */
  stepsToPass: number;
}

/** For each alpha: the half-life, the asymptote of stake `x`, and the steps it takes to pass `threshold`. */
export function alphaSummaries(alphas: ReadonlyArray<number>, x: number, threshold: number): AlphaSummary[] {
  if (!Array.isArray(alphas)) throw new TypeError('alphaSummaries: alphas must be an array of numbers');
  return alphas.map((alpha) => ({ alpha, halfLife: halfLife(alpha), maxConviction: maxConviction(x, alpha), stepsToPass: stepsToPass(threshold, x, alpha) }));
}

/** One proposal under constant support: how its trigger compares with the conviction its stake can reach. */
export interface TriggerBudget {
  share: number;
  trigger: number;
  /** `staked / (1 − alpha)`: the most conviction the stake can build. */
  maxConviction: number;
  /** `maxConviction / trigger`: above 1 the proposal passes in time, below it never. */
  reach: number;
  /** Steps of constant support until conviction exceeds the trigger (Infinity: never). */
  stepsToPass: number;
  /** Tokens that must stay staked for the asymptote to reach the trigger: `trigger × (1 − alpha)`. */
  stakeNeeded: number;
}

/** The worked example of a proposal: its share, trigger, reachable conviction, time to pass and the stake it needs. */
export function triggerBudget(params: Partial<Params>, proposal: { requested: number; funds: number; staked: number; y0?: number }): TriggerBudget {
  if (typeof proposal !== 'object' || proposal === null) throw new TypeError('triggerBudget: proposal must be an object { requested, funds, staked, y0? }');
  const p = paramsOf(params);
  const trigger = triggerThreshold(proposal.requested, proposal.funds, p.supply, p.beta, p.rho);
  const max = maxConviction(proposal.staked, p.alpha);
  return {
    share: proposal.requested / proposal.funds,
    trigger,
    maxConviction: max,
    reach: max / trigger,
    stepsToPass: stepsToPass(trigger, proposal.staked, p.alpha, proposal.y0 ?? 0),
    stakeNeeded: trigger * (1 - p.alpha),
  };
}

/** A candidate of a state with its stake and its `TriggerBudget`. */
export interface CandidateBudget extends TriggerBudget {
  /** Node id of the proposal. */
  proposal: number;
  requested: number;
  /** Tokens staked on it now (sum over its support edges). */
  staked: number;
  /** Its conviction now. */
  conviction: number;
}

/**
 * Every candidate of a state with its budget under `params`, the closest to
 * passing first. Its stake is taken as constant; `stepsToPass` counts from its
 * current conviction, or from zero with `fromScratch` (a new proposal with that stake).
 */
export function candidateBudgets(
  state: Pick<State, 'network' | 'funds'>,
  params: Partial<Params> = {},
  options: { fromScratch?: boolean } = {},
): CandidateBudget[] {
  const net = (state as Partial<State> | null)?.network;
  if (!net || typeof net.proposalsWithStatus !== 'function') {
    throw new TypeError('candidateBudgets: state must be a record or state { network, funds } (e.g. records[records.length - 1])');
  }
  return net
    .proposalsWithStatus('candidate')
    .map((j) => {
      let staked = 0;
      for (const t of net.tokensColumn(j)) staked += t;
      const requested = net.fundsRequested(j);
      const conviction = net.conviction(j);
      const y0 = options.fromScratch ? 0 : conviction;
      const budget = triggerBudget(params, { requested, funds: state.funds, staked, y0 });
      return { proposal: net.proposalId(j), requested, staked, conviction, ...budget };
    })
    .sort((a, b) => b.reach - a.reach || a.proposal - b.proposal);
}

/** The most bins `histogram` makes. */
export const MAX_BINS = 10_000;

/** Equal-width histogram like numpy's and matplotlib's: `bins` bins (1 to `MAX_BINS`) over [min, max], the last bin closed. */
export function histogram(values: ReadonlyArray<number>, bins = 10): { edges: number[]; counts: number[] } {
  if (!Array.isArray(values)) throw new TypeError('histogram: values must be an array of numbers');
  checkCount('histogram', 'bins', bins, 1, MAX_BINS);
  let lo = Infinity;
  let hi = -Infinity;
  // A loop, not Math.min(...values): spreading a long array overflows the stack.
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return { edges: [], counts: [] };
  // numpy widens a zero range to one unit around the value.
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * width));
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return { edges, counts };
}
