/**
 * Model › Simulation › Experiment (after radCAD's wrappers): what to run, how
 * many times and with which parameters. One run is `core.runOnce`; how the runs
 * are executed (in order, or on worker threads) is `executor`.
 */
import { runOnce, type RunResult } from './core';
import { checkSeedValue, SEEDRANDOM_GENERATOR, type Generator, type Seed } from './rng';
import { expandSweep, type Sweep } from './sweep';
import { CancelledError, ConfigError, RunError, runFailed } from './errors';
import type { Aggregation, KeepMode, Metrics, PartialStateUpdateBlock, RandomSource } from './types';
import { checkNumber, rangeError, showValue, type NumberRange } from './validate';

/** Draws a genesis state from the run's parameters and generator. */
export type GenesisFactory<P, S> = (params: P, rng: RandomSource) => S;

/** A model: blocks, base parameters and a genesis. */
export interface Model<P, S> {
  blocks: ReadonlyArray<PartialStateUpdateBlock<P, S>>;
  params: P;
  /** A factory (each run draws its own genesis: the default) or one fixed state shared by every run (cadCAD's way; never mutated). */
  genesis: S | GenesisFactory<P, S>;
  /** Throws an error naming the field when a parameter set is invalid. */
  validate?: (params: P) => void;
  aggregate?: Aggregation;
  /**
   * False declares that no policy or update reads its `history` argument; runs
   * that keep only metrics then update their state in place (see `RunSpec.usesHistory`).
   */
  usesHistory?: boolean;
}

/** A model with its simulation config: `runs` (N), `timesteps` (T) and a sweep (M). */
export interface Simulation<P, S> {
  model: Model<P, S>;
  timesteps: number;
  runs: number;
  sweep?: Sweep<P>;
  /** How each run's generator derives from the seed; default seedrandom (`rng.ts`). */
  generator?: Generator;
}

/** How to run an experiment. */
export interface RunOptions<S> {
  /** User seed; each (simulation, subset, run) derives its own generator from it. */
  seed: Seed;
  /** What each run keeps: every substep, each timestep's last, only metric rows, or checkpoints to replay any record from (`recordAt`). */
  keep?: KeepMode;
  /** With `keep: 'checkpoints'`: a checkpoint every this many timesteps (default 10). */
  checkpointEvery?: number;
  metrics?: Metrics<S>;
  /** Called after each finished run with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Called with each finished job in job order (not completion order), e.g. to stream rows to a file. */
  onOutcome?: (outcome: RunOutcome<S>) => void;
  /** Keep results and failures in the returned object (default true); false keeps memory flat when `onOutcome` consumes them. */
  collect?: boolean;
  /**
   * What a run that throws does: `'throw'` (default) stops the experiment and throws that run's
   * `RunError` (the first failing run in job order); `'collect'` keeps going and reports every
   * failure in `failures` (and to `onOutcome`).
   */
  onError?: 'throw' | 'collect';
  /** Aborting it stops the experiment between runs with a `CancelledError`. */
  signal?: AbortSignal;
}

/** A finished job, delivered in job order: its index in `planJobs` order and its result or failure. */
export type RunOutcome<S> = { index: number; result: RunResult<S> } | { index: number; failure: RunFailure };

/** One unit of work: a (simulation, subset, run) triple and its parameters. */
export interface Job<P> {
  simulation: number;
  subset: number;
  run: number;
  params: P;
}

/** A run that threw: its ids, and a `RunError` naming where (its `cause` is the original error, stack kept). */
export interface RunFailure {
  simulation: number;
  subset: number;
  run: number;
  error: RunError;
}

/** Results of an experiment in job order, and the runs that failed. */
export interface ExperimentResult<S> {
  results: RunResult<S>[];
  failures: RunFailure[];
}

/** Checks the simulation config; throws a RangeError naming the field and range. */
export function validateSimulation<P, S>(sim: Simulation<P, S>, index = 0): void {
  const where = `simulation ${index}`;
  checkNumber('timesteps (T)', sim.timesteps, { integer: true, min: 1 }, where);
  checkNumber('runs (N)', sim.runs, { integer: true, min: 1 }, where);
}

/** Checks a seed: an integer within ±(2^53 − 1) (beyond it doubles are inexact: quote it as text) or a non-empty string. */
export function validateSeed(seed: unknown): void {
  checkSeedValue(seed);
}

/** Every (simulation, subset, run) of an experiment with its parameter set, validated, in order. */
export function planJobs<P extends object, S>(sims: ReadonlyArray<Simulation<P, S>>): Job<P>[] {
  const jobs: Job<P>[] = [];
  sims.forEach((sim, simulation) => {
    validateSimulation(sim, simulation);
    const sets = expandSweep(sim.model.params, sim.sweep);
    sets.forEach((params, subset) => {
      sim.model.validate?.(params);
      for (let run = 1; run <= sim.runs; run++) jobs.push({ simulation, subset, run, params });
    });
  });
  return jobs;
}

/** Runs one job of a simulation; a failure inside the run is a `RunError` from `runOnce`. */
export function runJob<P, S>(sim: Simulation<P, S>, job: Job<P>, options: RunOptions<S>): RunResult<S> {
  const rng = (sim.generator ?? SEEDRANDOM_GENERATOR).create(options.seed, job.simulation, job.subset, job.run);
  const g = sim.model.genesis;
  const genesis = typeof g === 'function' ? (g as GenesisFactory<P, S>)(job.params, rng) : g;
  return runOnce({
    blocks: sim.model.blocks,
    params: job.params,
    genesis,
    timesteps: sim.timesteps,
    rng,
    simulation: job.simulation,
    subset: job.subset,
    run: job.run,
    aggregate: sim.model.aggregate,
    keep: options.keep,
    checkpointEvery: options.checkpointEvery,
    metrics: options.metrics,
    usesHistory: sim.model.usesHistory,
  });
}

/** Runs one job; a run that throws becomes `{ failure }`, a `RunError` named after `where`, so the other runs can go on. */
export function tryRunJob<P, S>(
  sim: Simulation<P, S>,
  job: Job<P>,
  options: RunOptions<S>,
  where = 'runExperiment',
): RunResult<S> | { failure: RunError } {
  try {
    return runJob(sim, job, options);
  } catch (e) {
    // runOnce names the timestep, substep and block; anything else failed while drawing the genesis.
    if (e instanceof RunError) return { failure: runFailed(where, e.location, e.cause) };
    const { simulation, subset, run } = job;
    return { failure: runFailed(where, { simulation, subset, run, timestep: 0, block: 'genesis' }, e) };
  }
}

/** Runs every job in order on this thread; throws the first failing run's `RunError` unless `onError` is `'collect'`. */
export function runExperiment<P extends object, S>(
  sims: ReadonlyArray<Simulation<P, S>>,
  options: RunOptions<S>,
): ExperimentResult<S> {
  return runExperimentAs('runExperiment', sims, options);
}

/** `runExperiment`, with errors named after the public function `where` the user called (e.g. `simulate`). */
export function runExperimentAs<P extends object, S>(
  where: string,
  sims: ReadonlyArray<Simulation<P, S>>,
  options: RunOptions<S>,
): ExperimentResult<S> {
  if (!Array.isArray(sims) || sims.length === 0) {
    throw new TypeError(`${where}: simulations must be a non-empty array of { model, timesteps, runs }, got ${showValue(sims)}`);
  }
  checkRunOptions(where, options, []);
  validateSeed(options.seed);
  for (const sim of sims) sim.generator?.checkSeed(options.seed);
  const jobs = planJobs(sims);
  const out: ExperimentResult<S> = { results: [], failures: [] };
  jobs.forEach((job, index) => {
    if (options.signal?.aborted) throw new CancelledError(`${where}: cancelled after ${index} of ${jobs.length} runs`);
    const r = tryRunJob(sims[job.simulation], job, options, where);
    if ('failure' in r && options.onError !== 'collect') throw r.failure;
    deliver(out, options, index, job, r);
    options.onProgress?.(index + 1, jobs.length);
  });
  return out;
}

/** The options every experiment runner takes, with what each allows. */
const RUN_OPTION_KEYS = ['seed', 'keep', 'checkpointEvery', 'metrics', 'onProgress', 'onOutcome', 'collect', 'onError', 'signal'];

/**
 * Checks an options object before any work: its type, every known option's type and allowed values,
 * and no unknown key (a typo would otherwise be ignored). `extra` lists the caller's own keys.
 */
export function checkRunOptions(where: string, options: unknown, extra: ReadonlyArray<string>): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${showValue(options)}`);
  }
  const o = options as Record<string, unknown>;
  const known = [...RUN_OPTION_KEYS, ...extra];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) throw new ConfigError(`${where}: unknown option '${key}'; known options: ${known.join(', ')}`);
  }
  if (o.keep !== undefined && !KEEP_MODES.includes(o.keep as KeepMode)) {
    throw new ConfigError(`${where}: keep must be one of ${KEEP_MODES.map((k) => `'${k}'`).join(', ')}, got ${showValue(o.keep)}`);
  }
  if (o.onError !== undefined && o.onError !== 'throw' && o.onError !== 'collect') {
    throw new ConfigError(`${where}: onError must be 'throw' or 'collect', got ${showValue(o.onError)}`);
  }
  for (const key of ['onProgress', 'onOutcome']) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new TypeError(`${where}: ${key} must be a function, got ${showValue(o[key])}`);
    }
  }
  if (o.collect !== undefined && typeof o.collect !== 'boolean') {
    throw new TypeError(`${where}: collect must be true or false, got ${showValue(o.collect)}`);
  }
  if (o.metrics !== undefined) {
    const m = o.metrics;
    if (typeof m !== 'object' || m === null || Array.isArray(m) || !Object.values(m).every((f) => typeof f === 'function')) {
      throw new TypeError(`${where}: metrics must be an object of functions (state) => value, got ${showValue(m)}`);
    }
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new TypeError(`${where}: signal must be an AbortSignal, got ${showValue(o.signal)}`);
  }
}

/** Throws a ConfigError (or a TypeError for a non-number) when an option is out of range. */
export function checkOption(where: string, name: string, value: unknown, range: NumberRange): void {
  const msg = rangeError(name, value, range, where);
  if (msg) throw typeof value === 'number' ? new ConfigError(msg) : new TypeError(msg);
}

/** The keep modes, in the order error messages list them. */
export const KEEP_MODES: ReadonlyArray<KeepMode> = ['all', 'last', 'metrics', 'checkpoints'];

/** Hands one finished job, in job order, to `onOutcome` and (unless `collect` is false) to the result. */
export function deliver<S>(
  out: ExperimentResult<S>,
  options: Pick<RunOptions<S>, 'onOutcome' | 'collect'>,
  index: number,
  job: { simulation: number; subset: number; run: number },
  r: RunResult<S> | { failure: RunError },
): void {
  const outcome: RunOutcome<S> =
    'failure' in r
      ? { index, failure: { simulation: job.simulation, subset: job.subset, run: job.run, error: r.failure } }
      : { index, result: r };
  options.onOutcome?.(outcome);
  if (options.collect === false) return;
  if ('failure' in outcome) out.failures.push(outcome.failure);
  else out.results.push(outcome.result);
}

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
