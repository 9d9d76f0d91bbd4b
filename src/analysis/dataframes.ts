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
import type { State } from '../models/v1/state';
import { readableInspect } from './frames';
import { ARRAY_METRICS, ARRAY_METRIC_NAMES, SCALAR_METRICS, SCALAR_METRIC_NAMES } from './metrics';
import { SCALAR_METRICS_V3, SCALAR_METRIC_NAMES_V3 } from './metrics-v3';
import type { State as V3State } from '../models/v3/state';
import { TIDY_COLUMN_NAMES, tidyProposals, type ProposalRow } from './tidy';
import { MODEL_NAMES, type ModelName } from '../models/names';

/** The identifying columns of a row, in output order. */
export const META_COLUMNS = ['simulation', 'subset', 'run', 'timestep', 'substep'] as const;

/** The columns of the df and rdf DataFrames: meta and scalar metrics, all numeric (array columns live in the rows and the tidy form). */
export const FRAME_COLUMN_NAMES: ReadonlyArray<string> = [...META_COLUMNS, ...SCALAR_METRIC_NAMES];

/** Column name -> metric of the state: scalar columns first, then the array columns. */
export const DF_COLUMNS = { ...SCALAR_METRICS, ...ARRAY_METRICS };

/** Every column of a df row, in order: meta, scalar metrics, array metrics. */
export const DF_COLUMN_NAMES: ReadonlyArray<string> = [...META_COLUMNS, ...SCALAR_METRIC_NAMES, ...ARRAY_METRIC_NAMES];

type ScalarColumns = { [K in keyof typeof SCALAR_METRICS]: ReturnType<(typeof SCALAR_METRICS)[K]> };
type ArrayColumns = { [K in keyof typeof ARRAY_METRICS]: number[] };

/** One df row: where the record comes from plus every §8 column (array columns stay arrays). */
export type Row = RecordMeta & ScalarColumns & ArrayColumns;

// The model a record comes from: v1 (network, funds) or v3 (+ sentiment, supplies and stage metrics).
export { MODEL_NAMES, type ModelName };

/** The columns of the v3 df and rdf DataFrames (MODEL_SPEC_V3 §8): meta, the v1 scalar columns, then sentiment, the supplies and the stage percentages; all numeric. */
export const FRAME_COLUMN_NAMES_V3: ReadonlyArray<string> = [...META_COLUMNS, ...SCALAR_METRIC_NAMES_V3];

/** Column name -> metric of a v3 state: scalar columns first, then the (v1) array columns. */
export const DF_COLUMNS_V3 = { ...SCALAR_METRICS_V3, ...ARRAY_METRICS };

/** Every column of a v3 df row, in order: meta, scalar metrics, array metrics. */
export const DF_COLUMN_NAMES_V3: ReadonlyArray<string> = [...META_COLUMNS, ...SCALAR_METRIC_NAMES_V3, ...ARRAY_METRIC_NAMES];

type ScalarColumnsV3 = { [K in keyof typeof SCALAR_METRICS_V3]: ReturnType<(typeof SCALAR_METRICS_V3)[K]> };

/** One v3 df row: the v1 row's columns plus sentiment, total_supply, effective_supply, the supply fractions and the six stage percentages. */
export type RowV3 = RecordMeta & ScalarColumnsV3 & ArrayColumns;

/** Options of `toRows` and `toDataFrames`. */
export interface RowOptions {
  /** The model of the records (default: v3 when the first record has `total_supply`, else v1). */
  model?: ModelName;
}

/** Whether a state is a v3 state: it carries the v3 supply variables. */
export function isV3State(s: object): s is V3State {
  return typeof (s as { total_supply?: unknown }).total_supply === 'number' && typeof (s as { effective_supply?: unknown }).effective_supply === 'number';
}

/** The model of some records: the option when given (checked), else v3 when the first record is a v3 state, else v1. */
export function modelOf(records: ReadonlyArray<object>, model?: unknown, where = 'toRows'): ModelName {
  if (model !== undefined) {
    if (!MODEL_NAMES.includes(model as ModelName)) throw new RangeError(`${where}: options.model must be 'v1' or 'v3', got ${JSON.stringify(model)}`);
    if (model === 'v3' && records.length > 0 && !isV3State(records[0])) {
      throw new RangeError(`${where}: options.model is 'v3' but the records hold no total_supply (v1 records?)`);
    }
    return model as ModelName;
  }
  return records.length > 0 && isV3State(records[0]) ? 'v3' : 'v1';
}

/** Records of a run, or an experiment's results (their records, in job order). */
export type RecordsInput = ReadonlyArray<StateRecord<State>> | ExperimentResult<State>;

/** The records of an input: the array itself, or every run's records in job order. */
export function recordsOf(input: RecordsInput): ReadonlyArray<StateRecord<State>> {
  if (Array.isArray(input)) return input;
  return (input as ExperimentResult<State>).results.flatMap((r) => r.records);
}

/**
 * One df row per record, with every §8 column computed by its metric: the v1
 * columns (MODEL_SPEC §8), or for v3 records (detected, or `{ model: 'v3' }`)
 * the v3 columns (MODEL_SPEC_V3 §8, `RowV3`).
 */
export function toRows(input: RecordsInput, options?: RowOptions & { model?: 'v1' }): Row[];
export function toRows(input: RecordsInput, options: RowOptions & { model: 'v3' }): RowV3[];
export function toRows(input: RecordsInput, options?: RowOptions): Array<Row | RowV3>;
export function toRows(input: RecordsInput, options: RowOptions = {}): Array<Row | RowV3> {
  if (typeof options !== 'object' || options === null) throw new TypeError('toRows: options must be an object such as { model: \'v3\' }');
  const records = recordsOf(input);
  return modelOf(records, options.model) === 'v3' ? records.map((r) => toRowV3(r as StateRecord<V3State>)) : records.map(toRow);
}

/** The df row of one record. */
export function toRow(record: StateRecord<State>): Row {
  return rowWith(record, DF_COLUMNS) as unknown as Row;
}

/** The v3 df row of one v3 record (MODEL_SPEC_V3 §8). */
export function toRowV3(record: StateRecord<V3State>): RowV3 {
  if (!isV3State(record)) throw new TypeError('toRowV3: the record is not a v3 state (it has no total_supply)');
  return rowWith(record, DF_COLUMNS_V3) as unknown as RowV3;
}

/** A row of a record: the meta columns then every column of `columns`, in order. */
function rowWith<S>(record: StateRecord<S>, columns: Record<string, (s: never) => unknown>): Record<string, unknown> {
  // Built in column order so that danfo (which takes the first row's keys) keeps that order.
  const row: Record<string, unknown> = {};
  for (const c of META_COLUMNS) row[c] = record[c];
  for (const [name, metric] of Object.entries(columns)) row[name] = (metric as (s: S) => unknown)(record);
  return row;
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

/** danfo's module, loaded on first use; its frames then print as readable tables (`readableInspect`). */
export function danfo(): typeof import('danfojs-node') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  readableInspect(dfd);
  return dfd;
}

/** The first row's keys whose value is not an array, in order. */
function scalarKeys(row: object): string[] {
  return Object.entries(row)
    .filter(([, v]) => !Array.isArray(v) && !ArrayBuffer.isView(v))
    .map(([k]) => k);
}

/**
 * A danfo DataFrame of rows (df rows, rdf rows, tidy rows, ...): by default
 * every column of the first row that is not an array. A column of numbers keeps
 * a numeric dtype, a missing value in it is NaN (so `round`, `describe` and
 * arithmetic work), and a string column stays a string column. Array-valued
 * columns are refused: danfo would turn them into comma-joined text; use the
 * tidy form (`tidyProposals`, one row per proposal) or read them from the rows.
 */
export function toDataFrame(rows: ReadonlyArray<object>, columns?: ReadonlyArray<string>): DataFrame {
  const dfd = danfo();
  if (!Array.isArray(rows)) throw new TypeError('toDataFrame: rows must be an array of row objects');
  const cols = columns ? [...columns] : rows.length > 0 ? scalarKeys(rows[0]) : [...FRAME_COLUMN_NAMES];
  if (rows.length === 0) return new dfd.DataFrame([], { columns: cols });
  const data: Record<string, unknown[]> = {};
  for (const c of cols) {
    const values = rows.map((r) => (r as Record<string, unknown>)[c]);
    const bad = values.find((v) => Array.isArray(v) || ArrayBuffer.isView(v));
    if (bad !== undefined) {
      throw new TypeError(
        `toDataFrame: column '${c}' holds arrays (one value per proposal); danfo would turn them into text. ` +
          'Use the tidy form (tidyProposals, or toDataFrames(...).tidy) or read the arrays from the rows',
      );
    }
    const numeric = values.every((v) => typeof v === 'number' || v === null || v === undefined);
    data[c] = numeric ? values.map((v) => (typeof v === 'number' ? v : NaN)) : values;
  }
  return new dfd.DataFrame(data, { columns: cols });
}

/** What `toDataFrames` returns: the frames and the rows they come from. */
export interface DataFrames {
  /** Every record: meta and scalar metric columns, all numeric. */
  df: DataFrame;
  /** The last substep of each timestep, as `df`. */
  rdf: DataFrame;
  /** One row per (run, timestep, proposal) at the last substep (`tidyProposals`); built when first read. */
  readonly tidy: DataFrame;
  /** The df rows, array columns as real arrays (`RowV3` objects for v3 records). */
  rows: Row[];
  /** The rdf rows, array columns as real arrays (`RowV3` objects for v3 records). */
  rdfRows: Row[];
  /** The model the rows are of. */
  model: ModelName;
  /** The tidy rows; built when first read. */
  readonly tidyRows: ProposalRow[];
}

/**
 * The df and rdf of some records as numeric DataFrames, the tidy proposals as a
 * DataFrame, and the rows they come from. The tidy form is built only when read:
 * it has a row per proposal and timestep, many more than the rdf.
 */
export function toDataFrames(input: RecordsInput, options: RowOptions = {}): DataFrames {
  if (typeof options !== 'object' || options === null) throw new TypeError('toDataFrames: options must be an object such as { model: \'v3\' }');
  const model = modelOf(recordsOf(input), options.model, 'toDataFrames');
  const rows = toRows(input, { model }) as Row[];
  const rdfRows = lastSubstep(rows);
  let tidyRows: ProposalRow[] | undefined;
  let tidy: DataFrame | undefined;
  // Empty frames still get their model's columns.
  const empty = model === 'v3' ? FRAME_COLUMN_NAMES_V3 : FRAME_COLUMN_NAMES;
  return {
    df: toDataFrame(rows, rows.length > 0 ? undefined : empty),
    rdf: toDataFrame(rdfRows, rdfRows.length > 0 ? undefined : empty),
    rows,
    rdfRows,
    model,
    get tidyRows(): ProposalRow[] {
      return (tidyRows ??= tidyProposals(input));
    },
    get tidy(): DataFrame {
      return (tidy ??= toDataFrame(this.tidyRows, TIDY_COLUMN_NAMES));
    },
  };
}
