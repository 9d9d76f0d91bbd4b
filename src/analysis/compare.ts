/**
 * Why proposals pass in v3 and not in v1 (MODEL_SPEC_V3 §10), in numbers: the
 * trigger of a proposal against the most conviction the staked supply can
 * reach, the half-life alpha gives, and the other gates of a pass.
 */
import { triggerThreshold } from '../models/v1/maths';
import { DEFAULT_PARAMS as V1_DEFAULTS, validateParams as validateV1, type Params as V1Params } from '../models/v1/params';
import { GENESIS_EFFECTIVE_SHARE } from '../models/v3/genesis';
import { triggerThresholdV3 } from '../models/v3/maths';
import {
  DEFAULT_PARAMS as V3_DEFAULTS,
  makeParams as makeV3Params,
  PARAMETERS as V3_PARAMETERS,
  PARAM_NAMES as V3_PARAM_NAMES,
  validateParams as validateV3,
  type ParamName as V3ParamName,
  type Params as V3Params,
} from '../models/v3/params';
import type { ModelName } from './dataframes';
import { halfLife } from './series';
import { metricBands, sweepSummary, type Band, type BandOptions, type ExperimentInput, type MetricSpec } from './bands';
import { describeRange } from '../engine/validate';

/** A model's trigger set against the conviction its supply can reach, with the other gates of a pass. */
export interface TriggerReach {
  model: ModelName;
  rho: number;
  beta: number;
  alpha: number;
  /** Days for conviction to cover half the way to its limit (`−ln 2 / ln alpha`). */
  halfLife: number;
  /** The requested share of the funds the trigger is taken at. */
  share: number;
  /** The supply in the trigger: v1's fixed `supply`, v3's effective supply E0 = 0.8·(S0 − F0). */
  triggerSupply: number;
  /** Tokens held by all participants (by default the expected genesis holdings: v1 `expected_supply`, v3 S0). */
  held: number;
  /** The trigger of a proposal requesting `share` of the funds. */
  trigger: number;
  /** `held / (1 − alpha)`: the conviction if every holder staked everything on one proposal for ever. */
  maxConviction: number;
  /** `trigger / maxConviction`: the part of everyone's full, lasting support a pass needs. */
  fraction: number;
  /** Days a candidate must wait before it can pass. */
  tmin: number;
  /** Tokens staked below which a candidate is killed (v3) or cannot pass (v1). */
  min_supp: number;
}

/**
 * The trigger of a proposal asking `share` of the funds (default 0: the lowest
 * trigger there is) as a fraction of the largest conviction the holders can
 * build, for v1 or v3 at their defaults with `params` overrides. `held`
 * replaces the expected genesis holdings (e.g. a run's actual sum).
 */
export function triggerReach(model: ModelName, params: Partial<V1Params> | Partial<V3Params> = {}, options: { share?: number; held?: number } = {}): TriggerReach {
  const where = 'triggerReach';
  if (model !== 'v1' && model !== 'v3') throw new RangeError(`${where}: model must be 'v1' or 'v3', got ${JSON.stringify(model)}`);
  if (typeof params !== 'object' || params === null) throw new TypeError(`${where}: params must be an object of ${model} parameters`);
  const share = options.share ?? 0;
  if (typeof share !== 'number' || !(share >= 0 && share < 1)) throw new RangeError(`${where}: options.share must be a number in [0, 1), got ${String(share)}`);
  if (options.held !== undefined && !(typeof options.held === 'number' && options.held > 0 && Number.isFinite(options.held))) {
    throw new RangeError(`${where}: options.held must be a finite number > 0, got ${String(options.held)}`);
  }
  if (model === 'v1') {
    const p = { ...V1_DEFAULTS, ...(params as Partial<V1Params>) };
    validateV1(p);
    const held = options.held ?? p.expected_supply;
    const trigger = triggerThreshold(share * p.initial_funds, p.initial_funds, p.supply, p.beta, p.rho);
    const maxConviction = held / (1 - p.alpha);
    return { model, rho: p.rho, beta: p.beta, alpha: p.alpha, halfLife: halfLife(p.alpha), share, triggerSupply: p.supply, held, trigger, maxConviction, fraction: trigger / maxConviction, tmin: p.tmin, min_supp: p.min_supp };
  }
  const p = { ...V3_DEFAULTS, ...(params as Partial<V3Params>) };
  validateV3(p);
  const E0 = (p.initial_supply - p.initial_funds) * GENESIS_EFFECTIVE_SHARE;
  const held = options.held ?? p.initial_supply;
  const trigger = triggerThresholdV3(share * p.initial_funds, p.initial_funds, E0, p.beta, p.rho, p.alpha);
  const maxConviction = held / (1 - p.alpha);
  return { model, rho: p.rho, beta: p.beta, alpha: p.alpha, halfLife: halfLife(p.alpha), share, triggerSupply: E0, held, trigger, maxConviction, fraction: trigger / maxConviction, tmin: p.tmin, min_supp: p.min_supp };
}

/** One v3 parameter: its value (defaults with `overrides`), default, allowed range and doc. */
export interface ParameterRowV3 {
  parameter: V3ParamName;
  value: number;
  default: number;
  range: string;
  meaning: string;
}

/** The v3 parameter table, read from the model's one declaration (`PARAMETERS`), `overrides` validated and applied. */
export function parameterTableV3(overrides: Partial<V3Params> = {}): ParameterRowV3[] {
  const p = makeV3Params(overrides);
  return V3_PARAM_NAMES.map((name) => ({
    parameter: name,
    value: p[name],
    default: V3_DEFAULTS[name],
    range: describeRange(V3_PARAMETERS[name].range),
    meaning: V3_PARAMETERS[name].doc,
  }));
}

/** The rows of `triggerReach` for both models side by side, for a table: the levers that decide whether proposals pass. */
export function reachTable(options: { v1?: Partial<V1Params>; v3?: Partial<V3Params>; share?: number } = {}): Array<Record<string, number | string>> {
  const [a, b] = [triggerReach('v1', options.v1 ?? {}, { share: options.share }), triggerReach('v3', options.v3 ?? {}, { share: options.share })];
  const row = (quantity: string, f: (r: TriggerReach) => number) => ({ quantity, v1: +f(a).toPrecision(4), v3: +f(b).toPrecision(4), 'v3 / v1': +(f(b) / f(a)).toPrecision(3) });
  return [
    row('rho', (r) => r.rho),
    row('alpha', (r) => r.alpha),
    row('half-life of conviction (days)', (r) => r.halfLife),
    row('supply in the trigger', (r) => r.triggerSupply),
    row('tokens held at genesis (expected)', (r) => r.held),
    row(`trigger at request share ${a.share}`, (r) => r.trigger),
    row('largest reachable conviction, held/(1 − alpha)', (r) => r.maxConviction),
    row('trigger / largest reachable conviction', (r) => r.fraction),
    row('tmin (days before a pass)', (r) => r.tmin),
    row('min_supp (tokens)', (r) => r.min_supp),
  ];
}

/** The bands of one metric for several experiments (e.g. a v1 and a v3 run set), in the order given: one band per experiment's parameter set, ready for `panelsFigure(…, { names })`. */
export function bandsAcross(experiments: ReadonlyArray<ExperimentInput>, metric: MetricSpec, options: BandOptions = {}): Band[] {
  if (!Array.isArray(experiments) || experiments.length === 0) throw new TypeError('bandsAcross: experiments must be a non-empty array of experiment results');
  return experiments.flatMap((e) => metricBands(e, metric, options));
}

/** One experiment's passes at its last timestep, as a table row: runs, runs with a pass, passed (mean ± sd), first pass and peak conviction / trigger (medians). */
export interface PassRow {
  name: string;
  runs: number;
  'runs with a pass': number;
  'passed at T (mean ± sd)': string;
  'first pass (median day)': number | null;
  'peak conviction/trigger (median)': number | null;
}

/** The pass summary of named experiments (`sweepSummary` of each, one parameter set each), one row per experiment. */
export function passTable(experiments: Readonly<Record<string, ExperimentInput>>): PassRow[] {
  if (typeof experiments !== 'object' || experiments === null) throw new TypeError('passTable: experiments must be an object { name: experiment result }');
  return Object.entries(experiments).map(([name, e]) => {
    const rows = sweepSummary(e);
    if (rows.length !== 1) throw new RangeError(`passTable: '${name}' holds ${rows.length} parameter sets; pass one set per name`);
    const s = rows[0];
    const r2 = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 100) / 100);
    return {
      name,
      runs: s.runs,
      'runs with a pass': s.passedRuns,
      'passed at T (mean ± sd)': s.passed.mean === null ? '-' : `${s.passed.mean.toFixed(1)} ± ${(s.passed.sd ?? 0).toFixed(1)}`,
      'first pass (median day)': r2(s.firstPass.median),
      'peak conviction/trigger (median)': r2(s.peakShare.median),
    };
  });
}
