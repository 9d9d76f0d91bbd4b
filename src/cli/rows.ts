/**
 * The CLI's rows, encoded where each run finishes (a worker thread or the main
 * one): CSV/JSON text as UTF-8 bytes, or Parquet columns as typed arrays. Only
 * these cross threads, transferred, never a run's history or metric objects;
 * the main thread writes them in job order. The executor loads this module in
 * every worker (`ExecuteOptions.rows`).
 */
import type { RunResult } from '../engine/core';
import type { Job } from '../engine/wrappers';
import { rdfParquetSchema, type ParquetColumnData } from '../io/parquet';
import { RowFormatter, type OutputFormat } from './output';

/** What the encoder needs to know: the output format, its columns and the model (for Parquet types). */
export interface CliRowArgs {
  format: OutputFormat;
  columns: string[];
  model: 'v1' | 'v3';
}

/** One run's rows as text bytes; JSON rows each start with ',\n' (the writer drops the very first comma). */
export interface EncodedText {
  bytes: Uint8Array;
  rows: number;
}

/** One run's rows as Parquet columns in schema order. */
export interface EncodedColumns {
  columns: ParquetColumnData[];
  rows: number;
}

type Params = Readonly<Record<string, number>>;

/** The row encoder of a CLI output (the factory named in `ExecuteOptions.rows`). */
export function cliRowEncoder(args: CliRowArgs): (r: RunResult<unknown>, job: Job<Params>) => { data: EncodedText | EncodedColumns; transfer: ArrayBuffer[] } {
  if (args.format === 'parquet') {
    const schema = rdfParquetSchema(args.columns, args.model);
    return (r, job) => {
      const rows = r.metrics.filter((m) => m.timestep !== 0);
      const n = rows.length;
      const transfer: ArrayBuffer[] = [];
      const columns = schema.map((c): ParquetColumnData => {
        const values = c.type === 'INT32' ? new Int32Array(n) : new Float64Array(n);
        let nulls: Uint8Array | undefined;
        const fromParams = !(c.name in (rows[0] ?? {}));
        for (let i = 0; i < n; i++) {
          const v = fromParams ? job.params[c.name] : (rows[i] as Record<string, unknown>)[c.name];
          if (v === null || v === undefined) {
            if (!c.nullable) throw new TypeError(`parquet: column '${c.name}' has no value at timestep ${rows[i].timestep}`);
            (nulls ??= new Uint8Array(n))[i] = 1;
          } else {
            if (c.type === 'INT32' && !Number.isInteger(v)) throw new TypeError(`parquet: column '${c.name}' is an integer column, got ${String(v)}`);
            values[i] = v as number;
          }
        }
        transfer.push(values.buffer as ArrayBuffer);
        if (nulls) transfer.push(nulls.buffer as ArrayBuffer);
        return nulls ? { values, nulls } : { values };
      });
      return { data: { columns, rows: n }, transfer };
    };
  }
  const fmt = new RowFormatter(args.format, args.columns);
  const utf8 = new TextEncoder();
  return (r, job) => {
    // Never the first row as far as this formatter knows, so JSON rows all start with ',\n'.
    fmt.rows = 1;
    const text = fmt.run(r, job.params);
    const bytes = utf8.encode(text);
    return { data: { bytes, rows: fmt.rows - 1 }, transfer: [bytes.buffer as ArrayBuffer] };
  };
}
