/**
 * The model's parameters (MODEL_SPEC §3), each declared once in `PARAMETERS`:
 * default, allowed range, one-line doc, unit, and why the range is what it is.
 * The defaults, ranges, names, docs, the check every run goes through and the
 * listings are all derived from that one declaration, and so are the
 * cross-field constraints of `PARAM_CONSTRAINTS`.
 *
 * The ranges are chosen so that every allowed value keeps the model meaningful:
 * holdings, stakes and funds stay >= 0, and every number the model stores or
 * post-processing derives (conviction, conviction / trigger, requested / funds)
 * stays finite. The bounds rest on these facts of the model (MODEL_SPEC §4-§7):
 * - a draw `Exp(scale)` is at most 36.8·scale (the uniform has 53 bits), so a
 *   genesis holding is at most 36.8·expected_supply / n, an arrival's at most
 *   3.7·supply / P, a genesis request at most 1.1e6 and a later one 1.1·funds;
 * - every request is at least 0.001 (the gamma's location);
 * - an edge's conviction is at most min(T, 1 / (1 − alpha)) times the largest
 *   stake it saw, and a stake is at most its participant's holdings;
 * - holdings change only in PSUB 4, by the factor 1 + gain·(sentiment − sensitivity)
 *   on the days their participant engages;
 * - funds grow by at most the factor 1 + 36.8·sentiment²·1e-4 < 1.004 per timestep
 *   (or by at most 36.8 while the pool is below 1e4 / sentiment²);
 * - a finite trigger is at least rho·supply / beta², the conviction a proposal
 *   asking for nothing needs, and at most about 1e32 times that (beta − share
 *   is never below an ulp of beta, and with beta >= 1e-6 its square cannot underflow).
 * With amounts at most 1e15, a least trigger in [1e-6, 1e30] and a growth rate at
 * most 0.1, every value stays below 1e300 for T ≤ 5,000 timesteps even if every
 * participant engaged every day (engagement is at most 30 % of days, so in
 * expectation about three times as long). test/property.test.ts checks that
 * worst case against these declarations, runs 1,000 timesteps at the bounds
 * that compound, and draws 2,000 parameter sets across the ranges, their
 * bounds included, checking every substep.
 */
import { checkNumber, describeRange, rangeError, showValue, type NumberRange } from '../../engine/validate';

/** The declaration of one parameter. */
export interface ParamSpec {
  /** The reference default (MODEL_SPEC §3). */
  readonly default: number;
  /** The allowed range. */
  readonly range: NumberRange;
  /** One line: what the parameter means. */
  readonly doc: string;
  /** Its unit, where there is one. */
  readonly unit?: string;
  /** Why the range is what it is. */
  readonly why: string;
}

/** Largest amount (funds, supplies) allowed: below 2^53, so whole units stay exact, and far from overflow. */
const MAX_AMOUNT = 1e15;

/** Every parameter of the v1 model, declared once. Names follow the reference. */
export const PARAMETERS = Object.freeze({
  n: {
    default: 60,
    range: { integer: true, min: 1 },
    doc: 'participants at genesis',
    unit: 'participants',
    why: 'at least one participant; its upper bound comes with m (n · m genesis edges); sums over participants are bounded by the total holdings',
  },
  m: {
    default: 3,
    range: { integer: true, min: 1 },
    doc: 'proposals at genesis',
    unit: 'proposals',
    why: 'at least one proposal, so the median affinity of PSUB 1 exists; its upper bound comes with n (n · m genesis edges)',
  },
  initial_funds: {
    default: 40781.42,
    range: { min: 1e-6, max: MAX_AMOUNT },
    doc: 'funding pool at genesis',
    unit: 'funds',
    why: 'genesis requests reach 1.1e6, so requested / funds stays finite above 1e-6; funds grow by < 0.4 % a timestep, so 1e15 cannot overflow',
  },
  expected_supply: {
    default: 1e6,
    range: { min: 0, minExclusive: true, max: MAX_AMOUNT },
    doc: 'scale of genesis holdings: each is Exp(expected_supply / n)',
    unit: 'tokens',
    why: 'holdings reach 36.8 times their scale; at most 1e15 keeps every stake, conviction and sum finite',
  },
  supply: {
    default: 1231286.81,
    range: { min: 0, minExclusive: true, max: MAX_AMOUNT },
    doc: 'token supply used by the trigger threshold and by arrivals’ holdings',
    unit: 'tokens',
    why: 'arrivals hold Exp(0.1·supply / P), at most 3.7·supply; at most 1e15 keeps sums finite (the trigger’s scale is bounded with rho and beta below)',
  },
  sentiment: {
    default: 0.6,
    range: { min: 0, max: 1 },
    doc: 'community sentiment in [0, 1]: drives arrivals, engagement and funding inflow',
    why: 'a probability-like level: 0.3·sentiment is the engagement probability',
  },
  beta: {
    default: 0.2,
    range: { min: 1e-6, max: 1, maxExclusive: true },
    doc: 'maximum share of the funds a proposal may request (the trigger is infinite above it)',
    unit: 'share of funds',
    why:
      'a share of the funds; with beta >= 1 a proposal could be paid more than the pool. From 1e-6 up (beta − share)² cannot ' +
      'underflow (at 1e-150 it did, and the trigger became Infinity below beta); requests are at least 0.001, so far smaller ' +
      'shares could never pass anyway',
  },
  rho: {
    default: 0.02,
    range: { min: 0, minExclusive: true },
    doc: 'trigger tuning: scales the conviction a proposal needs',
    why: 'only rho·supply / beta² (the least trigger) matters for meaning and finiteness; it is bounded as a constraint',
  },
  alpha: {
    default: 0.5,
    range: { min: 0, max: 1, maxExclusive: true },
    doc: 'conviction decay per timestep (memory): conviction = tokens + alpha · previous',
    why: 'with alpha < 1 conviction is at most min(T, 1 / (1 − alpha)) times the stake: finite; at 1 it never forgets',
  },
  sensitivity: {
    default: 0.75,
    range: { min: 0, max: 1 },
    doc: 'support cutoff factor: an engaged participant supports candidates above sensitivity · its best affinity',
    why: 'a factor on an affinity in [0, 1]',
  },
  tmin: {
    default: 7,
    range: { integer: true, min: 0 },
    doc: 'minimum age (timesteps) before a proposal can pass (it must be strictly older)',
    unit: 'timesteps',
    why: 'an age: a whole number of timesteps, >= 0',
  },
  min_supp: {
    default: 50,
    range: { min: 0 },
    doc: 'minimum tokens staked for a candidate to stay alive; below it the candidate is killed',
    unit: 'tokens',
    why: 'a stake, >= 0; it only feeds a comparison, so any finite value is meaningful',
  },
  base_completion_rate: {
    default: 100,
    range: { min: 8 },
    doc: 'completion odds of funded work: 1 / (base_completion_rate + ln(grant)) per timestep',
    unit: 'timesteps',
    why: 'grants are at least 0.001 and ln(0.001) = −6.91, so from 8 up the odds are a probability (<= 1) for every grant',
  },
  base_failure_rate: {
    default: 200,
    range: { min: 8 },
    doc: 'failure odds of funded work: 1 / (base_failure_rate + ln(grant)) per timestep',
    unit: 'timesteps',
    why: 'as base_completion_rate: from 8 up the odds are a probability for every grant >= 0.001',
  },
  gain: {
    default: 0.01,
    range: { min: 0, max: 100 },
    doc: 'holdings change rate of an engaged participant: gain · (sentiment − sensitivity)',
    why: 'the rate it makes is bounded as a constraint; at most 100 keeps holdings · gain finite even when sentiment equals sensitivity',
  },
} satisfies Record<string, ParamSpec>);

/** The name of a parameter. */
export type ParamName = keyof typeof PARAMETERS;

/** Every parameter of the v1 model (see `PARAMETERS` and `PARAM_DOCS` for what each means). */
export type Params = { [K in ParamName]: number };

/** Names of all parameters, in declaration order. */
export const PARAM_NAMES = Object.keys(PARAMETERS) as Array<keyof Params>;

function mapParams<T>(f: (spec: ParamSpec) => T): Readonly<Record<keyof Params, T>> {
  const specs: Record<string, ParamSpec> = PARAMETERS;
  return Object.freeze(Object.fromEntries(PARAM_NAMES.map((name) => [name, f(specs[name])]))) as Record<keyof Params, T>;
}

/** The reference defaults. */
export const DEFAULT_PARAMS: Readonly<Params> = mapParams((s) => s.default);

/** Allowed range of every parameter (one field alone; see also `PARAM_CONSTRAINTS`). */
export const PARAM_RANGES: Readonly<Record<keyof Params, NumberRange>> = mapParams((s) => Object.freeze({ ...s.range }));

/** One-line doc of every parameter. */
export const PARAM_DOCS: Readonly<Record<keyof Params, string>> = mapParams((s) => s.doc);

/** Unit of every parameter, or '' where it has none. */
export const PARAM_UNITS: Readonly<Record<keyof Params, string>> = mapParams((s) => s.unit ?? '');

/** A constraint across several parameters: a quantity they make and its allowed range. */
export interface ParamConstraint {
  /** The quantity as a formula of the fields, as error messages show it. */
  readonly name: string;
  /** The fields it depends on. */
  readonly fields: ReadonlyArray<keyof Params>;
  /** Its value at `p` (computed as the model computes it). */
  readonly value: (p: Readonly<Params>) => number;
  readonly range: NumberRange;
  /** One line: what the quantity means. */
  readonly doc: string;
  /** Why the range is what it is. */
  readonly why: string;
}

/** The cross-field constraints, checked after every field is in its own range. */
export const PARAM_CONSTRAINTS: ReadonlyArray<ParamConstraint> = Object.freeze([
  {
    name: 'n * m',
    fields: ['n', 'm'],
    value: (p: Readonly<Params>) => p.n * p.m,
    range: { integer: true, min: 1, max: 1e6 },
    doc: 'support edges at genesis: every participant has an edge to every proposal',
    why:
      'a run costs time and memory in proportion: at 1e6 edges two timesteps take seconds and a state’s edge columns 24 MB, ' +
      'at 1e7 a minute and 2 GB, and n = 2^53 failed with "Invalid array length"',
  },
  {
    name: 'gain * (sentiment - sensitivity)',
    fields: ['gain', 'sentiment', 'sensitivity'],
    value: (p: Readonly<Params>) => p.gain * (p.sentiment - p.sensitivity),
    range: { min: -0.99, max: 0.1 },
    doc: 'the rate at which an engaged participant’s holdings change in a timestep',
    why:
      'below −1 holdings turn negative (stakes too, and every candidate dies); −0.99 leaves room for rounding. ' +
      'Above, holdings compound: at most +10 % a day keeps them finite for T ≤ 5,000 even if engaged every day',
  },
  {
    name: 'rho * supply / beta^2',
    fields: ['rho', 'supply', 'beta'],
    value: (p: Readonly<Params>) => (p.rho * p.supply) / (p.beta * p.beta),
    range: { min: 1e-6, max: 1e30 },
    doc: 'the least trigger: the conviction a proposal that asks for nothing needs',
    why:
      'below 1e-6 conviction / trigger can overflow (conviction reaches 1e20 and more); every finite trigger is at most ' +
      '~1e32 times this, so up to 1e30 the trigger is finite whenever the share is below beta, as MODEL_SPEC §5 says',
  },
] satisfies ParamConstraint[]);

/** Whether `name` is a parameter of the model. */
export function isParamName(name: string): name is keyof Params {
  return Object.prototype.hasOwnProperty.call(PARAMETERS, name);
}

/** The error message of the first constraint `p` breaks, or null; `p`'s fields must already be in range. */
export function constraintError(p: Readonly<Params>, prefix = 'params'): string | null {
  for (const c of PARAM_CONSTRAINTS) {
    const v = c.value(p);
    if (rangeError(c.name, v, c.range, prefix) !== null) {
      const fields = c.fields.map((f) => `${f} = ${showValue(p[f])}`).join(', ');
      return `${prefix}: ${c.name} must be ${describeRange(c.range)}, got ${showValue(v)} (${fields})`;
    }
  }
  return null;
}

/** Throws a RangeError naming the field (or the fields of a constraint), the value and the allowed range of the first bad parameter. */
export function validateParams(p: Params): void {
  if (typeof p !== 'object' || p === null) throw new TypeError('params: expected an object of parameters');
  for (const key of Object.keys(p)) {
    if (!isParamName(key)) {
      throw new RangeError(`params: unknown parameter '${key}'; known: ${PARAM_NAMES.join(', ')}`);
    }
  }
  for (const name of PARAM_NAMES) checkNumber(name, p[name], PARAM_RANGES[name], 'params');
  const msg = constraintError(p);
  if (msg !== null) throw new RangeError(msg);
}

/** Defaults overridden by `overrides`, validated. */
export function makeParams(overrides: Partial<Params> = {}): Params {
  const p = { ...DEFAULT_PARAMS, ...overrides };
  validateParams(p);
  return p;
}

/** One row of the parameter listing: a parameter, or a constraint across parameters. */
export interface ParamListingRow {
  name: string;
  /** The default (for a constraint: its value at the defaults). */
  default: number;
  allowed: string;
  unit: string;
  doc: string;
  why: string;
}

/** The parameters, then the constraints, as rows for the CLI's `params` and for documentation. */
export function paramListing(): ParamListingRow[] {
  const specs: Record<string, ParamSpec> = PARAMETERS;
  const rows: ParamListingRow[] = PARAM_NAMES.map((name) => ({
    name,
    default: DEFAULT_PARAMS[name],
    allowed: describeRange(PARAM_RANGES[name]),
    unit: PARAM_UNITS[name],
    doc: PARAM_DOCS[name],
    why: specs[name].why,
  }));
  for (const c of PARAM_CONSTRAINTS) {
    rows.push({ name: c.name, default: c.value(DEFAULT_PARAMS), allowed: describeRange(c.range), unit: '', doc: c.doc, why: c.why });
  }
  return rows;
}
