/**
 * The `conviction-voting` command line. Reads and checks every flag, the work
 * and the output path before anything runs; then streams rows as runs finish,
 * in job order, to stdout or to a temporary file renamed over `--out` at the
 * end. Exit codes: 0 done, 1 a run or a write failed, 2 bad usage or
 * configuration (one line on stderr), 130/143 interrupted (bin: thread.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelledError, ConfigError, RunError, UsageError } from '../engine/errors';
import type { RunOutcome } from '../engine/wrappers';
import { cartesian, expandSweep } from '../engine/sweep';
import type { JobRange } from '../engine/executor';
import type { GeneratorName } from '../engine/rng';
import { experimentFingerprint, parseShard } from '../engine/shard';
import { mergeResults, shardMetadata, shardRecord, writeShardSidecar, type ShardRecord } from '../io/merge';
import { openParquetWriter, rdfParquetSchema } from '../io/parquet';
import type { KeepMode } from '../engine/types';
import { checkNumber, describeRange } from '../engine/validate';
import { AtomicFile, describeIoError, FdWriter, OutputPathError } from '../io/atomic';
import { checkExperimentFits, type OptionNames } from '../models/v1/estimate';
import { MODEL_NAMES, runConvictionExperiment, type ExperimentArgs, type ModelName } from '../models/v1/experiment';
import { loadParamsFile, PARAM_SPACES, parseAssignment, parseCount, parseNumber, parseSeed, readFlags, shorten, type FlagSpec, type ParamSpace } from './args';
import { formatOf, outputColumns, RowFormatter, type OutputFormat } from './output';
import type { CliRowArgs, EncodedColumns, EncodedText } from './rows';

/** The module workers load to encode rows (TypeScript under the tests' tsx, JavaScript once built). */
const ROWS_MODULE = path.join(__dirname, `rows${path.extname(__filename)}`);
import { progressBar } from './progress';

export { UsageError };

export const HELP = `conviction-voting — the Aragon Conviction Voting model (v1 and v3)

Usage:
  conviction-voting simulate [options]
  conviction-voting merge --out FILE PART...
                                      merge the files of simulate --shard K/N (any order) into
                                      the single-process output (.csv, .json, .jsonl, .parquet)
  conviction-voting params [--model v1|v3]
                                      list the parameters, their defaults and allowed ranges
  conviction-voting --help

simulate writes one row per (simulation, subset, run, timestep) at the last
substep of each timestep (the rdf): funds, participant/proposal counts, counts
and funds requested per status, and the largest conviction share of trigger
among candidates (empty when there is none); v3 adds sentiment, total_supply,
effective_supply, the supply fractions and the stage percentages. Rows are
written as runs finish.

Options of simulate (each at most once, except --set and --sweep):
  --runs N            Monte Carlo runs per parameter set (integer >= 1; default 1)
  --timesteps T       timesteps per run (integer >= 1; default 100)
  --seed S            an integer within ±(2^53 - 1) (1, 1.0 and 1e0 are the same seed;
                      --seed -1 and --seed=-1 work), or any other text, used exactly
                      as typed; s:TEXT makes TEXT text even when it looks like a
                      number (s:123). Default 0. The same seed gives byte-identical output
  --params FILE.json  parameter overrides: one flat JSON object of numbers (see data/*.json)
  --set name=value    override one parameter; repeatable; applied after --params
  --sweep name=v1,v2  sweep a parameter; repeatable; lists are zipped (a list of
                      one value is used for every set, other length mixes are an error);
                      a parameter cannot be both swept and --set
  --cartesian         take the Cartesian product of the --sweep lists instead of zipping
  --model v1|v3       the model (default v1); --set, --sweep, --params take its parameters
  --rng NAME          seedrandom (default) or numpy: numpy's legacy MT19937, which reproduces
                      the Python original run for run; its seed is an integer in [0, 2^32 - 1]
                      (with one run the generator is seeded with it as np.random.seed(seed))
  --workers K         compute threads (integer >= 1; default: number of cores); more
                      than the cores is capped with a warning; results are identical whatever K;
                      work under 5,000 run-timesteps runs on one thread
  --force-workers     use --workers K even above the number of cores
  --keep MODE         what to keep while running: all | last | metrics (default metrics;
                      the table is the same in every mode, memory is not)
  --out FILE          write to FILE atomically: .csv, .jsonl/.ndjson (JSON Lines), .json
                      (one array) or .parquet (typed columns, streamed in row groups);
                      default: CSV on stdout. The folder must exist
  --shard K/N         run only the K-th of N contiguous slices of the jobs (parameter sets
                      x runs), each with the seed it has in one process; needs --out. The
                      shard is recorded (Parquet metadata, or FILE.shard.json) for merge
  --progress          show a progress bar on stderr (default: when stderr is a terminal)
  --no-progress       never show the progress bar
  -h, --help          this help

Work that would exceed this machine's memory (60 %), 10,000,000 runs or
1,000,000,000 rows is refused before it starts.
Exit status: 0 done, 1 a run or a write failed, 2 bad usage or configuration,
130 / 143 interrupted by SIGINT / SIGTERM (the previous --out file is kept).
`;

const USAGE = `usage: conviction-voting simulate [options] | params | --help\n`;

/** Where the CLI reads and writes: the process's streams, or captures in tests. */
export interface CliIO {
  /** Output rows; synchronous, throws on a write error (EPIPE, ENOSPC). */
  stdout: { write(text: string): void; flush(): void; writeBytes?(bytes: Uint8Array): void };
  /** One line or a progress redraw on stderr; never throws. */
  stderr(text: string): void;
  stderrIsTTY?: boolean;
  /** Cores to cap --workers at (default: this machine's). */
  cores?: number;
  /** Stops the process at once with `code` (a process has one; tests leave it out and main resolves instead). */
  exit?: (code: number) => void;
  /** Told the temporary file being written, or null once it is gone, so a signal handler can remove it. */
  onTemp?: (tempPath: string | null) => void;
}

function stderrWriter(text: string): void {
  try {
    fs.writeSync(2, text);
  } catch {
    // A closed stderr has no one to tell.
  }
}

/** The process's own streams, written synchronously. */
export function processIO(): CliIO {
  return { stdout: new FdWriter(1), stderr: stderrWriter, stderrIsTTY: process.stderr.isTTY };
}

interface SimulateArgs {
  experiment: ExperimentArgs;
  /** The parameter set of every subset, in order. */
  sets: Array<Record<string, number>>;
  seed: number | string;
  workers: number;
  keep: KeepMode;
  out: string | null;
  format: OutputFormat;
  progress: boolean;
  swept: string[];
  model: ModelName;
  rng: GeneratorName;
  /** The slice of the jobs this process runs, and its record (with --shard). */
  shard: { record: ShardRecord; range: JobRange } | null;
  /** The experiment's fingerprint (recorded in shards and Parquet files). */
  fingerprint: string;
  columns: string[];
}

const SIMULATE_FLAGS: Record<string, FlagSpec> = {
  runs: { type: 'string' },
  timesteps: { type: 'string' },
  seed: { type: 'string' },
  params: { type: 'string' },
  set: { type: 'string', multiple: true },
  sweep: { type: 'string', multiple: true },
  cartesian: { type: 'boolean' },
  workers: { type: 'string' },
  'force-workers': { type: 'boolean' },
  keep: { type: 'string' },
  out: { type: 'string' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  model: { type: 'string' },
  rng: { type: 'string' },
  shard: { type: 'string' },
};

const CLI_NAMES: OptionNames = { runs: '--runs', sweep: '--sweep', timesteps: '--timesteps', keep: '--keep', workers: '--workers', where: 'simulate' };

/** Below this many run-timesteps (about 0.2 s of work) an experiment runs on one thread. */
const SMALL_WORK = 5000;

/** The largest seed numpy's legacy `np.random.seed` takes. */
const NUMPY_SEED_MAX = 2 ** 32 - 1;

function coresOf(io: CliIO): number {
  return io.cores ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Parses and validates `simulate`'s flags and the size of the work; throws a one-line UsageError or ConfigError. */
export function parseSimulateArgs(argv: string[], io: Pick<CliIO, 'stderr' | 'stderrIsTTY' | 'cores'> = processIO()): SimulateArgs {
  const v = readFlags(argv, SIMULATE_FLAGS, 'simulate') as Record<string, string | undefined> & { set?: string[]; sweep?: string[] };
  const cores = coresOf(io as CliIO);
  const model = (v.model ?? 'v1') as ModelName;
  if (!MODEL_NAMES.includes(model)) throw new UsageError(`--model must be one of ${MODEL_NAMES.join(', ')}, got '${shorten(model)}'`);
  const space = PARAM_SPACES[model];
  const rng = (v.rng ?? 'seedrandom') as GeneratorName;
  if (rng !== 'seedrandom' && rng !== 'numpy') throw new UsageError(`--rng must be one of seedrandom, numpy, got '${shorten(rng)}'`);
  const runs = v.runs === undefined ? 1 : parseCount('--runs', v.runs);
  const timesteps = v.timesteps === undefined ? 100 : parseCount('--timesteps', v.timesteps);
  let workers = v.workers === undefined ? cores : parseCount('--workers', v.workers);
  const seed = parseSeed(v.seed ?? '0');
  if (rng === 'numpy' && (typeof seed !== 'number' || seed < 0 || seed > NUMPY_SEED_MAX)) {
    throw new UsageError(`--seed: with --rng numpy the seed must be an integer in [0, 2^32 − 1] as numpy's np.random.seed takes, got '${shorten(v.seed ?? '0')}'`);
  }

  const overrides: Record<string, number> = v.params !== undefined ? (loadParamsFile(v.params, space) as Record<string, number>) : {};
  const set = new Set<string>();
  for (const a of v.set ?? []) {
    const [name, text] = parseAssignment('--set', a, space);
    if (set.has(name)) throw new UsageError(`--set: parameter '${name}' is set twice; give it once`);
    set.add(name);
    overrides[name] = parseNumber(`--set ${name}`, text);
  }
  const base = { ...space.defaults, ...overrides };
  space.validate(base);

  let sweep: Record<string, number[]> = {};
  for (const a of v.sweep ?? []) {
    const [name, list] = parseAssignment('--sweep', a, space);
    if (name in sweep) throw new UsageError(`--sweep: parameter '${name}' is swept twice`);
    if (set.has(name)) throw new UsageError(`--sweep: parameter '${name}' is also given with --set; sweep it or set it, not both`);
    const values = list.split(',').map((x) => parseNumber(`--sweep ${name}`, x));
    values.forEach((x) => checkNumber(name, x, space.ranges[name], '--sweep'));
    sweep[name] = values;
  }
  const crossed = Boolean(v.cartesian);
  if (crossed && Object.keys(sweep).length === 0) throw new UsageError('--cartesian needs at least one --sweep');

  const keep = (v.keep ?? 'metrics') as KeepMode;
  if (!['all', 'last', 'metrics'].includes(keep)) throw new UsageError(`--keep must be one of all, last, metrics, got '${shorten(keep)}'`);
  const out = v.out ?? null;
  if (out === '') throw new UsageError('--out: the file name is empty');
  const format = out === null ? 'csv' : formatOf(out);
  if (format === null) throw new UsageError(`--out must end in .csv, .json, .jsonl, .ndjson or .parquet, got '${shorten(out!)}'`);
  const shardSpec = v.shard === undefined ? null : parseShard(v.shard);
  if (shardSpec && out === null) throw new UsageError('--shard needs --out FILE: each shard writes its own file and records which shard it is');
  if (v.progress && v['no-progress']) throw new UsageError('--progress and --no-progress contradict each other; give one');
  const progress = v['no-progress'] ? false : Boolean(v.progress ?? io.stderrIsTTY);

  if (workers > cores && !v['force-workers']) {
    io.stderr(`conviction-voting: --workers ${workers} is more than the ${cores} cores; using ${cores} (--force-workers to insist)\n`);
    workers = cores;
  }
  const simulation = (sw: Record<string, number[]>): ExperimentArgs['simulations'][number] => ({
    ...(model === 'v1' ? {} : { model }),
    params: overrides,
    sweep: sw,
    timesteps,
    runs,
    ...(rng === 'seedrandom' ? {} : { rng }),
  });
  // The size check comes before --cartesian expands anything: 5 sweeps of 100 values are 10^10 sets.
  // A shard is checked as the whole experiment: its files must merge into something that fits.
  checkExperimentFits({ simulations: [simulation(sweep)] }, { keep, workers, collect: false, cartesian: crossed }, {}, CLI_NAMES);
  if (crossed) sweep = cartesian(sweep) as Record<string, number[]>;
  // Every parameter set, checked now: a bad mix of list lengths or a bad set must not wait for the runs.
  const sets = expandSweep(base, sweep);
  sets.forEach((p) => space.validate(p));

  const experiment: ExperimentArgs = { simulations: [simulation(sweep)] };
  const swept = Object.keys(sweep);
  const columns = outputColumns(swept, model);
  // What defines the rows: shards of one experiment agree on it, others do not.
  const fingerprint = experimentFingerprint({ seed, experiment, keep, model, rng });
  let shard: SimulateArgs['shard'] = null;
  if (shardSpec) {
    const record = shardRecord(shardSpec, sets.length * runs, fingerprint, columns);
    shard = { record, range: { from: record.from, to: record.to } };
  }
  // Small work stays on this thread: a worker's start and cold compile cost more than it would save.
  const jobsHere = shard ? shard.range.to - shard.range.from : sets.length * runs;
  if (jobsHere * timesteps < SMALL_WORK) workers = 1;
  return { experiment, sets, seed, workers, keep, out, format, progress, swept, model, rng, shard, fingerprint, columns };
}

function paramsTable(space: ParamSpace = PARAM_SPACES.v1): string {
  const lines = ['name,default,allowed'];
  for (const n of space.names) lines.push(`${n},${space.defaults[n]},"${describeRange(space.ranges[n])}"`);
  return lines.join('\n') + '\n';
}

/** One line, whatever the message holds. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Where `simulate` puts its rows: text (CSV, JSON, JSON Lines) to a file or stdout, or a Parquet file. */
interface RowSink {
  /** Writes the rows of one run as `cliRowEncoder` encoded them (throws on a write error). */
  encoded(data: EncodedText | EncodedColumns): void;
  rows(): number;
  /** Writes what follows the last row and puts the file in place (throws on a write error). */
  commit(): void;
  /** Drops an uncommitted file; the destination is left as it was. */
  abort(): void;
}

/** Opens the output before any run: a bad path is a one-line usage error, not a failure after the work. */
function openSink(args: SimulateArgs, io: CliIO): RowSink {
  const checkPath = (): AtomicFile => {
    try {
      return AtomicFile.open(args.out!);
    } catch (e) {
      if (e instanceof OutputPathError) throw new UsageError(`--out: ${e.message}`);
      throw e;
    }
  };
  const shardMeta = args.shard ? shardMetadata(args.shard.record) : { 'cv.experiment': args.fingerprint };
  if (args.format === 'parquet') {
    // The path is checked as for every format, then written by the Parquet writer's own temporary file.
    checkPath().abort();
    const w = openParquetWriter(args.out!, rdfParquetSchema(args.columns, args.model), { metadata: shardMeta });
    io.onTemp?.(w.tempPath);
    return {
      encoded: (data) => w.writeColumns((data as EncodedColumns).columns, data.rows),
      rows: () => w.rowCount,
      commit: () => w.close(),
      abort: () => w.abort(),
    };
  }
  const file = args.out !== null ? checkPath() : null;
  if (file) io.onTemp?.(file.tempPath);
  const sink = file ?? io.stdout;
  const fmt = new RowFormatter(args.format, args.columns);
  sink.write(fmt.begin());
  const writeBytes = file ? (b: Uint8Array) => file.write(b) : io.stdout.writeBytes ? (b: Uint8Array) => io.stdout.writeBytes!(b) : (b: Uint8Array) => io.stdout.write(Buffer.from(b).toString('utf8'));
  return {
    encoded: (data) => {
      let { bytes } = data as EncodedText;
      if (bytes.length === 0) return;
      // Every encoded JSON row starts with ',\n'; the array's first one has no comma.
      if (args.format === 'json' && fmt.rows === 0) bytes = bytes.subarray(1);
      fmt.rows += data.rows;
      writeBytes(bytes);
    },
    rows: () => fmt.rows,
    commit: () => {
      const tail = fmt.end();
      if (tail !== '') sink.write(tail);
      if (file) file.commit();
      else io.stdout.flush();
    },
    abort: () => file?.abort(),
  };
}

/** Runs `simulate`: the output is opened before any run, rows streamed, committed at the end. */
async function simulateCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseSimulateArgs(argv, io);
  let sink: RowSink;
  try {
    sink = openSink(args, io);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' && args.out === null) return 0;
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--out: cannot write ${args.out === null ? 'to stdout' : `'${shorten(args.out)}'`}: ${describeIoError(e)}`);
  }
  try {
    return await streamRuns(args, sink, io);
  } finally {
    // Whatever happened, an uncommitted temporary file does not outlive the command.
    sink.abort();
  }
}

/** Runs the experiment and streams its rows to the sink; commits it when every run succeeded. */
async function streamRuns(args: SimulateArgs, sink: RowSink, io: CliIO): Promise<number> {
  const toFile = args.out !== null;

  // The first problem while running ends the command: later outcomes are ignored.
  let stopped: number | null = null;
  let release: (code: number) => void = () => {};
  const stoppedEarly = new Promise<number>((resolve) => (release = resolve));
  // Whatever ends the command early (a broken pipe, a failed write) also stops the runs still computing.
  const cancel = new AbortController();
  const stop = (code: number, line: string | null): void => {
    if (stopped !== null) return;
    stopped = code;
    cancel.abort();
    sink.abort();
    io.onTemp?.(null);
    if (line) io.stderr(`conviction-voting: ${oneLine(line)}\n`);
    io.exit?.(code);
    release(code);
  };
  const writeFailed = (e: unknown): void => {
    const code = (e as NodeJS.ErrnoException).code;
    // A reader that has seen enough (`| head`) is not an error.
    if (code === 'EPIPE' && !toFile) stop(0, null);
    else stop(1, `cannot write ${toFile ? `'${args.out}'` : 'to stdout'}: ${describeIoError(e)}`);
  };

  const bar = args.progress ? progressBar({ write: (s: string) => io.stderr(s), isTTY: io.stderrIsTTY }, 'runs') : undefined;
  const onOutcome = (o: RunOutcome<unknown>): void => {
    if (stopped === null && 'failure' in o) stop(1, o.failure.error.message);
  };
  // Rows come encoded from the thread that ran them (see rows.ts), in job order.
  const onRows = (_index: number, data: unknown): void => {
    if (stopped !== null) return;
    try {
      sink.encoded(data as EncodedText | EncodedColumns);
    } catch (e) {
      writeFailed(e);
    }
  };
  const rowArgs: CliRowArgs = { format: args.format, columns: args.columns, model: args.model };
  const running = runConvictionExperiment(args.experiment, {
    seed: args.seed,
    keep: args.keep,
    workers: args.workers,
    onProgress: (done: number, total: number) => {
      if (stopped === null) bar?.update(done, total);
    },
    onOutcome,
    rows: { module: ROWS_MODULE, export: 'cliRowEncoder', args: rowArgs },
    onRows,
    collect: false,
    signal: cancel.signal,
    ...(args.shard ? { jobs: args.shard.range } : {}),
  }).then(
    () => null,
    (e: unknown) => {
      if (e instanceof CancelledError) return null; // we cancelled it: `stop` has said why
      if (e instanceof RunError || !(e instanceof RangeError)) stop(1, e instanceof Error ? e.message : String(e));
      else stop(2, e.message);
      return null;
    },
  );
  const early = await Promise.race([running, stoppedEarly]);
  if (early !== null) return early;
  if (stopped !== null) return stopped;
  bar?.done();
  try {
    sink.commit();
    // A text shard's record goes beside it once its rows are in place (a Parquet shard keeps it in its footer).
    if (args.shard && args.format !== 'parquet') writeShardSidecar(args.out!, args.shard.record);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' && !toFile) return stopAndReturn(stop, 0, null);
    return stopAndReturn(stop, 1, `cannot write ${toFile ? `'${args.out}'` : 'to stdout'}: ${describeIoError(e)}`);
  }
  if (stopped !== null) return stopped;
  io.onTemp?.(null);
  if (toFile) {
    const which = args.shard ? ` (shard ${args.shard.record.shard}: jobs ${args.shard.record.from}–${args.shard.record.to - 1} of ${args.shard.record.total})` : '';
    io.stderr(`conviction-voting: wrote ${sink.rows()} rows to ${path.resolve(args.out!)}${which}\n`);
  }
  return 0;
}

const MERGE_FLAGS: Record<string, FlagSpec> = { out: { type: 'string' } };

/** Runs `merge --out FILE PART…`: the shards' files back into the single-process output. */
async function mergeCommand(argv: string[], io: CliIO): Promise<number> {
  const flags: string[] = [];
  const parts: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (t.startsWith('--')) {
      flags.push(t);
      // `--out FILE`: the next token is the value, whatever it looks like (bar another flag).
      if (!t.includes('=') && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags.push(argv[++i]);
    } else if (t.startsWith('-') && t.length > 1) throw new UsageError(`merge: unknown option '${shorten(t)}'; try --help`);
    else parts.push(t);
  }
  const v = readFlags(flags, MERGE_FLAGS, 'merge') as { out?: string };
  if (v.out === undefined) throw new UsageError('merge: --out FILE is required (.csv, .json, .jsonl, .ndjson or .parquet)');
  if (v.out === '') throw new UsageError('merge: --out: the file name is empty');
  if (parts.length === 0) throw new UsageError('merge: give the shard files to merge after --out FILE');
  try {
    AtomicFile.open(v.out).abort();
  } catch (e) {
    if (e instanceof OutputPathError) throw new UsageError(`merge: --out: ${e.message}`);
    throw e;
  }
  const summary = await mergeResults({ out: v.out, inputs: parts });
  io.stderr(`conviction-voting: merged ${summary.shards} shards (${summary.jobs} runs) into ${path.resolve(summary.out)}\n`);
  return 0;
}

function stopAndReturn(stop: (code: number, line: string | null) => void, code: number, line: string | null): number {
  stop(code, line);
  return code;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr(`conviction-voting: no command given\n${USAGE}`);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      if (rest.length) throw new UsageError(`${command}: unexpected argument '${shorten(rest[0])}'`);
      io.stdout.write(HELP);
      io.stdout.flush();
      return 0;
    }
    if (command === 'params') {
      if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
        io.stdout.write(HELP);
      } else {
        const v = readFlags(rest, { model: { type: 'string' } }, 'params') as { model?: string };
        const model = (v.model ?? 'v1') as ModelName;
        if (!MODEL_NAMES.includes(model)) throw new UsageError(`--model must be one of ${MODEL_NAMES.join(', ')}, got '${shorten(model)}'`);
        io.stdout.write(paramsTable(PARAM_SPACES[model]));
      }
      io.stdout.flush();
      return 0;
    }
    if (command === 'merge') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(HELP);
        io.stdout.flush();
        return 0;
      }
      return await mergeCommand(rest, io);
    }
    if (command !== 'simulate') throw new UsageError(`unknown command '${shorten(command)}'; try --help`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(HELP);
      io.stdout.flush();
      return 0;
    }
    return await simulateCommand(rest, io);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'EPIPE') return 0;
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof RangeError) {
      io.stderr(`conviction-voting: ${oneLine(e.message)}\n`);
      return 2;
    }
    // Not the user's mistake: still one line; the stack on request.
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(`conviction-voting: ${oneLine(msg)}${process.env.CONVICTION_VOTING_DEBUG ? `\n${(e as Error).stack}` : ' (set CONVICTION_VOTING_DEBUG=1 for details)'}\n`);
    return 1;
  }
}
