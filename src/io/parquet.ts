/**
 * Results as Parquet: a streaming writer of flat, typed, columnar files, and the
 * schema of the CLI's rdf table. Rows are buffered up to one row group (64k
 * rows by default), encoded (hyparquet-writer, pure JS, snappy) and written, so
 * memory stays bounded whatever the number of rows. The file is written beside
 * its destination under a temporary name and renamed on `close()`, so a reader
 * never sees half a file and a failed run leaves none.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParquetColumn } from '../analysis/parquet';
import { SCALAR_METRIC_NAMES } from '../analysis/metrics';
import { SCALAR_METRIC_NAMES_V3 } from '../analysis/metrics-v3';
import { isParamName, PARAM_RANGES } from '../models/v1/params';
import * as v3 from '../models/v3/params';

export type { ParquetColumn } from '../analysis/parquet';

type HyparquetWriter = typeof import('hyparquet-writer');
type Writer = import('hyparquet-writer').Writer;
type SchemaElement = import('hyparquet-writer').SchemaElement;

/** hyparquet-writer's module, loaded on first use. */
function hyparquetWriter(): HyparquetWriter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('hyparquet-writer') as HyparquetWriter;
}

/** Rows per row group unless told otherwise: small enough to bound memory, large enough for good compression. */
export const DEFAULT_ROW_GROUP_SIZE = 65536;

/** A row to write: a value per column name; null (or a missing key) only in nullable columns. */
export type ParquetInputRow = Record<string, number | bigint | string | null | undefined>;

/** How to write. */
export interface ParquetWriterOptions {
  /** Rows per row group (default 65,536). */
  rowGroupSize?: number;
  /** Key-value metadata stored in the file's footer (e.g. `shardMetadata(record)`). */
  metadata?: Record<string, string>;
}

/** One column of rows given by column (see `writeColumns`). */
export interface ParquetColumnData {
  values: Int32Array | Float64Array;
  nulls?: Uint8Array;
}

/** A Parquet file being written. */
export interface ParquetRowWriter {
  /** Appends rows (each checked against the schema); full row groups are written at once. */
  writeRows(rows: Iterable<ParquetInputRow>): void;
  /**
   * Appends `count` rows given by column, in schema order: numbers as typed arrays (Int32Array for
   * INT32 columns, Float64Array for DOUBLE), with a mask of nulls (1 = null) for nullable columns.
   * No row objects are built: this is how rows encoded on worker threads are written.
   */
  writeColumns(columns: ReadonlyArray<ParquetColumnData>, count: number): void;
  /** Rows accepted so far. */
  readonly rowCount: number;
  /** The temporary file being written (renamed over the destination by `close`). */
  readonly tempPath: string;
  /** Writes the last row group and the footer, then moves the file into place. */
  close(): void;
  /** Drops the file being written (after a failure); the destination is left untouched. */
  abort(): void;
}

const INT_COUNT = /_count$/;

/**
 * The Parquet schema of the CLI's rdf columns: simulation, subset, run,
 * timestep and the counts are INT32; integer parameters (n, m, tmin) INT32,
 * other parameters and funds DOUBLE; `max_conviction_share_of_trigger` is the
 * one nullable column. An unknown column is an error naming it.
 */
export function rdfParquetSchema(columns: ReadonlyArray<string>, model: 'v1' | 'v3' = 'v1'): ParquetColumn[] {
  const metrics = new Set<string>(model === 'v3' ? SCALAR_METRIC_NAMES_V3 : SCALAR_METRIC_NAMES);
  return columns.map((name): ParquetColumn => {
    if (name === 'simulation' || name === 'subset' || name === 'run' || name === 'timestep') {
      return { name, type: 'INT32', nullable: false };
    }
    if (metrics.has(name)) {
      // v3's stage shares are null until the first metrics substep has filled them.
      if (name === 'max_conviction_share_of_trigger' || name.startsWith('percentageOf')) return { name, type: 'DOUBLE', nullable: true };
      return { name, type: INT_COUNT.test(name) ? 'INT32' : 'DOUBLE', nullable: false };
    }
    if (model === 'v3' && v3.isParamName(name)) return { name, type: v3.PARAM_RANGES[name].integer ? 'INT32' : 'DOUBLE', nullable: false };
    if (model === 'v1' && isParamName(name)) return { name, type: PARAM_RANGES[name].integer ? 'INT32' : 'DOUBLE', nullable: false };
    throw new RangeError(`rdfParquetSchema: unknown column '${name}'; expected the rdf identifiers, parameters or scalar metrics`);
  });
}

function schemaElements(columns: ReadonlyArray<ParquetColumn>): SchemaElement[] {
  const els: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  for (const c of columns) {
    const el: SchemaElement = {
      name: c.name,
      type: c.type === 'STRING' ? 'BYTE_ARRAY' : c.type,
      repetition_type: c.nullable ? 'OPTIONAL' : 'REQUIRED',
    };
    if (c.type === 'STRING') el.converted_type = 'UTF8';
    els.push(el);
  }
  return els;
}

function checkSchema(columns: ReadonlyArray<ParquetColumn>): void {
  if (columns.length === 0) throw new RangeError('openParquetWriter: schema has no column');
  const seen = new Set<string>();
  for (const c of columns) {
    if (typeof c.name !== 'string' || c.name === '') throw new RangeError('openParquetWriter: a column name is empty');
    if (seen.has(c.name)) throw new RangeError(`openParquetWriter: column '${c.name}' appears twice`);
    seen.add(c.name);
    if (!['INT32', 'INT64', 'DOUBLE', 'STRING'].includes(c.type)) {
      throw new RangeError(`openParquetWriter: column '${c.name}' has type '${c.type}'; allowed: INT32, INT64, DOUBLE, STRING`);
    }
  }
}

/** A hyparquet-writer sink that appends to a file descriptor whenever its buffer passes 1 MB. */
function fdWriter(fd: number): Writer {
  const { ByteWriter } = hyparquetWriter();
  const w = new ByteWriter() as Writer & { index: number };
  const flush = (): void => {
    let at = 0;
    while (at < w.index) at += fs.writeSync(fd, new Uint8Array(w.buffer, at, w.index - at));
    w.index = 0;
  };
  const grow = w.ensure.bind(w);
  w.ensure = (size: number) => {
    if (w.index > 1 << 20) flush();
    grow(size);
  };
  w.flush = flush;
  w.finish = flush;
  return w;
}

let counter = 0;

/**
 * Opens a streaming Parquet writer to `file` with the given columns. Call
 * `writeRows` as rows come (in job order), then `close()`; on a failure call
 * `abort()`. Values are checked as they come: an int column takes safe integers
 * (INT32 within ±2^31), a DOUBLE any number, STRING a string, and null only
 * where the column is nullable.
 */
export function openParquetWriter(
  file: string,
  schema: ReadonlyArray<ParquetColumn>,
  options: ParquetWriterOptions = {},
): ParquetRowWriter {
  checkSchema(schema);
  const groupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isSafeInteger(groupSize) || groupSize < 1) {
    throw new RangeError(`openParquetWriter: rowGroupSize must be an integer ≥ 1, got ${groupSize}`);
  }
  const { ParquetWriter } = hyparquetWriter();
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++counter}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  const cols = schema.map((c) => ({ ...c }));
  let writer: InstanceType<HyparquetWriter['ParquetWriter']>;
  try {
    writer = new ParquetWriter({
      writer: fdWriter(fd),
      schema: schemaElements(cols),
      kvMetadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value: String(value) })),
      createdBy: 'conviction-voting (hyparquet-writer)',
    });
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  let buffers: unknown[][] = cols.map(() => []);
  let buffered = 0;
  let rowCount = 0;
  let state: 'open' | 'closed' | 'aborted' = 'open';

  const flushGroup = (): void => {
    if (buffered === 0) return;
    const columnData = cols.map((c, j) => ({ name: c.name, data: buffers[j] as never, nullable: c.nullable }));
    // One call per row group: the rows given are exactly one group.
    void writer.write({ columnData, rowGroupSize: buffered });
    buffers = cols.map(() => []);
    buffered = 0;
  };
  const cell = (c: ParquetColumn, v: ParquetInputRow[string], row: number): unknown => {
    const where = (): string => `openParquetWriter: row ${row}, column '${c.name}' (${c.type}${c.nullable ? ', nullable' : ''})`;
    if (v === null || v === undefined) {
      if (!c.nullable) throw new TypeError(`${where()}: null is not allowed`);
      return null;
    }
    switch (c.type) {
      case 'DOUBLE':
        if (typeof v !== 'number') throw new TypeError(`${where()}: expected a number, got ${typeof v}`);
        return v;
      case 'INT32':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
          throw new TypeError(`${where()}: expected an integer in [-2^31, 2^31), got ${String(v)}`);
        }
        return v;
      case 'INT64':
        if (typeof v === 'bigint') return v;
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`${where()}: expected a safe integer, got ${String(v)}`);
        return BigInt(v);
      case 'STRING':
        if (typeof v !== 'string') throw new TypeError(`${where()}: expected a string, got ${typeof v}`);
        return v;
    }
  };
  const fail = (e: unknown): never => {
    api.abort();
    throw e;
  };
  const api: ParquetRowWriter = {
    writeRows(rows) {
      if (state !== 'open') throw new Error(`openParquetWriter: ${file} is already ${state}`);
      try {
        for (const r of rows) {
          // Checked whole before any cell is buffered, so a bad row leaves the buffers aligned.
          const values = cols.map((c) => cell(c, r[c.name], rowCount));
          for (let j = 0; j < cols.length; j++) buffers[j].push(values[j]);
          rowCount++;
          if (++buffered === groupSize) flushGroup();
        }
      } catch (e) {
        fail(e);
      }
    },
    writeColumns(data, count) {
      if (state !== 'open') throw new Error(`openParquetWriter: ${file} is already ${state}`);
      try {
        if (data.length !== cols.length) throw new RangeError(`openParquetWriter: writeColumns got ${data.length} columns, the schema has ${cols.length}`);
        cols.forEach((c, j) => {
          const d = data[j];
          const want = c.type === 'INT32' ? Int32Array : c.type === 'DOUBLE' ? Float64Array : null;
          if (!want || !(d.values instanceof want)) throw new TypeError(`openParquetWriter: column '${c.name}' (${c.type}) takes ${want ? want.name : 'rows'} in writeColumns`);
          if (d.values.length < count) throw new RangeError(`openParquetWriter: column '${c.name}' has ${d.values.length} values, fewer than ${count}`);
          if (d.nulls && !c.nullable) throw new TypeError(`openParquetWriter: column '${c.name}' is not nullable`);
        });
        let at = 0;
        while (at < count) {
          // Up to the end of the current row group, then flush it.
          const take = Math.min(count - at, groupSize - buffered);
          for (let j = 0; j < cols.length; j++) {
            const { values, nulls } = data[j];
            const buf = buffers[j];
            for (let i = at; i < at + take; i++) buf.push(nulls && nulls[i] ? null : values[i]);
          }
          at += take;
          rowCount += take;
          buffered += take;
          if (buffered === groupSize) flushGroup();
        }
      } catch (e) {
        fail(e);
      }
    },
    get rowCount() {
      return rowCount;
    },
    tempPath: tmp,
    close() {
      if (state !== 'open') throw new Error(`openParquetWriter: ${file} is already ${state}`);
      try {
        flushGroup();
        void writer.finish();
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        state = 'closed';
        fs.renameSync(tmp, file);
      } catch (e) {
        fail(e);
      }
    },
    abort() {
      if (state === 'aborted') return;
      if (state === 'open') {
        try {
          fs.closeSync(fd);
        } catch {
          // already closed by a failing close(): the temporary file is removed below all the same
        }
      }
      state = 'aborted';
      fs.rmSync(tmp, { force: true });
    },
  };
  return api;
}

/** Writes `rows` to `file` as Parquet in one call (rows in memory: for large outputs use `openParquetWriter`). */
export function writeParquet(
  file: string,
  schema: ReadonlyArray<ParquetColumn>,
  rows: Iterable<ParquetInputRow>,
  options: ParquetWriterOptions = {},
): void {
  const w = openParquetWriter(file, schema, options);
  w.writeRows(rows);
  w.close();
}

/** What `writeExperimentParquet` reads of an executed experiment: its results' metric rows and every subset's parameters. */
export interface ExperimentRows {
  results: ReadonlyArray<{ simulation: number; subset: number; run: number; metrics: ReadonlyArray<Record<string, unknown>> }>;
  params: ReadonlyArray<ReadonlyArray<Readonly<Record<string, number>>>>;
}

/**
 * Writes an experiment's rdf (each timestep's last substep, genesis excluded) to a Parquet file, typed
 * as the CLI writes it: ids, then the parameters that differ between its parameter sets (the swept
 * ones, or an A/B's), then the metrics. Streamed in row groups; returns the number of rows.
 */
export function writeExperimentParquet(file: string, experiment: ExperimentRows, options: { model?: 'v1' | 'v3'; rowGroupSize?: number } = {}): number {
  if (!experiment || !Array.isArray(experiment.results) || !Array.isArray(experiment.params)) {
    throw new TypeError('writeExperimentParquet: expected an executed experiment ({ results, params }) with its results collected');
  }
  const first = experiment.results[0];
  if (!first) throw new RangeError('writeExperimentParquet: the experiment has no results to write');
  const model = options.model ?? ('sentiment' in (first.metrics[0] ?? {}) ? 'v3' : 'v1');
  const sets = experiment.params.flat();
  const varying = Object.keys(sets[0] ?? {}).filter((k) => sets.some((p) => p[k] !== sets[0][k]));
  const ids = new Set(['simulation', 'subset', 'run', 'substep', 'timestep']);
  const metricNames = Object.keys(first.metrics[0] ?? {}).filter((k) => !ids.has(k));
  const columns = ['simulation', 'subset', 'run', 'timestep', ...varying, ...metricNames];
  const w = openParquetWriter(file, rdfParquetSchema(columns, model), { rowGroupSize: options.rowGroupSize });
  try {
    for (const r of experiment.results) {
      const params = experiment.params[r.simulation][r.subset];
      const rows: ParquetInputRow[] = [];
      for (const m of r.metrics) {
        if (m.timestep === 0) continue;
        const row: ParquetInputRow = { simulation: r.simulation, subset: r.subset, run: r.run };
        for (const k of varying) row[k] = params[k];
        for (const k of ['timestep', ...metricNames]) row[k] = m[k] as ParquetInputRow[string];
        rows.push(row);
      }
      w.writeRows(rows);
    }
    w.close();
  } catch (e) {
    w.abort();
    throw e;
  }
  return w.rowCount;
}
