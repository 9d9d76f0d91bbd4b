/**
 * Quantiles of a column over time (the quantile plot of MODEL_SPEC §9, figure 9),
 * with simple-statistics' linear interpolation (type 7, as numpy and pandas).
 */
import { mean, median, quantileSorted } from 'simple-statistics';
import type { ProposalStatus } from '../models/shared/network';

/** The percentiles of the reference quantile plot. */
export const PERCENTILES: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

/** Quantiles of a column, one series per probability, over the timesteps of the rows. */
export interface QuantileSeries {
  column: string;
  probs: number[];
  /** Every timestep present in the rows, ascending. */
  timesteps: number[];
  /** `series[k][i]`: quantile `probs[k]` of the values at `timesteps[i]`; null when there is none. */
  series: Array<Array<number | null>>;
  /** How many values each timestep's quantiles come from. */
  counts: number[];
}

/** Options of `quantilesOverTime`. */
export interface QuantileOptions {
  /** For tidy rows (rows with a `status`): the statuses that count. Default: candidates only. */
  statuses?: ReadonlyArray<ProposalStatus>;
}

/**
 * Per-timestep quantiles of `column` over rdf rows (array cells are pooled) or
 * tidy rows (one value per proposal). The rows of every run at a timestep are
 * pooled. Non-finite values (NaN for non-candidates) are dropped; a timestep with
 * no value keeps its place with null quantiles, so a line plot shows a gap there
 * instead of inventing a value (e.g. no candidate left).
 * Tidy rows count only the given statuses (default candidates), so a tidy column
 * gives the same quantiles as the rdf's candidate column of the same name.
 */
export function quantilesOverTime<R extends { timestep: number }>(
  rows: ReadonlyArray<R>,
  column: string,
  probs: ReadonlyArray<number> = PERCENTILES,
  options: QuantileOptions = {},
): QuantileSeries {
  if (!Array.isArray(rows)) throw new TypeError(`quantilesOverTime: rows must be an array of rows with a timestep, got ${typeof rows}`);
  if (typeof column !== 'string') throw new TypeError(`quantilesOverTime: column must be a column name, got ${typeof column}`);
  if (!Array.isArray(probs) || probs.length === 0 || probs.length > 1000) {
    throw new TypeError('quantilesOverTime: probs must be a list of 1 to 1,000 probabilities in [0, 1]');
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('quantilesOverTime: options must be an object');
  for (const p of probs) {
    if (!(typeof p === 'number' && p >= 0 && p <= 1)) throw new RangeError(`quantilesOverTime: probabilities must be in [0, 1], got ${String(p)}`);
  }
  const statuses = new Set<string>(options.statuses ?? ['candidate']);
  const byTime = new Map<number, number[]>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || typeof row.timestep !== 'number') {
      throw new TypeError('quantilesOverTime: every row must be an object with a numeric timestep');
    }
    const r = row as Record<string, unknown>;
    if (!byTime.has(row.timestep)) byTime.set(row.timestep, []);
    if (typeof r.status === 'string' && !statuses.has(r.status)) continue;
    const bucket = byTime.get(row.timestep)!;
    const v = r[column];
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'number' && Number.isFinite(x)) bucket.push(x);
    } else if (typeof v === 'number' && Number.isFinite(v)) {
      bucket.push(v);
    }
  }
  const timesteps = [...byTime.keys()].sort((a, b) => a - b);
  const series = probs.map(() => [] as Array<number | null>);
  const counts: number[] = [];
  for (const t of timesteps) {
    const values = byTime.get(t)!.sort((a, b) => a - b);
    counts.push(values.length);
    probs.forEach((p, k) => series[k].push(values.length > 0 ? quantileSorted(values, p) : null));
  }
  return { column, probs: [...probs], timesteps, series, counts };
}

/** Median of the finite values, or null when there is none. */
export function medianOf(values: ReadonlyArray<number>): number | null {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length > 0 ? median(finite) : null;
}

/** Mean of a scalar column per timestep, runs pooled (one run: the column itself); null where a timestep has no finite value. */
export function meanOverTime<R extends { timestep: number }>(
  rows: ReadonlyArray<R>,
  column: string,
): { timesteps: number[]; values: Array<number | null> } {
  const byTime = new Map<number, number[]>();
  for (const row of rows) {
    if (!byTime.has(row.timestep)) byTime.set(row.timestep, []);
    const v = (row as Record<string, unknown>)[column];
    if (typeof v === 'number' && Number.isFinite(v)) byTime.get(row.timestep)!.push(v);
  }
  const timesteps = [...byTime.keys()].sort((a, b) => a - b);
  return { timesteps, values: timesteps.map((t) => (byTime.get(t)!.length > 0 ? mean(byTime.get(t)!) : null)) };
}
