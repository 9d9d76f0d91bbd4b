/**
 * Final values, read by name: the last state of a run, its last metric row, a
 * band's quantiles at its last timestep. Notebooks call these instead of
 * indexing (`quantiles[2].at(-1)!`), so a reader sees what is read and a wrong
 * input (several runs, a probability the band lacks) is a clear error.
 */
import type { MetricRow } from '../engine/core';
import type { StateRecord } from '../engine/types';
import type { State } from '../models/v1/state';
import { metricRowsOf, type Band, type RunInput } from './bands';

/** One run: its records, or a run result (`experiment.results[k]`), or an experiment with a single run. */
export type OneRun = ReadonlyArray<StateRecord<State>> | { records: ReadonlyArray<StateRecord<State>> } | { results: ReadonlyArray<{ records: ReadonlyArray<StateRecord<State>> }> };

/** The records of a single run, refusing inputs that hold several. */
function recordsOfOneRun(input: OneRun, where: string): ReadonlyArray<StateRecord<State>> {
  let records: ReadonlyArray<StateRecord<State>>;
  if (Array.isArray(input)) records = input;
  else if (input && typeof input === 'object' && 'results' in input && Array.isArray(input.results)) {
    if (input.results.length !== 1) throw new RangeError(`${where}: the experiment holds ${input.results.length} runs; pass one of them (experiment.results[k])`);
    records = input.results[0].records;
  } else if (input && typeof input === 'object' && 'records' in input && Array.isArray(input.records)) records = input.records;
  else throw new TypeError(`${where}: expected a run's records, a run result or an experiment with one run`);
  if (records.length === 0) throw new RangeError(`${where}: the run has no records (was it run with keep: 'metrics'? use finalMetrics)`);
  const first = records[0];
  const other = records.find((r) => r.run !== first.run || r.simulation !== first.simulation || r.subset !== first.subset);
  if (other) throw new RangeError(`${where}: the records belong to several runs (run ${first.run} and run ${other.run}); pass one run's records`);
  return records;
}

/** The last record of one run: its final state (network and funds at the last substep of the last timestep). */
export function finalRecord(input: OneRun): StateRecord<State> {
  const records = recordsOfOneRun(input, 'finalRecord');
  return records[records.length - 1];
}

/** The last metric row of one run (the scalar metrics at its last timestep); works with `keep: 'metrics'` too. */
export function finalMetrics(input: RunInput | { results: ReadonlyArray<RunInput> }): MetricRow {
  let run: RunInput;
  if (input && typeof input === 'object' && 'results' in input && Array.isArray(input.results)) {
    if (input.results.length !== 1) throw new RangeError(`finalMetrics: the experiment holds ${input.results.length} runs; pass one of them (experiment.results[k])`);
    run = input.results[0];
  } else run = input as RunInput;
  if (!run || typeof run !== 'object' || !Array.isArray(run.metrics)) throw new TypeError('finalMetrics: expected a run result (experiment.results[k])');
  const rows = metricRowsOf(run);
  if (rows.length === 0) throw new RangeError('finalMetrics: the run has neither metric rows nor records');
  return rows[rows.length - 1];
}

/** The one band of a list (or the band itself), refusing lists of several. */
function oneBand(input: Band | ReadonlyArray<Band>, where: string): Band {
  if (!Array.isArray(input)) return input as Band;
  if (input.length !== 1) {
    throw new RangeError(`${where}: got ${input.length} bands (one per simulation and subset); pass one of them, e.g. bands[0]`);
  }
  return input[0];
}

/**
 * A band's quantile `prob` (default the median) at its last timestep, e.g.
 * `finalValue(metricBands(mc, 'candidate_count'))`; null when no run has a value there.
 */
export function finalValue(band: Band | ReadonlyArray<Band>, prob = 0.5): number | null {
  const b = oneBand(band, 'finalValue');
  const k = b.probs.indexOf(prob);
  if (k < 0) throw new RangeError(`finalValue: the band has no quantile ${prob}; it has ${b.probs.join(', ')}`);
  if (b.timesteps.length === 0) throw new RangeError('finalValue: the band is empty (no timestep)');
  return b.quantiles[k][b.timesteps.length - 1];
}

/** A band's quantiles at its last timestep: its timestep, and one `{ prob, value }` per probability. */
export function finalQuantiles(band: Band | ReadonlyArray<Band>): { timestep: number; quantiles: Array<{ prob: number; value: number | null }> } {
  const b = oneBand(band, 'finalQuantiles');
  const last = b.timesteps.length - 1;
  if (last < 0) throw new RangeError('finalQuantiles: the band is empty (no timestep)');
  return { timestep: b.timesteps[last], quantiles: b.probs.map((prob, k) => ({ prob, value: b.quantiles[k][last] })) };
}
