/**
 * Reading Parquet results (the CLI's `--out x.parquet`, or any flat Parquet
 * file) back: its columns and metadata, its rows one row group at a time, and
 * a danfo DataFrame. hyparquet (pure JS) does the decoding; it is loaded on
 * first use so that importing the library does not load it.
 */
import * as fs from 'node:fs';
import type { DataFrame } from 'danfojs-node';
import { danfo } from './dataframes';

type Hyparquet = typeof import('hyparquet');
type FileMetaData = import('hyparquet').FileMetaData;

/** hyparquet's module, loaded on first use. */
function hyparquet(): Hyparquet {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('hyparquet') as Hyparquet;
}

/** A column of a flat Parquet file as this library writes and reads it. */
export interface ParquetColumn {
  name: string;
  /** INT32 and INT64 are integers, DOUBLE a float, STRING UTF-8 text. */
  type: 'INT32' | 'INT64' | 'DOUBLE' | 'STRING';
  /** Whether a cell may be null (OPTIONAL); otherwise REQUIRED. */
  nullable: boolean;
}

/** What a Parquet file holds, without its rows. */
export interface ParquetFileInfo {
  columns: ParquetColumn[];
  /** Key-value metadata of the file (e.g. `cv.shard`). */
  metadata: Record<string, string>;
  rows: number;
  /** Rows in each row group, in file order. */
  rowGroups: number[];
}

/** A row of a Parquet file: INT64 cells become numbers when they are safe integers. */
export type ParquetRow = Record<string, number | string | null>;

/** An open Parquet file; `close()` releases the descriptor. */
export interface ParquetFile {
  info: ParquetFileInfo;
  /** The rows of row group `i`, as objects in column order. */
  readRowGroup(i: number): Promise<ParquetRow[]>;
  /** Every row group in order, one at a time (memory holds one group). */
  rowGroups(): AsyncGenerator<ParquetRow[]>;
  close(): void;
}

function columnOf(el: import('hyparquet').SchemaElement, file: string): ParquetColumn {
  const nullable = el.repetition_type === 'OPTIONAL';
  if (el.repetition_type === 'REPEATED' || el.num_children) {
    throw new Error(`readParquet: ${file}: column '${el.name}' is nested or repeated; only flat tables are read`);
  }
  const isString = el.converted_type === 'UTF8' || el.logical_type?.type === 'STRING';
  if (el.type === 'BYTE_ARRAY' && isString) return { name: el.name, type: 'STRING', nullable };
  if (el.type === 'INT32' || el.type === 'INT64') {
    if (el.converted_type === undefined || el.converted_type === 'INT_32' || el.converted_type === 'INT_64') {
      return { name: el.name, type: el.type, nullable };
    }
  }
  if (el.type === 'DOUBLE' || el.type === 'FLOAT') return { name: el.name, type: 'DOUBLE', nullable };
  throw new Error(`readParquet: ${file}: column '${el.name}' has type ${el.type}${el.converted_type ? `/${el.converted_type}` : ''}, which is not read here`);
}

/** Columns of a file's (flat) schema. */
function columnsOf(meta: FileMetaData, file: string): ParquetColumn[] {
  return meta.schema.slice(1).map((el) => columnOf(el, file));
}

function plainCell(v: unknown): number | string | null {
  if (typeof v === 'bigint') {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new RangeError(`readParquet: integer ${v} is beyond 2^53 and cannot be a number`);
    return n;
  }
  return v as number | string | null;
}

/** Opens a Parquet file for reading, row group by row group (the bytes are read on demand, not loaded whole). */
export async function openParquetFile(file: string): Promise<ParquetFile> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`readParquet: cannot open ${file}${code === 'ENOENT' ? ': no such file' : `: ${code ?? String(e)}`}`);
  }
  const byteLength = fs.fstatSync(fd).size;
  const buffer = {
    byteLength,
    slice(start: number, end = byteLength): ArrayBuffer {
      const out = new Uint8Array(Math.max(0, end - start));
      let got = 0;
      while (got < out.length) {
        const n = fs.readSync(fd, out, got, out.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return out.buffer;
    },
  };
  const hp = hyparquet();
  let meta: FileMetaData;
  try {
    meta = await hp.parquetMetadataAsync(buffer);
  } catch (e) {
    fs.closeSync(fd);
    throw new Error(`readParquet: ${file} is not a Parquet file (${e instanceof Error ? e.message : String(e)})`);
  }
  let columns: ParquetColumn[];
  try {
    columns = columnsOf(meta, file);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  const metadata: Record<string, string> = {};
  for (const kv of meta.key_value_metadata ?? []) metadata[kv.key] = kv.value ?? '';
  const rowGroups = meta.row_groups.map((g) => Number(g.num_rows));
  const starts: number[] = [];
  rowGroups.reduce((at, n) => (starts.push(at), at + n), 0);
  const names = columns.map((c) => c.name);

  const readRowGroup = async (i: number): Promise<ParquetRow[]> => {
    if (i < 0 || i >= rowGroups.length) throw new RangeError(`readParquet: row group ${i} is not in [0, ${rowGroups.length})`);
    const raw = await hp.parquetReadObjects({
      file: buffer,
      metadata: meta,
      rowStart: starts[i],
      rowEnd: starts[i] + rowGroups[i],
    });
    return raw.map((r) => {
      const row: ParquetRow = {};
      for (const c of names) row[c] = plainCell(r[c]);
      return row;
    });
  };
  return {
    info: { columns, metadata, rows: Number(meta.num_rows), rowGroups },
    readRowGroup,
    async *rowGroups() {
      for (let i = 0; i < rowGroups.length; i++) yield await readRowGroup(i);
    },
    close: () => fs.closeSync(fd),
  };
}

/** Every row of a Parquet file, in file order (loads them all: for large files iterate `openParquetFile(f).rowGroups()`). */
export async function readParquetRows(file: string): Promise<{ columns: ParquetColumn[]; rows: ParquetRow[] }> {
  const pf = await openParquetFile(file);
  try {
    const rows: ParquetRow[] = [];
    for await (const group of pf.rowGroups()) for (const r of group) rows.push(r);
    return { columns: pf.info.columns, rows };
  } finally {
    pf.close();
  }
}

/**
 * A danfo DataFrame of a Parquet results file, columns in file order. Integer
 * and double columns are numeric (danfo's int32 / float32 dtypes, JS numbers
 * inside); a null in a numeric column (e.g. `max_conviction_share_of_trigger`
 * with no candidate) becomes NaN, as in pandas.
 */
export async function readParquetFrame(file: string): Promise<DataFrame> {
  const { columns, rows } = await readParquetRows(file);
  const dfd = danfo();
  const names = columns.map((c) => c.name);
  if (rows.length === 0) return new dfd.DataFrame([], { columns: names });
  const data: Record<string, Array<number | string>> = {};
  const dtypes: string[] = [];
  for (const c of columns) {
    const numeric = c.type !== 'STRING';
    data[c.name] = rows.map((r) => {
      const v = r[c.name];
      return v === null ? (numeric ? NaN : '') : v;
    });
    // danfo's float dtype for every DOUBLE column: its own inference would call a column of whole doubles int32.
    dtypes.push(!numeric ? 'string' : c.type === 'DOUBLE' ? 'float32' : 'int32');
  }
  return new dfd.DataFrame(data, { columns: names, dtypes });
}
