/**
 * The v3 model's parameters (MODEL_SPEC_V3 §3), each declared once: default,
 * allowed range and a one-line doc. Defaults, ranges, names, docs and the
 * validation are all derived from `PARAMETERS`.
 */
import { ConfigError } from '../../engine/errors';
import { rangeError, type NumberRange } from '../../engine/validate';

/** One parameter's declaration. */
export interface ParamDeclaration {
  default: number;
  range: NumberRange;
  doc: string;
}

/**
 * Every parameter of the v3 model. Upper bounds beyond the spec's keep every
 * output finite and the work bounded: amounts ≤ 1e15 Honey, minting ≤ 10 % a
 * day (24,000 days before the supply could overflow), at most 10,000
 * participants and 1,000 genesis proposals.
 */
export const PARAMETERS = Object.freeze({
  n: { default: 30, range: { integer: true, min: 1, max: 10000 }, doc: 'participants at genesis' },
  m: { default: 7, range: { integer: true, min: 1, max: 1000 }, doc: 'proposals at genesis (m = 0 would skip the influence pass: slip 10)' },
  initial_funds: { default: 4867.21, range: { min: 0, minExclusive: true, max: 1e15 }, doc: 'funding pool F0 at genesis (Honey)' },
  initial_supply: {
    default: 22392.22,
    range: { min: 0, minExclusive: true, max: 1e15 },
    doc: 'total token supply S0 at genesis (Honey); must exceed initial_funds',
  },
  initial_sentiment: { default: 0.6, range: { min: 0, max: 1 }, doc: 'global community sentiment at genesis, kept in [0, 1]' },
  beta: { default: 0.2, range: { min: 0, max: 1, minExclusive: true, maxExclusive: true }, doc: 'largest share of the funds one proposal can take' },
  rho: { default: 0.0025, range: { min: 0, minExclusive: true, max: 1, maxExclusive: true }, doc: 'trigger scale; must be below beta²' },
  alpha: { default: 2 ** (-1 / 3), range: { min: 0, max: 1, maxExclusive: true }, doc: 'conviction kept per day (2^(-1/3): a 3-day half-life)' },
  gamma: { default: 0.001, range: { min: 0, max: 0.1 }, doc: 'share of the total supply minted into the pool per day' },
  sensitivity: { default: 0.75, range: { min: 0, max: 1 }, doc: 'support cutoff factor: an engaged participant supports above sensitivity × its best affinity' },
  tmin: { default: 1, range: { integer: true, min: 0 }, doc: 'a candidate can pass only when its age exceeds tmin (days)' },
  min_supp: { default: 1, range: { min: 0, max: 1e15 }, doc: 'a candidate with fewer tokens staked is killed' },
  base_completion_rate: { default: 45, range: { min: 1, max: 1e9 }, doc: 'completion odds of funded work: 1 / (base_completion_rate + ln(grant)) a day' },
  base_failure_rate: { default: 180, range: { min: 1, max: 1e9 }, doc: 'failure odds of funded work: 1 / (base_failure_rate + ln(grant)) a day' },
  base_engagement_rate: { default: 0.3, range: { min: 0, max: 1 }, doc: 'daily engagement probability of a participant whose own sentiment is 1' },
  lowest_affinity_to_support: { default: 0.3, range: { min: -1, max: 1 }, doc: 'floor of the support cutoff' },
} satisfies Record<string, ParamDeclaration>);

/** Every parameter of the v3 model, by name. */
export type Params = { [K in keyof typeof PARAMETERS]: number };
/** A parameter's name. */
export type ParamName = keyof Params;

/** Names of all parameters, in declaration order. */
export const PARAM_NAMES = Object.freeze(Object.keys(PARAMETERS) as ParamName[]);

/** The reference defaults. */
export const DEFAULT_PARAMS: Readonly<Params> = Object.freeze(
  Object.fromEntries(PARAM_NAMES.map((k) => [k, PARAMETERS[k].default])) as Params,
);

/** Allowed range of every parameter. */
export const PARAM_RANGES: Readonly<Record<ParamName, NumberRange>> = Object.freeze(
  Object.fromEntries(PARAM_NAMES.map((k) => [k, PARAMETERS[k].range])) as Record<ParamName, NumberRange>,
);

/** Whether `name` is a parameter of the v3 model. */
export function isParamName(name: string): name is ParamName {
  return Object.prototype.hasOwnProperty.call(PARAMETERS, name);
}

/** Throws a ConfigError naming the field, value and allowed range of the first bad parameter. */
export function validateParams(p: Params): void {
  if (typeof p !== 'object' || p === null) throw new TypeError('params: expected an object of v3 parameters');
  for (const key of Object.keys(p)) {
    if (!isParamName(key)) throw new ConfigError(`params: unknown v3 parameter '${key}'; known: ${PARAM_NAMES.join(', ')}`);
  }
  for (const name of PARAM_NAMES) {
    const msg = rangeError(name, p[name], PARAM_RANGES[name], 'params');
    if (msg) throw new ConfigError(msg);
  }
  if (!(p.initial_supply > p.initial_funds)) {
    throw new ConfigError(`params: initial_supply must exceed initial_funds (${p.initial_funds}), got ${p.initial_supply}`);
  }
  if (!(p.rho < p.beta * p.beta)) {
    throw new ConfigError(`params: rho must be below beta² (${p.beta * p.beta}), got ${p.rho}`);
  }
}

/** Defaults overridden by `overrides`, validated. */
export function makeParams(overrides: Partial<Params> = {}): Params {
  const p = { ...DEFAULT_PARAMS, ...overrides };
  validateParams(p);
  return p;
}
