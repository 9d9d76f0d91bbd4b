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
import { cartesian, expandSweep, type Sweep } from '../engine/sweep';
import type { KeepMode } from '../engine/types';
import { checkNumber, describeRange } from '../engine/validate';
import { AtomicFile, describeIoError, FdWriter, OutputPathError } from '../io/atomic';
import { checkExperimentFits, type OptionNames } from '../model/estimate';
import { runConvictionExperiment, type ExperimentArgs } from '../model/experiment';
import { DEFAULT_PARAMS, PARAM_NAMES, PARAM_RANGES, validateParams, type Params } from '../model/params';
import type { State } from '../model/state';
import { loadParamsFile, parseAssignment, parseCount, parseNumber, parseSeed, readFlags, shorten, type FlagSpec } from './args';
import { formatOf, outputColumns, RowFormatter, type OutputFormat } from './output';
import { progressBar } from './progress';

export { UsageError };

export const HELP = `conviction-voting — the Aragon Conviction Voting model (v1)

Usage:
  conviction-voting simulate [options]
  conviction-voting params            list the parameters, their defaults and allowed ranges
  conviction-voting --help

simulate writes one row per (simulation, subset, run, timestep) at the last
substep of each timestep (the rdf): funds, participant/proposal counts, counts
and funds requested per status, and the largest conviction share of trigger
among candidates (empty when there is none). Rows are written as runs finish.

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
  --workers K         compute threads (integer >= 1; default: number of cores); more
                      than the cores is capped with a warning; results are identical whatever K
  --force-workers     use --workers K even above the number of cores
  --keep MODE         what to keep while running: all | last | metrics (default metrics;
                      the table is the same in every mode, memory is not)
  --out FILE          write to FILE atomically: .csv, .jsonl/.ndjson (JSON Lines) or .json
                      (one array); default: CSV on stdout. The folder must exist
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
  stdout: { write(text: string): void; flush(): void };
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
  sets: Params[];
  seed: number | string;
  workers: number;
  keep: KeepMode;
  out: string | null;
  format: OutputFormat;
  progress: boolean;
  swept: Array<keyof Params>;
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
};

const CLI_NAMES: OptionNames = { runs: '--runs', sweep: '--sweep', timesteps: '--timesteps', keep: '--keep', workers: '--workers', where: 'simulate' };

function coresOf(io: CliIO): number {
  return io.cores ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Parses and validates `simulate`'s flags and the size of the work; throws a one-line UsageError or ConfigError. */
export function parseSimulateArgs(argv: string[], io: Pick<CliIO, 'stderr' | 'stderrIsTTY' | 'cores'> = processIO()): SimulateArgs {
  const v = readFlags(argv, SIMULATE_FLAGS, 'simulate') as Record<string, string | undefined> & { set?: string[]; sweep?: string[] };
  const cores = coresOf(io as CliIO);
  const runs = v.runs === undefined ? 1 : parseCount('--runs', v.runs);
  const timesteps = v.timesteps === undefined ? 100 : parseCount('--timesteps', v.timesteps);
  let workers = v.workers === undefined ? cores : parseCount('--workers', v.workers);
  const seed = parseSeed(v.seed ?? '0');

  const overrides: Partial<Params> = v.params !== undefined ? loadParamsFile(v.params) : {};
  const set = new Set<keyof Params>();
  for (const a of v.set ?? []) {
    const [name, text] = parseAssignment('--set', a);
    if (set.has(name)) throw new UsageError(`--set: parameter '${name}' is set twice; give it once`);
    set.add(name);
    overrides[name] = parseNumber(`--set ${name}`, text);
  }
  const base = { ...DEFAULT_PARAMS, ...overrides };
  validateParams(base);

  let sweep: Sweep<Params> = {};
  for (const a of v.sweep ?? []) {
    const [name, list] = parseAssignment('--sweep', a);
    if (name in sweep) throw new UsageError(`--sweep: parameter '${name}' is swept twice`);
    if (set.has(name)) throw new UsageError(`--sweep: parameter '${name}' is also given with --set; sweep it or set it, not both`);
    const values = list.split(',').map((x) => parseNumber(`--sweep ${name}`, x));
    values.forEach((x) => checkNumber(name, x, PARAM_RANGES[name], '--sweep'));
    sweep[name] = values;
  }
  const crossed = Boolean(v.cartesian);
  if (crossed && Object.keys(sweep).length === 0) throw new UsageError('--cartesian needs at least one --sweep');

  const keep = (v.keep ?? 'metrics') as KeepMode;
  if (!['all', 'last', 'metrics'].includes(keep)) throw new UsageError(`--keep must be one of all, last, metrics, got '${shorten(keep)}'`);
  const out = v.out ?? null;
  if (out === '') throw new UsageError('--out: the file name is empty');
  const format = out === null ? 'csv' : formatOf(out);
  if (format === null) throw new UsageError(`--out must end in .csv, .json, .jsonl or .ndjson, got '${shorten(out!)}'`);
  if (v.progress && v['no-progress']) throw new UsageError('--progress and --no-progress contradict each other; give one');
  const progress = v['no-progress'] ? false : Boolean(v.progress ?? io.stderrIsTTY);

  if (workers > cores && !v['force-workers']) {
    io.stderr(`conviction-voting: --workers ${workers} is more than the ${cores} cores; using ${cores} (--force-workers to insist)\n`);
    workers = cores;
  }
  // The size check comes before --cartesian expands anything: 5 sweeps of 100 values are 10^10 sets.
  const zipped: ExperimentArgs = { simulations: [{ params: overrides, sweep, timesteps, runs }] };
  checkExperimentFits(zipped, { keep, workers, collect: false, cartesian: crossed }, {}, CLI_NAMES);
  if (crossed) sweep = cartesian(sweep);
  // Every parameter set, checked now: a bad mix of list lengths or a bad set must not wait for the runs.
  const sets = expandSweep(base, sweep);
  sets.forEach((p) => validateParams(p));

  return {
    experiment: { simulations: [{ params: overrides, sweep, timesteps, runs }] },
    sets,
    seed,
    workers,
    keep,
    out,
    format,
    progress,
    swept: Object.keys(sweep) as Array<keyof Params>,
  };
}

function paramsTable(): string {
  const lines = ['name,default,allowed'];
  for (const n of PARAM_NAMES) lines.push(`${n},${DEFAULT_PARAMS[n]},"${describeRange(PARAM_RANGES[n])}"`);
  return lines.join('\n') + '\n';
}

/** One line, whatever the message holds. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs `simulate`: the output is opened before any run, rows streamed, committed at the end. */
async function simulateCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseSimulateArgs(argv, io);
  let file: AtomicFile | null = null;
  if (args.out !== null) {
    try {
      file = AtomicFile.open(args.out);
    } catch (e) {
      if (e instanceof OutputPathError) throw new UsageError(`--out: ${e.message}`);
      throw e;
    }
    io.onTemp?.(file.tempPath);
  }
  try {
    return await streamRuns(args, file, io);
  } finally {
    // Whatever happened, an uncommitted temporary file does not outlive the command.
    file?.abort();
  }
}

/** Runs the experiment and streams its rows to `file` or stdout; commits the file when every run succeeded. */
async function streamRuns(args: SimulateArgs, file: AtomicFile | null, io: CliIO): Promise<number> {
  const sink = file ?? io.stdout;
  const fmt = new RowFormatter(args.format, outputColumns(args.swept));
  const sets = args.sets;

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
    file?.abort();
    io.onTemp?.(null);
    if (line) io.stderr(`conviction-voting: ${oneLine(line)}\n`);
    io.exit?.(code);
    release(code);
  };
  const write = (text: string): void => {
    if (stopped !== null || text === '') return;
    try {
      sink.write(text);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A reader that has seen enough (`| head`) is not an error.
      if (code === 'EPIPE' && !file) stop(0, null);
      else stop(1, `cannot write ${file ? `'${args.out}'` : 'to stdout'}: ${describeIoError(e)}`);
    }
  };

  write(fmt.begin());
  const bar = args.progress ? progressBar({ write: (s: string) => io.stderr(s), isTTY: io.stderrIsTTY }, 'runs') : undefined;
  const onOutcome = (o: RunOutcome<State>): void => {
    if (stopped !== null) return;
    if ('failure' in o) {
      const f = o.failure;
      stop(1, f.error.message);
      return;
    }
    write(fmt.run(o.result, sets[o.result.subset]));
  };
  const running = runConvictionExperiment(args.experiment, {
    seed: args.seed,
    keep: args.keep,
    workers: args.workers,
    onProgress: (done, total) => {
      if (stopped === null) bar?.update(done, total);
    },
    onOutcome,
    collect: false,
    signal: cancel.signal,
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
  write(fmt.end());
  try {
    if (file) file.commit();
    else io.stdout.flush();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' && !file) return stopAndReturn(stop, 0, null);
    return stopAndReturn(stop, 1, `cannot write ${file ? `'${args.out}'` : 'to stdout'}: ${describeIoError(e)}`);
  }
  if (stopped !== null) return stopped;
  io.onTemp?.(null);
  if (file) io.stderr(`conviction-voting: wrote ${fmt.rows} rows to ${path.resolve(args.out!)}\n`);
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
      } else if (rest.length) {
        throw new UsageError(`params: unexpected argument '${shorten(rest[0])}'; it takes none`);
      } else io.stdout.write(paramsTable());
      io.stdout.flush();
      return 0;
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
