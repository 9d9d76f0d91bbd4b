/**
 * Post-processing (MODEL_SPEC §8): records -> plain rows (df), the last
 * substep of each timestep (rdf), and danfo DataFrames of either.
 *
 * Every column is computed by a named metric of `./metrics` through one table
 * (`DF_COLUMNS`), so a column means the same here, in the CLI and in the engine's
 * `metrics` keep mode. danfo is loaded only inside `toDataFrame`: importing it
 * costs over a second, and the CLI and the rest of the library never need it.
 */
import type { DataFrame } from 'danfojs-node';
import type { ExperimentResult } from '../engine/wrappers';
import type { RecordMeta, StateRecord } from '../engine/types';
import type { State } from '../model/state';
import { ARRAY_METRICS, ARRAY_METRIC_NAMES, SCALAR_METRICS, SCALAR_METRIC_NAMES } from './metrics';

/** The identifying columns of a row, in output order. */
export const META_COLUMNS = ['simulation', 'subset', 'run', 'timestep', 'substep'] as const;

/** Column name -> metric of the state: scalar columns first, then the array columns. */
export const DF_COLUMNS = { ...SCALAR_METRICS, ...ARRAY_METRICS };

/** Every column of a df row, in order: meta, scalar metrics, array metrics. */
export const DF_COLUMN_NAMES: ReadonlyArray<string> = [...META_COLUMNS, ...SCALAR_METRIC_NAMES, ...ARRAY_METRIC_NAMES];

type ScalarColumns = { [K in keyof typeof SCALAR_METRICS]: ReturnType<(typeof SCALAR_METRICS)[K]> };
type ArrayColumns = { [K in keyof typeof ARRAY_METRICS]: number[] };

/** One df row: where the record comes from plus every §8 column (array columns stay arrays). */
export type Row = RecordMeta & ScalarColumns & ArrayColumns;

/** Records of a run, or an experiment's results (their records, in job order). */
export type RecordsInput = ReadonlyArray<StateRecord<State>> | ExperimentResult<State>;

/** The records of an input: the array itself, or every run's records in job order. */
export function recordsOf(input: RecordsInput): ReadonlyArray<StateRecord<State>> {
  if (Array.isArray(input)) return input;
  return (input as ExperimentResult<State>).results.flatMap((r) => r.records);
}

/** One df row per record, with every MODEL_SPEC §8 column computed by its metric. */
export function toRows(input: RecordsInput): Row[] {
  return recordsOf(input).map(toRow);
}

/** The df row of one record. */
export function toRow(record: StateRecord<State>): Row {
  // Built in DF_COLUMN_NAMES order so that danfo (which takes the first row's keys) keeps that order.
  const row: Record<string, unknown> = {};
  for (const c of META_COLUMNS) row[c] = record[c];
  for (const [name, metric] of Object.entries(DF_COLUMNS)) row[name] = (metric as (s: State) => unknown)(record);
  return row as unknown as Row;
}

/**
 * The rdf selection: rows at the last substep of their timestep (cadCAD's
 * `df[df.substep == df.substep.max()]`), which drops the genesis row (substep 0).
 * The maximum is taken per simulation, because models of an A/B experiment may
 * have different numbers of blocks.
 */
export function lastSubstep<T extends RecordMeta>(rows: ReadonlyArray<T>): T[] {
  const max = new Map<number, number>();
  for (const r of rows) max.set(r.simulation, Math.max(max.get(r.simulation) ?? 0, r.substep));
  // With no block at all (max 0) there is no substep to keep, not a genesis row.
  return rows.filter((r) => r.substep > 0 && r.substep === max.get(r.simulation));
}

/** danfo's module, loaded on first use. */
export function danfo(): typeof import('danfojs-node') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('danfojs-node') as typeof import('danfojs-node');
}

/**
 * A danfo DataFrame of rows (df rows, rdf rows, tidy rows, ...). Array cells stay
 * arrays in `df.values` and `toJSON`, but danfo types such a column as string and
 * `df['conviction'].values` gives them joined as text ("1,2"): read array columns
 * from the rows or use the tidy form.
 */
export function toDataFrame(rows: ReadonlyArray<object>, columns: ReadonlyArray<string> = DF_COLUMN_NAMES): DataFrame {
  const dfd = danfo();
  if (rows.length === 0) return new dfd.DataFrame([], { columns: [...columns] });
  return new dfd.DataFrame(rows as object[]);
}

/** The df (every record) and the rdf (last substep of each timestep) of some records, as DataFrames. */
export function toDataFrames(input: RecordsInput): { df: DataFrame; rdf: DataFrame; rows: Row[]; rdfRows: Row[] } {
  const rows = toRows(input);
  const rdfRows = lastSubstep(rows);
  return { df: toDataFrame(rows), rdf: toDataFrame(rdfRows), rows, rdfRows };
}
