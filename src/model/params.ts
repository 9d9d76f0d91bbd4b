/**
 * The model's parameters (MODEL_SPEC §3): one object, a doc line and an allowed
 * range per field, the defaults, and the check every run goes through.
 */
import { checkNumber, type NumberRange } from '../engine/validate';

/** Every parameter of the v1 model. Names follow the reference. */
export interface Params {
  /** Participants at genesis. */
  n: number;
  /** Proposals at genesis. */
  m: number;
  /** Funding pool at genesis. */
  initial_funds: number;
  /** Scale of genesis holdings: each is Exp(expected_supply / n). */
  expected_supply: number;
  /** Token supply used by the trigger threshold and by arrivals' holdings. */
  supply: number;
  /** Community sentiment in [0, 1]: drives arrivals, engagement and funding inflow. */
  sentiment: number;
  /** Maximum share of the funds a proposal may request (the trigger is infinite above it). */
  beta: number;
  /** Trigger tuning: scales the conviction a proposal needs. */
  rho: number;
  /** Conviction decay per timestep (memory): conviction = tokens + alpha * previous. */
  alpha: number;
  /** Support cutoff factor: an engaged participant supports candidates above sensitivity * its best affinity. */
  sensitivity: number;
  /** Minimum age (timesteps) before a proposal can pass (it must be strictly older). */
  tmin: number;
  /** Minimum tokens staked for a candidate to stay alive; below it the candidate is killed. */
  min_supp: number;
  /** Completion odds of funded work: 1 / (base_completion_rate + ln(grant)) per timestep. */
  base_completion_rate: number;
  /** Failure odds of funded work: 1 / (base_failure_rate + ln(grant)) per timestep. */
  base_failure_rate: number;
  /** Holdings change rate of an engaged participant: gain * (sentiment - sensitivity). */
  gain: number;
}

/** The reference defaults. */
export const DEFAULT_PARAMS: Readonly<Params> = Object.freeze({
  n: 60,
  m: 3,
  initial_funds: 40781.42,
  expected_supply: 1e6,
  supply: 1231286.81,
  sentiment: 0.6,
  beta: 0.2,
  rho: 0.02,
  alpha: 0.5,
  sensitivity: 0.75,
  tmin: 7,
  min_supp: 50,
  base_completion_rate: 100,
  base_failure_rate: 200,
  gain: 0.01,
});

/** Allowed range of every parameter. */
export const PARAM_RANGES: Readonly<Record<keyof Params, NumberRange>> = Object.freeze({
  n: { integer: true, min: 1 },
  m: { integer: true, min: 1 },
  initial_funds: { min: 0, minExclusive: true },
  expected_supply: { min: 0, minExclusive: true },
  supply: { min: 0, minExclusive: true },
  sentiment: { min: 0, max: 1 },
  beta: { min: 0, max: 1, minExclusive: true, maxExclusive: true },
  rho: { min: 0, minExclusive: true },
  alpha: { min: 0, max: 1, maxExclusive: true },
  sensitivity: { min: 0, max: 1 },
  tmin: { integer: true, min: 0 },
  min_supp: { min: 0 },
  base_completion_rate: { min: 0, minExclusive: true },
  base_failure_rate: { min: 0, minExclusive: true },
  gain: { min: 0 },
});

/** Names of all parameters, in declaration order. */
export const PARAM_NAMES = Object.keys(DEFAULT_PARAMS) as Array<keyof Params>;

/** Whether `name` is a parameter of the model. */
export function isParamName(name: string): name is keyof Params {
  return Object.prototype.hasOwnProperty.call(DEFAULT_PARAMS, name);
}

/** Throws a RangeError naming the field, value and allowed range of the first bad parameter. */
export function validateParams(p: Params): void {
  if (typeof p !== 'object' || p === null) throw new TypeError('params: expected an object of parameters');
  for (const key of Object.keys(p)) {
    if (!isParamName(key)) {
      throw new RangeError(`params: unknown parameter '${key}'; known: ${PARAM_NAMES.join(', ')}`);
    }
  }
  for (const name of PARAM_NAMES) checkNumber(name, p[name], PARAM_RANGES[name], 'params');
}

/** Defaults overridden by `overrides`, validated. */
export function makeParams(overrides: Partial<Params> = {}): Params {
  const p = { ...DEFAULT_PARAMS, ...overrides };
  validateParams(p);
  return p;
}
