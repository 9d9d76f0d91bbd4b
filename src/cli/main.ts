/**
 * The `conviction-voting` command line. Parses flags, validates everything
 * before running, runs the experiment and writes the rdf table atomically.
 * Bad input: one line on stderr and exit code 2, with no output file touched.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { cartesian, type Sweep } from '../engine/sweep';
import { validateSeed } from '../engine/wrappers';
import type { ExecutedExperiment } from '../engine/executor';
import type { KeepMode } from '../engine/types';
import { checkNumber } from '../engine/validate';
import { writeFileAtomic } from '../io/atomic';
import { isParamName, PARAM_NAMES, PARAM_RANGES, validateParams, DEFAULT_PARAMS, type Params } from '../model/params';
import { runConvictionExperiment, type ExperimentArgs } from '../model/experiment';
import type { State } from '../model/state';
import { describeRange } from '../engine/validate';
import { progressBar } from './progress';
import { rdfTable, toCsv, toJson } from './table';

/** A user error: printed as one line, exit code 2. */
export class UsageError extends Error {}

export const HELP = `conviction-voting — the Aragon Conviction Voting model (v1)

Usage:
  conviction-voting simulate [options]
  conviction-voting params            list the parameters, their defaults and allowed ranges
  conviction-voting --help

simulate writes one row per (simulation, subset, run, timestep) at the last
substep of each timestep (the rdf): funds, participant/proposal counts, counts
and funds requested per status, and the largest conviction share of trigger
among candidates (empty when there is none).

Options of simulate:
  --runs N            Monte Carlo runs per parameter set (integer >= 1; default 1)
  --timesteps T       timesteps per run (integer >= 1; default 100)
  --seed S            seed of every run's generator (number or text; default 0);
                      the same seed gives byte-identical output
  --params FILE.json  parameter overrides as a JSON object (see data/*.json)
  --set name=value    override one parameter; repeatable; applied after --params
  --sweep name=v1,v2  sweep a parameter; repeatable; lists are zipped (a list of
                      one value is used for every set, other length mixes are an error)
  --cartesian         take the Cartesian product of the --sweep lists instead of zipping
  --workers K         worker threads (integer >= 1; default: number of cores);
                      results are identical whatever K
  --keep MODE         what to keep while running: all | last | metrics (default metrics;
                      the table is the same in every mode, memory is not)
  --out FILE          write to FILE (.csv or .json) atomically; default: CSV on stdout
  --progress          show a progress bar on stderr (default: when stderr is a terminal)
  --no-progress       never show the progress bar
  -h, --help          this help
`;

interface SimulateArgs {
  experiment: ExperimentArgs;
  seed: number | string;
  workers: number;
  keep: KeepMode;
  out: string | null;
  progress: boolean;
  swept: Array<keyof Params>;
}

function parseNumber(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${name}: '${text}' is not a finite number`);
  return v;
}

function parseAssignment(flag: string, text: string): [keyof Params, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} expects name=value, got '${text}'`);
  const name = text.slice(0, eq);
  if (!isParamName(name)) throw new UsageError(`${flag}: unknown parameter '${name}'; known: ${PARAM_NAMES.join(', ')}`);
  return [name, text.slice(eq + 1)];
}

function loadParamsFile(file: string): Partial<Params> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--params: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--params: '${file}' is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`--params: '${file}' must hold a JSON object of parameters`);
  }
  for (const key of Object.keys(data)) {
    if (!isParamName(key)) throw new UsageError(`--params: unknown parameter '${key}' in '${file}'; known: ${PARAM_NAMES.join(', ')}`);
  }
  return data as Partial<Params>;
}

/** Parses and validates `simulate`'s flags; throws UsageError with one line. */
export function parseSimulateArgs(argv: string[]): SimulateArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        runs: { type: 'string' },
        timesteps: { type: 'string' },
        seed: { type: 'string' },
        params: { type: 'string' },
        set: { type: 'string', multiple: true },
        sweep: { type: 'string', multiple: true },
        cartesian: { type: 'boolean' },
        workers: { type: 'string' },
        keep: { type: 'string' },
        out: { type: 'string' },
        progress: { type: 'boolean' },
        'no-progress': { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const int = (flag: string, text: string | undefined, dflt: number): number => {
    if (text === undefined) return dflt;
    const v = parseNumber(flag, text);
    checkNumber(flag, v, { integer: true, min: 1 }, 'simulate');
    return v;
  };
  const runs = int('--runs', values.runs, 1);
  const timesteps = int('--timesteps', values.timesteps, 100);
  const workers = int('--workers', values.workers, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
  const seedText = values.seed ?? '0';
  const seed = /^-?\d+(\.\d+)?$/.test(seedText) ? Number(seedText) : seedText;
  validateSeed(seed);

  const overrides: Partial<Params> = values.params ? loadParamsFile(values.params) : {};
  for (const a of values.set ?? []) {
    const [name, v] = parseAssignment('--set', a);
    overrides[name] = parseNumber(`--set ${name}`, v);
  }
  validateParams({ ...DEFAULT_PARAMS, ...overrides });

  let sweep: Sweep<Params> = {};
  for (const a of values.sweep ?? []) {
    const [name, list] = parseAssignment('--sweep', a);
    if (name in sweep) throw new UsageError(`--sweep: parameter '${name}' is swept twice`);
    const vals = list.split(',').map((x) => parseNumber(`--sweep ${name}`, x));
    vals.forEach((v) => checkNumber(name, v, PARAM_RANGES[name], '--sweep'));
    sweep[name] = vals;
  }
  if (values.cartesian) sweep = cartesian(sweep);

  const keep = (values.keep ?? 'metrics') as KeepMode;
  if (!['all', 'last', 'metrics'].includes(keep)) throw new UsageError(`--keep must be one of all, last, metrics, got '${keep}'`);
  const out = values.out ?? null;
  if (out !== null && !/\.(csv|json)$/i.test(out)) throw new UsageError(`--out must end in .csv or .json, got '${out}'`);
  const progress = values['no-progress'] ? false : values.progress ?? Boolean(process.stderr.isTTY);

  return {
    experiment: { simulations: [{ params: overrides, sweep, timesteps, runs }] },
    seed,
    workers,
    keep,
    out,
    progress,
    swept: Object.keys(sweep) as Array<keyof Params>,
  };
}

function paramsTable(): string {
  const lines = ['name,default,allowed'];
  for (const n of PARAM_NAMES) lines.push(`${n},${DEFAULT_PARAMS[n]},"${describeRange(PARAM_RANGES[n])}"`);
  return lines.join('\n') + '\n';
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === 'params') {
      process.stdout.write(paramsTable());
      return 0;
    }
    if (command !== 'simulate') throw new UsageError(`unknown command '${command}'; try --help`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(HELP);
      return 0;
    }
    const args = parseSimulateArgs(rest);
    const bar = args.progress ? progressBar(process.stderr, 'runs') : undefined;
    const result: ExecutedExperiment<Params, State> = await runConvictionExperiment(args.experiment, {
      seed: args.seed,
      keep: args.keep,
      workers: args.workers,
      onProgress: bar?.update,
      onError: 'collect',
    });
    bar?.done();
    for (const f of result.failures) {
      process.stderr.write(`conviction-voting: ${f.error.message}\n`);
    }
    const table = rdfTable(result.results, (r) => result.params[r.simulation][r.subset], args.swept);
    const text = args.out && /\.json$/i.test(args.out) ? toJson(table.rows) : toCsv(table.columns, table.rows);
    if (args.out) {
      writeFileAtomic(args.out, text);
      process.stderr.write(`conviction-voting: wrote ${table.rows.length} rows to ${path.resolve(args.out)}\n`);
    } else {
      process.stdout.write(text);
    }
    return result.failures.length ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError) {
      process.stderr.write(`conviction-voting: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`conviction-voting: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
