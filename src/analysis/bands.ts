/**
 * Monte Carlo summaries of an experiment: per-timestep quantile bands of a
 * scalar metric across runs, grouped by (simulation, subset), and a per-subset
 * summary of a sweep (proposals passed, funds, first pass). They read the
 * metric rows every run carries (`keep: 'metrics'` is enough); runs without
 * metric rows (e.g. `simulate`) have them computed from their records.
 */
import { mean, quantileSorted, standardDeviation } from 'simple-statistics';
import type { MetricRow, RunResult } from '../engine/core';
import type { State } from '../models/v1/state';
import { SCALAR_METRICS } from './metrics';

/** What the bands need of a run: where it belongs and its metric rows (or records to compute them from). */
export type RunInput = Pick<RunResult<State>, 'simulation' | 'subset' | 'run' | 'metrics'> & Partial<Pick<RunResult<State>, 'records'>>;

/** An experiment's runs (an `ExecutedExperiment`, `ExperimentResult`, or just the list) and optionally its parameter sets. */
export type ExperimentInput = ReadonlyArray<RunInput> | { results: ReadonlyArray<RunInput>; params?: ReadonlyArray<ReadonlyArray<object>> };

/** A metric: a column of the metric rows, or a function of a row (null: no value). */
export type MetricSpec = string | ((row: MetricRow) => number | null);

/** The band probabilities: 5, 25, 50, 75, 95th percentiles. */
export const BAND_PROBS: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95];

/** Quantiles of one metric across the runs of one (simulation, subset), per timestep. */
export interface Band {
  simulation: number;
  subset: number;
  /** The metric's name (the column, or the `name` option). */
  metric: string;
  /** The parameter set of this (simulation, subset), when the input had them. */
  params?: Record<string, unknown>;
  probs: number[];
  /** Every timestep present, ascending (0 is genesis). */
  timesteps: number[];
  /** `quantiles[k][i]`: quantile `probs[k]` at `timesteps[i]` across runs; null where no run has a value. */
  quantiles: Array<Array<number | null>>;
  /** Runs with a finite value at each timestep. */
  counts: number[];
  /** Runs in the group. */
  runs: number;
}

/** Proposals that passed the trigger by a row: active + completed + failed (they all were funded). */
export function passedCount(row: MetricRow): number {
  return Number(row.active_count) + Number(row.completed_count) + Number(row.failed_count);
}

/** The runs and parameter sets of an input. */
function unpack(input: ExperimentInput): { runs: ReadonlyArray<RunInput>; params?: ReadonlyArray<ReadonlyArray<object>> } {
  return Array.isArray(input) ? { runs: input as ReadonlyArray<RunInput> } : { runs: (input as { results: ReadonlyArray<RunInput> }).results, params: (input as { params?: ReadonlyArray<ReadonlyArray<object>> }).params };
}

/**
 * A run's metric rows: its own, or computed with the scalar metrics from its
 * records at genesis and at each timestep's last substep (what `keep: 'metrics'` keeps).
 */
export function metricRowsOf(run: RunInput): ReadonlyArray<MetricRow> {
  if (run.metrics.length > 0 || !run.records || run.records.length === 0) return run.metrics;
  const last = new Map<number, (typeof run.records)[number]>();
  for (const rec of run.records) {
    const prev = last.get(rec.timestep);
    if (!prev || rec.substep >= prev.substep) last.set(rec.timestep, rec);
  }
  return [...last.values()]
    .sort((a, b) => a.timestep - b.timestep)
    .map((rec) => {
      const row: MetricRow = { simulation: rec.simulation, subset: rec.subset, run: rec.run, substep: rec.substep, timestep: rec.timestep };
      for (const [name, f] of Object.entries(SCALAR_METRICS)) row[name] = (f as (s: State) => number | null)(rec);
      return row;
    });
}

/** The value of a metric in a row, or null when missing or not finite. */
function valueOf(row: MetricRow, metric: MetricSpec): number | null {
  const v = typeof metric === 'function' ? metric(row) : row[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Runs grouped by (simulation, subset), groups in ascending order. */
function groupRuns(runs: ReadonlyArray<RunInput>): Array<{ simulation: number; subset: number; runs: RunInput[] }> {
  const groups = new Map<string, { simulation: number; subset: number; runs: RunInput[] }>();
  for (const r of runs) {
    const key = `${r.simulation}/${r.subset}`;
    if (!groups.has(key)) groups.set(key, { simulation: r.simulation, subset: r.subset, runs: [] });
    groups.get(key)!.runs.push(r);
  }
  return [...groups.values()].sort((a, b) => a.simulation - b.simulation || a.subset - b.subset);
}

/** Quantile `p` (type 7, as numpy) of ascending values, or null when there are none. */
function quantileOrNull(sorted: ReadonlyArray<number>, p: number): number | null {
  return sorted.length > 0 ? quantileSorted(sorted as number[], p) : null;
}

/** Throws `metricBands: unknown metric …` listing the metric rows' columns, unless the first run's first row has `metric` (every run has the same columns). */
function checkMetricName(runs: ReadonlyArray<RunInput>, metric: string): void {
  const first = runs.length > 0 ? metricRowsOf(runs[0])[0] : undefined;
  if (first === undefined || metric in first) return;
  const known = Object.keys(first).filter((k) => !['simulation', 'subset', 'run', 'substep', 'timestep'].includes(k));
  throw new RangeError(`metricBands: unknown metric '${metric}'; known: ${known.join(', ')}`);
}

/** Options of `metricBands`. */
export interface BandOptions {
  /** Probabilities (default `BAND_PROBS`). */
  probs?: ReadonlyArray<number>;
  /** Name of the metric (default: the column, or 'value' for a function). */
  name?: string;
}

/**
 * Per-timestep quantiles of a metric across runs, one band per (simulation,
 * subset): e.g. `metricBands(experiment, 'candidate_count')`. Missing values
 * (e.g. no candidate for `max_conviction_share_of_trigger`) are left out and
 * counted; a timestep without any value has null quantiles (a gap in a plot).
 */
export function metricBands(input: ExperimentInput, metric: MetricSpec, options: BandOptions = {}): Band[] {
  const probs = [...(options.probs ?? BAND_PROBS)];
  for (const p of probs) if (!(p >= 0 && p <= 1)) throw new RangeError(`metricBands: probabilities must be in [0, 1], got ${p}`);
  const name = options.name ?? (typeof metric === 'string' ? metric : 'value');
  if (typeof input !== 'object' || input === null) throw new TypeError(`metricBands: input must be an experiment's result or its runs, got ${input === null ? 'null' : typeof input}`);
  if (typeof metric !== 'string' && typeof metric !== 'function') throw new TypeError(`metricBands: metric must be a column name or a function of a metric row, got ${metric === null ? 'null' : typeof metric}`);
  const { runs, params } = unpack(input);
  if (typeof metric === 'string') checkMetricName(runs, metric);
  return groupRuns(runs).map((g) => {
    const byTime = new Map<number, number[]>();
    for (const run of g.runs) {
      for (const row of metricRowsOf(run)) {
        if (!byTime.has(row.timestep)) byTime.set(row.timestep, []);
        const v = valueOf(row, metric);
        if (v !== null) byTime.get(row.timestep)!.push(v);
      }
    }
    const timesteps = [...byTime.keys()].sort((a, b) => a - b);
    const sorted = timesteps.map((t) => byTime.get(t)!.sort((a, b) => a - b));
    const band: Band = {
      simulation: g.simulation,
      subset: g.subset,
      metric: name,
      probs,
      timesteps,
      quantiles: probs.map((p) => sorted.map((values) => quantileOrNull(values, p))),
      counts: sorted.map((v) => v.length),
      runs: g.runs.length,
    };
    const ps = params?.[g.simulation]?.[g.subset];
    if (ps) band.params = { ...(ps as Record<string, unknown>) };
    return band;
  });
}

/** The names of the parameters whose value differs between the given parameter sets (a sweep's or an A/B's swept names). */
export function differingKeys(sets: ReadonlyArray<Record<string, unknown> | undefined>): string[] {
  const present = sets.filter((s): s is Record<string, unknown> => s !== undefined);
  if (present.length < 2) return [];
  const keys = [...new Set(present.flatMap((s) => Object.keys(s)))];
  return keys.filter((k) => present.some((s) => s[k] !== present[0][k]));
}

/** A label per group from the parameters that differ between groups ("rho = 0.002"), else "simulation s, subset k". */
export function groupLabels(groups: ReadonlyArray<{ simulation: number; subset: number; params?: Record<string, unknown> }>): string[] {
  const keys = differingKeys(groups.map((g) => g.params));
  return groups.map((g) =>
    keys.length > 0 && g.params ? keys.map((k) => `${k} = ${String(g.params![k])}`).join(', ') : `simulation ${g.simulation}, subset ${g.subset}`,
  );
}

/** Mean, standard deviation (population, as numpy's default) and quartiles of some numbers; nulls when there are none. */
export interface Stats {
  n: number;
  mean: number | null;
  sd: number | null;
  /** Standard error of the mean: sd / √n. */
  sem: number | null;
  q25: number | null;
  median: number | null;
  q75: number | null;
  min: number | null;
  max: number | null;
}

/** The `Stats` of some numbers. */
export function statsOf(values: ReadonlyArray<number>): Stats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n, mean: null, sd: null, sem: null, q25: null, median: null, q75: null, min: null, max: null };
  const sd = standardDeviation(sorted);
  return {
    n,
    mean: mean(sorted),
    sd,
    sem: sd / Math.sqrt(n),
    q25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q75: quantileSorted(sorted, 0.75),
    min: sorted[0],
    max: sorted[n - 1],
  };
}

/** One (simulation, subset) of a sweep, summarised over its runs at a timestep. */
export interface SweepSummaryRow {
  simulation: number;
  subset: number;
  /** The values of the swept parameters (those differing between groups), when the input had parameter sets. */
  values: Record<string, unknown>;
  label: string;
  runs: number;
  /** The timestep summarised. */
  timestep: number;
  /** Proposals passed (active + completed + failed) by then, across runs. */
  passed: Stats;
  /** Share of runs in which at least one proposal passed by then. */
  anyPassed: number;
  /** Number of runs in which at least one proposal passed by then. */
  passedRuns: number;
  /** Funds at that timestep, across runs. */
  funds: Stats;
  /** Timestep of the first pass, over the runs that had one by then. */
  firstPass: Stats;
  /** Largest conviction share of trigger over the run up to then (the closest any candidate came; above 1 it passed). */
  peakShare: Stats;
}

/**
 * A sweep's (or an A/B's) summary, one row per (simulation, subset): proposals
 * passed, share of runs where something passed, funds, first pass and peak
 * conviction share of trigger, at `timestep` (default: each run's last).
 */
export function sweepSummary(input: ExperimentInput, options: { timestep?: number } = {}): SweepSummaryRow[] {
  const { runs, params } = unpack(input);
  const groups = groupRuns(runs).map((g) => ({ ...g, params: params?.[g.simulation]?.[g.subset] as Record<string, unknown> | undefined }));
  const keys = differingKeys(groups.map((g) => g.params));
  const labels = groupLabels(groups);
  return groups.map((g, k) => {
    const passed: number[] = [];
    const funds: number[] = [];
    const first: number[] = [];
    const peaks: number[] = [];
    let timestep = -1;
    for (const run of g.runs) {
      const rows = metricRowsOf(run).filter((r) => options.timestep === undefined || r.timestep <= options.timestep);
      if (rows.length === 0) continue;
      const end = rows[rows.length - 1];
      timestep = Math.max(timestep, end.timestep);
      passed.push(passedCount(end));
      funds.push(Number(end.funds));
      const hit = rows.find((r) => passedCount(r) > 0);
      if (hit) first.push(hit.timestep);
      const shares = rows.map((r) => valueOf(r, 'max_conviction_share_of_trigger')).filter((v): v is number => v !== null);
      if (shares.length > 0) peaks.push(Math.max(...shares));
    }
    return {
      simulation: g.simulation,
      subset: g.subset,
      values: Object.fromEntries(keys.map((key) => [key, g.params?.[key]])),
      label: labels[k],
      runs: g.runs.length,
      timestep,
      passed: statsOf(passed),
      anyPassed: passed.length > 0 ? passed.filter((p) => p > 0).length / passed.length : 0,
      passedRuns: passed.filter((p) => p > 0).length,
      funds: statsOf(funds),
      firstPass: statsOf(first),
      peakShare: statsOf(peaks),
    };
  });
}

/**
 * The bands whose parameter set gives `param` one of `values` (e.g. three values of a swept `rho`),
 * in the bands' order. Bands must carry their parameters (`metricBands` of an experiment result does).
 */
export function bandsWith(bands: ReadonlyArray<Band>, param: string, values: ReadonlyArray<unknown>): Band[] {
  const missing = bands.find((b) => !b.params || !(param in b.params));
  if (missing) {
    throw new RangeError(
      `bandsWith: the band of simulation ${missing.simulation}, subset ${missing.subset} has no parameter '${param}'` +
        (missing.params ? `; it has ${Object.keys(missing.params).join(', ')}` : ' (pass the experiment result, not its runs, to metricBands)'),
    );
  }
  return bands.filter((b) => values.includes(b.params![param]));
}
