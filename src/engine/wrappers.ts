/**
 * Model › Simulation › Experiment (after radCAD's wrappers): what to run, how
 * many times and with which parameters. One run is `core.runOnce`; how the runs
 * are executed (in order, or on worker threads) is `executor`.
 */
import { runOnce, type RunResult } from './core';
import { ConfigError } from './errors';
import { checkSeedValue, SEEDRANDOM_GENERATOR, type Generator, type Seed } from './rng';
import { expandSweep, type Sweep } from './sweep';
import type { Aggregation, KeepMode, Metrics, PartialStateUpdateBlock, RandomSource } from './types';
import { checkNumber, showValue } from './validate';

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
  keep?: KeepMode;
  metrics?: Metrics<S>;
  /** Called after each finished run with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Called with each finished job in job order (not completion order), e.g. to stream rows to a file. */
  onOutcome?: (outcome: RunOutcome<S>) => void;
  /** Keep results and failures in the returned object (default true); false keeps memory flat when `onOutcome` consumes them. */
  collect?: boolean;
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

/** A run that threw: where, and the message. */
export interface RunFailure {
  simulation: number;
  subset: number;
  run: number;
  error: string;
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

/** Runs one job of a simulation. */
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
    metrics: options.metrics,
  });
}

/** Runs one job; a run that throws becomes `{ failure }` so the other runs go on. */
export function tryRunJob<P, S>(sim: Simulation<P, S>, job: Job<P>, options: RunOptions<S>): RunResult<S> | { failure: string } {
  try {
    return runJob(sim, job, options);
  } catch (e) {
    return { failure: errorMessage(e) };
  }
}

/** Runs every job in order on this thread; a run that throws is reported and the others kept. */
export function runExperiment<P extends object, S>(
  sims: ReadonlyArray<Simulation<P, S>>,
  options: RunOptions<S>,
): ExperimentResult<S> {
  validateSeed(options.seed);
  for (const sim of sims) sim.generator?.checkSeed(options.seed);
  const jobs = planJobs(sims);
  const out: ExperimentResult<S> = { results: [], failures: [] };
  jobs.forEach((job, index) => {
    const r = tryRunJob(sims[job.simulation], job, options);
    deliver(out, options, index, job, r);
    options.onProgress?.(index + 1, jobs.length);
  });
  return out;
}

/** Hands one finished job, in job order, to `onOutcome` and (unless `collect` is false) to the result. */
export function deliver<S>(
  out: ExperimentResult<S>,
  options: Pick<RunOptions<S>, 'onOutcome' | 'collect'>,
  index: number,
  job: { simulation: number; subset: number; run: number },
  r: RunResult<S> | { failure: string },
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
