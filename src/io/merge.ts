/**
 * Shard files and their merge. A shard run (`simulate --shard K/N`) writes the
 * rows of its jobs in job order plus a record of which shard it is:
 *
 * - CSV, JSON and JSON Lines: a sidecar `FILE.shard.json` (`writeShardSidecar`);
 * - Parquet: key-value metadata in the file's own footer (`shardMetadata`,
 *   given to `openParquetWriter` as `metadata`): `cv.shard` = "K/N",
 *   `cv.jobs` = "from-to/total" (half-open, `planJobs` indices) and
 *   `cv.experiment` = the experiment's fingerprint.
 *
 * `mergeResults` checks every record before writing a byte (all N shards
 * present once, same experiment and columns, job ranges as `shardJobs` says),
 * then concatenates the shards in the order K = 1 … N, streaming: CSV, JSON and
 * JSON Lines are copied in chunks of bytes, Parquet one row group at a time. The
 * result is the single-process output: byte-identical for CSV and JSON, the same
 * schema, rows and order for Parquet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParquetColumn, ParquetFile, ParquetFileInfo } from '../analysis/parquet';
import { ConfigError } from '../engine/errors';
import { formatShard, parseShard, shardJobs, type ShardSpec } from '../engine/shard';
import { writeFileAtomic } from './atomic';
import { openParquetWriter } from './parquet';

/** Which part of which experiment a shard file holds. */
export interface ShardRecord {
  /** "K/N" */
  shard: string;
  /** Job indices `from` ≤ i < `to` in `planJobs` order, out of `total`. */
  from: number;
  to: number;
  total: number;
  /** `experimentFingerprint` of what defines the output (seed, simulations, keep …). */
  experiment: string;
  /** The file's columns, in order. */
  columns: string[];
}

/** Output formats a merge handles, by file extension. */
export type ResultFormat = 'csv' | 'json' | 'jsonl' | 'parquet';

/** The format of a results file from its extension (.csv, .json, .jsonl or .ndjson, .parquet), or undefined. */
export function resultFormat(file: string): ResultFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.parquet') return 'parquet';
  return undefined;
}

/** The record of shard `spec` of an experiment of `total` jobs whose output has `columns`. */
export function shardRecord(spec: ShardSpec, total: number, experiment: string, columns: ReadonlyArray<string>): ShardRecord {
  const { from, to } = shardJobs(total, spec.k, spec.n);
  return { shard: formatShard(spec), from, to, total, experiment, columns: [...columns] };
}

/** Where a CSV/JSON/JSON Lines shard's record is kept: `FILE.shard.json`. */
export function shardSidecarPath(file: string): string {
  return `${file}.shard.json`;
}

/** Writes a CSV/JSON/JSON Lines shard's record beside it (atomically); call it once the shard's rows are written. */
export function writeShardSidecar(file: string, record: ShardRecord): void {
  writeFileAtomic(shardSidecarPath(file), JSON.stringify({ 'conviction-voting shard': 1, ...record }, null, 2) + '\n');
}

const KEY_SHARD = 'cv.shard';
const KEY_JOBS = 'cv.jobs';
const KEY_EXPERIMENT = 'cv.experiment';

/** The Parquet key-value metadata of a shard (pass as `openParquetWriter(file, schema, { metadata })`). */
export function shardMetadata(record: ShardRecord): Record<string, string> {
  return {
    [KEY_SHARD]: record.shard,
    [KEY_JOBS]: `${record.from}-${record.to}/${record.total}`,
    [KEY_EXPERIMENT]: record.experiment,
  };
}

/** Refusals are the user's to fix (a missing shard, a mixed-up file): a ConfigError, exit 2 in the CLI. */
function fail(message: string): never {
  throw new ConfigError(`merge: ${message}`);
}

function checkRecord(raw: unknown, where: string): ShardRecord {
  const r = raw as Partial<ShardRecord> | null;
  const bad = (field: string): never => fail(`${where} is not a valid shard record (field '${field}')`);
  if (!r || typeof r !== 'object') return bad('shard');
  let spec: ShardSpec;
  try {
    spec = parseShard(String(r.shard), 'shard');
  } catch {
    return bad('shard');
  }
  for (const f of ['from', 'to', 'total'] as const) if (!Number.isSafeInteger(r[f]) || (r[f] as number) < 0) bad(f);
  if (typeof r.experiment !== 'string' || r.experiment === '') bad('experiment');
  if (!Array.isArray(r.columns) || !r.columns.every((c) => typeof c === 'string')) bad('columns');
  return { shard: formatShard(spec), from: r.from!, to: r.to!, total: r.total!, experiment: r.experiment!, columns: r.columns! };
}

function readSidecar(file: string): ShardRecord {
  const side = shardSidecarPath(file);
  let text: string;
  try {
    text = fs.readFileSync(side, 'utf8');
  } catch {
    return fail(`${file} has no shard record (${side} is missing); write shards with --shard K/N`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(`${side} is not valid JSON`);
  }
  return checkRecord(raw, side);
}

function parquetRecord(file: string, info: ParquetFileInfo): ShardRecord {
  const md = info.metadata;
  if (md[KEY_SHARD] === undefined) return fail(`${file} has no shard record (no '${KEY_SHARD}' metadata); write shards with --shard K/N`);
  const m = /^(\d+)-(\d+)\/(\d+)$/.exec(md[KEY_JOBS] ?? '');
  if (!m) return fail(`${file} is not a valid shard record (field '${KEY_JOBS}')`);
  return checkRecord(
    {
      shard: md[KEY_SHARD],
      from: Number(m[1]),
      to: Number(m[2]),
      total: Number(m[3]),
      experiment: md[KEY_EXPERIMENT],
      columns: info.columns.map((c) => c.name),
    },
    file,
  );
}

function sameSchema(a: ReadonlyArray<ParquetColumn>, b: ReadonlyArray<ParquetColumn>): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type && c.nullable === b[i].nullable);
}

interface Shard {
  file: string;
  record: ShardRecord;
  spec: ShardSpec;
  /** A Parquet shard's footer (the file itself is opened again, one shard at a time, to copy its rows). */
  parquet?: ParquetFileInfo;
}

/** Checks the set of shards: one experiment, one N, every K once, ranges as `shardJobs` gives them. */
function checkShards(shards: Shard[]): Shard[] {
  const first = shards[0];
  for (const s of shards) {
    const r = s.record;
    if (s.spec.n !== first.spec.n) fail(`${s.file} is shard ${r.shard} but ${first.file} is shard ${first.record.shard}`);
    if (r.experiment !== first.record.experiment || r.total !== first.record.total) {
      fail(`${s.file} comes from another experiment than ${first.file} (seed, parameters, runs or timesteps differ)`);
    }
    if (r.columns.join('\u0000') !== first.record.columns.join('\u0000')) {
      fail(`${s.file} has other columns than ${first.file}`);
    }
    if (s.parquet && first.parquet && !sameSchema(s.parquet.columns, first.parquet.columns)) {
      fail(`${s.file} has another Parquet schema than ${first.file}`);
    }
    const want = shardJobs(r.total, s.spec.k, s.spec.n);
    if (r.from !== want.from || r.to !== want.to) {
      fail(`${s.file} says shard ${r.shard} holds jobs ${r.from}-${r.to}, but shard ${r.shard} of ${r.total} jobs is ${want.from}-${want.to}`);
    }
  }
  const byK = new Map<number, Shard>();
  for (const s of shards) {
    const other = byK.get(s.spec.k);
    if (other) fail(`${other.file} and ${s.file} are both shard ${s.record.shard}`);
    byK.set(s.spec.k, s);
  }
  const n = first.spec.n;
  const missing: string[] = [];
  for (let k = 1; k <= n; k++) if (!byK.has(k)) missing.push(`${k}/${n}`);
  if (missing.length > 0) {
    const have = [...byK.keys()].sort((a, b) => a - b).map((k) => `${k}/${n}`);
    fail(`missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (given: ${have.join(', ')})`);
  }
  return [...byK.values()].sort((a, b) => a.spec.k - b.spec.k);
}

const CHUNK = 1 << 20;

/** Copies bytes [start, end) of `file` to `out`, a chunk at a time. */
function copyRange(file: string, start: number, end: number, out: number): void {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let at = start; at < end; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, end - at), at);
      if (n === 0) fail(`${file} changed while it was being merged`);
      let w = 0;
      while (w < n) w += fs.writeSync(out, buf, w, n - w);
      at += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function readBytes(file: string, start: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, start);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** The byte length of a CSV file's header line, newline included, checked against the record's columns. */
function csvHeaderLength(s: Shard): number {
  const want = s.record.columns.join(',') + '\n';
  const got = readBytes(s.file, 0, Buffer.byteLength(want)).toString('utf8');
  if (got !== want) fail(`${s.file} does not start with the header its shard record names (${s.record.columns.slice(0, 4).join(',')},…)`);
  return Buffer.byteLength(want);
}

/** The byte range of a JSON array file's rows, between "[\n" and "\n]\n" (empty for "[]\n"). */
function jsonBody(s: Shard, size: number): { start: number; end: number } {
  const head = readBytes(s.file, 0, 3).toString('utf8');
  if (size === 3 && head === '[]\n') return { start: 0, end: 0 };
  const tail = size >= 5 ? readBytes(s.file, size - 3, 3).toString('utf8') : '';
  if (!head.startsWith('[\n') || tail !== '\n]\n') fail(`${s.file} is not a JSON array of rows as the CLI writes it`);
  return { start: 2, end: size - 3 };
}

/** Where to merge to and from. */
export interface MergeOptions {
  /** The merged file; its extension gives the format, which every input must share. */
  out: string;
  /** The shard files, in any order. */
  inputs: ReadonlyArray<string>;
  /** Rows per Parquet row group of the merged file (default 65,536). */
  rowGroupSize?: number;
}

/** What a merge wrote. */
export interface MergeSummary {
  out: string;
  format: ResultFormat;
  shards: number;
  jobs: number;
}

/**
 * Merges shard files into the single-process output (see the module comment);
 * refuses missing, duplicate, overlapping or mismatched shards with one line
 * (`merge: …`) before writing anything. The output is written under a temporary
 * name and renamed, so a failed merge leaves no file.
 */
export async function mergeResults(options: MergeOptions): Promise<MergeSummary> {
  const { out, inputs } = options;
  const format = resultFormat(out);
  if (!format) fail(`--out must end in .csv, .json, .jsonl or .parquet, got '${out}'`);
  if (!inputs || inputs.length === 0) fail('no shard files given');
  // `merge --out all.json part-*.json` also matches the sidecars: a record beside a given shard is not a shard.
  const given = new Set(inputs.map((f) => path.resolve(f)));
  const files = inputs.filter((f) => !(f.endsWith('.shard.json') && given.has(path.resolve(f.slice(0, -'.shard.json'.length)))));
  const seen = new Set<string>();
  for (const f of files) {
    if (resultFormat(f) !== format) fail(`${f} is not a .${format} file like --out ${out}`);
    const abs = path.resolve(f);
    if (abs === path.resolve(out)) fail(`--out ${out} is also one of the shard files`);
    if (seen.has(abs)) fail(`${f} is given twice`);
    seen.add(abs);
    let st: fs.Stats;
    try {
      st = fs.statSync(f);
    } catch {
      return fail(`cannot read ${f}: no such file`);
    }
    if (!st.isFile()) fail(`${f} is not a file`);
  }

  const shards: Shard[] = [];
  for (const file of files) {
    let record: ShardRecord;
    let info: ParquetFileInfo | undefined;
    if (format === 'parquet') {
      info = (await openParquetOrFail(file, (pf) => pf.info)) as ParquetFileInfo;
      record = parquetRecord(file, info);
    } else {
      record = readSidecar(file);
    }
    shards.push({ file, record, spec: parseShard(record.shard), parquet: info });
  }
  const ordered = checkShards(shards);
  const jobs = ordered[0].record.total;
  const summary: MergeSummary = { out, format: format!, shards: ordered.length, jobs };

  if (format === 'parquet') {
    const first = ordered[0].parquet!;
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(first.metadata)) if (k !== KEY_SHARD && k !== KEY_JOBS) metadata[k] = v;
    const w = openParquetWriter(out, first.columns, { metadata, rowGroupSize: options.rowGroupSize });
    try {
      for (const s of ordered) {
        await openParquetOrFail(s.file, async (pf) => {
          for await (const group of pf.rowGroups()) w.writeRows(group);
        });
      }
      w.close();
    } catch (e) {
      w.abort();
      throw e;
    }
    return summary;
  }

  // Every shard is checked before the first byte is written.
  const ranges = ordered.map((s, i) => {
    const size = fs.statSync(s.file).size;
    if (format === 'json') return jsonBody(s, size);
    // A row cut short (no final newline) would glue itself to the next shard's first row.
    if (size > 0 && readBytes(s.file, size - 1, 1).toString('utf8') !== '\n') fail(`${s.file} does not end with a newline (cut short?)`);
    if (format === 'csv') {
      const header = csvHeaderLength(s);
      return { start: i === 0 ? 0 : header, end: size };
    }
    return { start: 0, end: size };
  });
  const dir = path.dirname(path.resolve(out));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.merge.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    const put = (text: string): void => {
      fs.writeSync(fd, text);
    };
    if (format === 'json') {
      const bodies = ordered.map((s, i) => ({ s, r: ranges[i] })).filter(({ r }) => r.end > r.start);
      if (bodies.length === 0) put('[]\n');
      else {
        put('[\n');
        bodies.forEach(({ s, r }, i) => {
          if (i > 0) put(',\n');
          copyRange(s.file, r.start, r.end, fd);
        });
        put('\n]\n');
      }
    } else {
      ordered.forEach((s, i) => copyRange(s.file, ranges[i].start, ranges[i].end, fd));
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, out);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already before the rename failed
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return summary;
}

/** Opens a Parquet shard, runs `use` on it and closes it; an unreadable file is one `merge:` line. */
async function openParquetOrFail<T>(file: string, use: (pf: ParquetFile) => T | Promise<T>): Promise<T> {
  let pf: ParquetFile;
  try {
    // Loaded here: the reader (and the dataframe helpers it brings) is merge's alone,
    // and every simulate imports this module for its shard records.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { openParquetFile } = require('../analysis/parquet') as typeof import('../analysis/parquet');
    pf = await openParquetFile(file);
  } catch (e) {
    return fail(`${file}: ${e instanceof Error ? e.message.replace(/^readParquet: /, '') : String(e)}`);
  }
  try {
    return await use(pf);
  } finally {
    pf.close();
  }
}
