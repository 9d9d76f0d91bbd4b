/**
 * Deriving alpha (the v3 notebooks' Deriving_Alpha): how the conviction
 * recursion `y ← alpha·y + x` answers a step up, a step down and a noisy
 * input, with the closed forms it must match, and the half-life ↔ alpha relation.
 */
import { runRng, type Seed } from '../engine/rng';
import { convictionAfter, convictionStep } from '../models/v1/maths';

/** The longest input a response is computed for. */
export const MAX_RESPONSE_STEPS = 100_000;

function checkAlpha(where: string, alpha: unknown): asserts alpha is number {
  if (typeof alpha !== 'number') throw new TypeError(`${where}: alpha must be a number, got ${alpha === null ? 'null' : typeof alpha}`);
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`${where}: alpha must be in [0, 1), got ${alpha}`);
}

function checkSteps(where: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_RESPONSE_STEPS) {
    throw new RangeError(`${where}: ${name} must be an integer in [0, ${MAX_RESPONSE_STEPS}], got ${String(v)}`);
  }
}

/** The alpha whose conviction covers half the way to its limit in `days`: `2^(−1/days)` (3 days → 0.7937, v3's default). */
export function alphaFromHalfLife(days: number): number {
  if (typeof days !== 'number' || !(days > 0) || !Number.isFinite(days)) {
    throw new RangeError(`alphaFromHalfLife: days must be a finite number > 0, got ${String(days)}`);
  }
  return Math.pow(2, -1 / days);
}

/** Conviction under a time-varying input: `y[0] = y0`, `y[t] = alpha·y[t−1] + input[t−1]` (length input + 1). */
export function convictionResponse(input: ArrayLike<number>, alpha: number, y0 = 0): number[] {
  checkAlpha('convictionResponse', alpha);
  if (input == null || typeof input.length !== 'number') throw new TypeError('convictionResponse: input must be an array of numbers');
  checkSteps('convictionResponse', 'input length', input.length);
  if (typeof y0 !== 'number' || !Number.isFinite(y0)) throw new RangeError(`convictionResponse: y0 must be a finite number, got ${typeof y0 === 'number' ? y0 : typeof y0}`);
  for (let t = 0; t < input.length; t++) {
    if (typeof input[t] !== 'number' || !Number.isFinite(input[t])) throw new RangeError(`convictionResponse: input[${t}] must be a finite number, got ${typeof input[t] === 'number' ? input[t] : typeof input[t]}`);
  }
  const y = [y0];
  for (let t = 1; t <= input.length; t++) y.push(convictionStep(y[t - 1], input[t - 1], alpha));
  return y;
}

/** A step input and the recursion's response beside its closed form. */
export interface StepResponse {
  timesteps: number[];
  input: number[];
  recursion: number[];
  closedForm: number[];
  /** Largest |recursion − closed form|. */
  maxAbsDifference: number;
}

/**
 * Support `x` from step 1 to step `until`, then none, for `steps` steps: the
 * step up (`x(1 − αᵗ)/(1 − α)`, toward `x/(1 − α)`) then the step down
 * (`αᵗ⁻ᵘ·y_u`, toward 0).
 */
export function stepResponse(args: { x: number; alpha: number; until: number; steps: number }): StepResponse {
  const where = 'stepResponse';
  if (typeof args !== 'object' || args === null) throw new TypeError(`${where}: args must be an object { x, alpha, until, steps }`);
  const { x, alpha, until, steps } = args;
  checkAlpha(where, alpha);
  checkSteps(where, 'steps', steps);
  checkSteps(where, 'until', until);
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${where}: x must be a finite number, got ${String(x)}`);
  const input = Array.from({ length: steps }, (_, k) => (k + 1 <= until ? x : 0));
  const recursion = convictionResponse(input, alpha);
  const top = convictionAfter(Math.min(until, steps), x, alpha);
  const closedForm = recursion.map((_, t) => (t <= until ? convictionAfter(t, x, alpha) : Math.pow(alpha, t - until) * top));
  let maxAbsDifference = 0;
  recursion.forEach((v, t) => (maxAbsDifference = Math.max(maxAbsDifference, Math.abs(v - closedForm[t]))));
  return { timesteps: recursion.map((_, t) => t), input, recursion, closedForm, maxAbsDifference };
}

/** A seeded noisy input: `max(0, mean + sd·N(0, 1))` per step. */
export function noisyInput(args: { steps: number; mean: number; sd: number; seed?: Seed }): number[] {
  const where = 'noisyInput';
  checkSteps(where, 'steps', args.steps);
  for (const k of ['mean', 'sd'] as const) {
    if (typeof args[k] !== 'number' || !Number.isFinite(args[k])) throw new RangeError(`${where}: ${k} must be a finite number, got ${String(args[k])}`);
  }
  const rng = runRng(args.seed ?? 0, 0, 0, 1);
  return Array.from({ length: args.steps }, () => Math.max(0, args.mean + args.sd * rng.normal()));
}

/**
 * Several participants' inputs on one proposal: each edge's conviction and
 * the proposal's (their sum). The recursion is linear, so the sum equals the
 * response to the summed input; `maxAbsDifference` shows it.
 */
export function groupResponse(inputs: ReadonlyArray<ArrayLike<number>>, alpha: number): { edges: number[][]; total: number[]; ofSummedInput: number[]; maxAbsDifference: number } {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new TypeError('groupResponse: inputs must be a non-empty array of input series');
  const len = inputs[0].length;
  if (inputs.some((s) => s.length !== len)) throw new RangeError('groupResponse: every input series must have the same length');
  const edges = inputs.map((s) => convictionResponse(s, alpha));
  const total = edges[0].map((_, t) => edges.reduce((a, e) => a + e[t], 0));
  const summed = Array.from({ length: len }, (_, t) => inputs.reduce((a, s) => a + s[t], 0));
  const ofSummedInput = convictionResponse(summed, alpha);
  let maxAbsDifference = 0;
  total.forEach((v, t) => (maxAbsDifference = Math.max(maxAbsDifference, Math.abs(v - ofSummedInput[t]))));
  return { edges, total, ofSummedInput, maxAbsDifference };
}
