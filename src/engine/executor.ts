/**
 * How an experiment is executed: in this thread, or on worker threads across
 * cores. Functions cannot cross threads, so an experiment is described by a
 * definition (a module, an exported factory and JSON-able arguments) that every
 * worker rebuilds; jobs are then addressed by their index in `planJobs` order,
 * which makes the result order and every run's seed independent of the workers.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunResult } from './core';
import type { Seed } from './rng';
import type { KeepMode, Metrics, RecordMeta, StateRecord } from './types';
import {
  errorMessage,
  planJobs,
  runJob,
  validateSeed,
  type ExperimentResult,
  type Job,
  type Simulation,
} from './wrappers';

/** Encodes a run's states for another thread, keeping whatever they share shared. */
export interface StateCodec<S> {
  encode(states: S[]): { data: unknown; transfer: ArrayBuffer[] };
  decode(data: unknown): S[];
}

/** What a definition's factory returns. */
export interface BuiltExperiment<P, S> {
  simulations: Simulation<P, S>[];
  /** Metrics computed at genesis and at each timestep's last substep. */
  metrics?: Metrics<S>;
  /** How to send states between threads; without it they are structured-cloned. */
  codec?: StateCodec<S>;
}

/** A module path, the name of its exported factory, and the factory's JSON-able arguments. */
export interface ExperimentDefinition {
  module: string;
  export: string;
  args: unknown;
}

/** How to execute. */
export interface ExecuteOptions {
  seed: Seed;
  keep?: KeepMode;
  /** Worker threads; 1 runs in this thread (default). */
  workers?: number;
  /** Called after each finished run with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** An experiment's results plus the parameter set of every (simulation, subset). */
export interface ExecutedExperiment<P, S> extends ExperimentResult<S> {
  params: P[][];
}

/** Loads a definition's factory and builds the experiment. */
export function buildExperiment<P, S>(def: ExperimentDefinition): BuiltExperiment<P, S> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(def.module) as Record<string, unknown>;
  const factory = mod[def.export];
  if (typeof factory !== 'function') {
    throw new Error(`executor: '${def.export}' is not a function exported by ${def.module}`);
  }
  return (factory as (args: unknown) => BuiltExperiment<P, S>)(def.args);
}

function paramsBySubset<P extends object, S>(jobs: Job<P>[]): P[][] {
  const out: P[][] = [];
  for (const j of jobs) (out[j.simulation] ??= [])[j.subset] = j.params;
  return out;
}

/** Runs an experiment described by `def`, on `workers` threads, results in job order. */
export async function execute<P extends object, S>(
  def: ExperimentDefinition,
  options: ExecuteOptions,
): Promise<ExecutedExperiment<P, S>> {
  validateSeed(options.seed);
  const built = buildExperiment<P, S>(def);
  const jobs = planJobs(built.simulations);
  const params = paramsBySubset(jobs);
  const workers = Math.max(1, Math.min(options.workers ?? 1, jobs.length));
  const slots: Array<RunResult<S> | { failure: string } | undefined> = new Array(jobs.length);
  let done = 0;
  const finish = (i: number, r: RunResult<S> | { failure: string }): void => {
    slots[i] = r;
    done++;
    options.onProgress?.(done, jobs.length);
  };

  if (workers === 1) {
    jobs.forEach((job, i) => {
      try {
        finish(i, runJob(built.simulations[job.simulation], job, { ...options, metrics: built.metrics }));
      } catch (e) {
        finish(i, { failure: errorMessage(e) });
      }
    });
  } else {
    await runOnWorkers(def, options, jobs.length, workers, built.codec, finish);
  }

  const out: ExecutedExperiment<P, S> = { results: [], failures: [], params };
  slots.forEach((r, i) => {
    const { simulation, subset, run } = jobs[i];
    if (r === undefined) out.failures.push({ simulation, subset, run, error: 'executor: the run never finished' });
    else if ('failure' in r) out.failures.push({ simulation, subset, run, error: r.failure });
    else out.results.push(r);
  });
  return out;
}

/** A message from a worker. */
type FromWorker =
  | { type: 'result'; index: number; run: EncodedRun }
  | { type: 'failure'; index: number; error: string }
  | { type: 'fatal'; error: string };

/** A run's result as it crosses threads. */
export interface EncodedRun {
  simulation: number;
  subset: number;
  run: number;
  meta: RecordMeta[];
  states: unknown;
  metrics: RunResult<unknown>['metrics'];
}

/** Encodes a run result for postMessage. */
export function encodeRun<S>(r: RunResult<S>, codec?: StateCodec<S>): { run: EncodedRun; transfer: ArrayBuffer[] } {
  const meta: RecordMeta[] = [];
  const states: S[] = [];
  for (const rec of r.records) {
    const { simulation, subset, run, substep, timestep, ...state } = rec as StateRecord<S> & RecordMeta;
    meta.push({ simulation, subset, run, substep, timestep });
    states.push(state as unknown as S);
  }
  const enc = codec ? codec.encode(states) : { data: states, transfer: [] };
  return {
    run: { simulation: r.simulation, subset: r.subset, run: r.run, meta, states: enc.data, metrics: r.metrics },
    transfer: enc.transfer,
  };
}

/** Decodes a run result received from a worker. */
export function decodeRun<S>(e: EncodedRun, codec?: StateCodec<S>): RunResult<S> {
  const states = codec ? codec.decode(e.states) : (e.states as S[]);
  const records = states.map((s, i) => ({ ...s, ...e.meta[i] }) as StateRecord<S>);
  return { simulation: e.simulation, subset: e.subset, run: e.run, records, metrics: e.metrics };
}

function startWorker(workerData: unknown): Worker {
  if (__filename.endsWith('.ts')) {
    // Under tsx (the tests) this module is TypeScript, and Node 20 will not start a
    // worker from a .ts file: register tsx inside the worker, then load it.
    const file = path.join(__dirname, 'worker.ts');
    const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
    return new Worker(code, { eval: true, workerData });
  }
  return new Worker(path.join(__dirname, 'worker.js'), { workerData });
}

/** Jobs kept in flight per worker, so a worker never waits for the main thread between runs. */
const IN_FLIGHT = 2;

function runOnWorkers<S>(
  def: ExperimentDefinition,
  options: ExecuteOptions,
  total: number,
  count: number,
  codec: StateCodec<S> | undefined,
  finish: (i: number, r: RunResult<S> | { failure: string }) => void,
): Promise<void> {
  let next = 0;
  let settled = 0;
  return new Promise((resolve) => {
    const pending = new Map<Worker, Set<number>>();
    const settle = (i: number, r: RunResult<S> | { failure: string }): void => {
      finish(i, r);
      if (++settled === total) {
        for (const w of pending.keys()) void w.terminate();
        resolve();
      }
    };
    const dispatch = (w: Worker): void => {
      if (next < total) {
        pending.get(w)!.add(next);
        w.postMessage({ type: 'job', index: next++ });
      }
    };
    // A worker that cannot go on fails its own jobs; the others carry on with the rest.
    const abandon = (w: Worker, error: string): void => {
      const mine = pending.get(w);
      pending.delete(w);
      void w.terminate();
      for (const i of mine ?? []) settle(i, { failure: error });
      if (pending.size === 0) while (next < total) settle(next++, { failure: error });
    };
    for (let k = 0; k < count; k++) {
      const w = startWorker({ def, options: { seed: options.seed, keep: options.keep } });
      pending.set(w, new Set());
      w.on('message', (m: FromWorker) => {
        if (m.type === 'fatal') return abandon(w, m.error);
        pending.get(w)?.delete(m.index);
        dispatch(w);
        settle(m.index, m.type === 'result' ? decodeRun(m.run, codec) : { failure: m.error });
      });
      w.on('error', (err) => abandon(w, `worker crashed: ${errorMessage(err)}`));
      for (let f = 0; f < IN_FLIGHT; f++) dispatch(w);
    }
  });
}
