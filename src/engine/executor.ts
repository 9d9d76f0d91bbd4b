/**
 * How an experiment is executed: in this thread, or on worker threads across
 * cores. Functions cannot cross threads, so an experiment is described by a
 * definition (a module, an exported factory and JSON-able arguments) that every
 * worker rebuilds; jobs are then addressed by their index in `planJobs` order,
 * which makes the result order and every run's seed independent of the workers.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MetricRow, RunResult } from './core';
import type { Seed } from './rng';
import type { KeepMode, Metrics, RecordMeta, StateRecord } from './types';
import {
  deliver,
  errorMessage,
  planJobs,
  tryRunJob,
  validateSeed,
  type ExperimentResult,
  type Job,
  type RunOutcome,
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
export interface ExecuteOptions<S = unknown> {
  seed: Seed;
  keep?: KeepMode;
  /** Worker threads; 1 runs in this thread (default). */
  workers?: number;
  /** Called after each finished run with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Called with each finished job in job order (results that finish early wait for the ones before them). */
  onOutcome?: (outcome: RunOutcome<S>) => void;
  /** Keep results and failures in the returned object (default true); false keeps memory flat when `onOutcome` consumes them. */
  collect?: boolean;
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
  options: ExecuteOptions<S>,
): Promise<ExecutedExperiment<P, S>> {
  validateSeed(options.seed);
  const built = buildExperiment<P, S>(def);
  for (const sim of built.simulations) sim.generator?.checkSeed(options.seed);
  const jobs = planJobs(built.simulations);
  const params = paramsBySubset(jobs);
  const workers = Math.max(1, Math.min(options.workers ?? 1, jobs.length));
  // Finished jobs wait here until every job before them has finished, so outcomes leave in job order.
  const slots: Array<RunResult<S> | { failure: string } | undefined> = new Array(jobs.length);
  const out: ExecutedExperiment<P, S> = { results: [], failures: [], params };
  let done = 0;
  let emitted = 0;
  const finish = (i: number, r: RunResult<S> | { failure: string }): void => {
    slots[i] = r;
    done++;
    while (emitted < jobs.length && slots[emitted] !== undefined) {
      deliver(out, options, emitted, jobs[emitted], slots[emitted]!);
      slots[emitted++] = undefined;
    }
    options.onProgress?.(done, jobs.length);
  };

  const runHere = (i: number): void => {
    const job = jobs[i];
    finish(i, tryRunJob(built.simulations[job.simulation], job, { ...options, metrics: built.metrics }));
  };
  if (workers === 1) jobs.forEach((_job, i) => runHere(i));
  else await runPool(def, options, jobs.length, workers - 1, built.codec, finish, runHere);

  // A job the pool lost without a word still gets an outcome, in its place.
  for (let i = emitted; i < jobs.length; i++) {
    deliver(out, options, i, jobs[i], slots[i] ?? { failure: 'executor: the run never finished' });
  }
  return out;
}

/** A message to a worker: learn an experiment, run one of its jobs, or forget it. */
export type ToWorker =
  | { type: 'define'; call: number; def: ExperimentDefinition }
  | { type: 'job'; call: number; index: number; seed: Seed; keep?: KeepMode }
  | { type: 'forget'; call: number };

/** A message from a worker. */
type FromWorker =
  | { type: 'result'; call: number; index: number; run: EncodedRun }
  | { type: 'failure'; call: number; index: number; error: string };

/** A run's result as it crosses threads. */
export interface EncodedRun {
  simulation: number;
  subset: number;
  run: number;
  meta: RecordMeta[];
  states: unknown;
  metrics: EncodedMetrics;
}

/**
 * Metric rows by column: numbers in Float64Arrays (transferred, not cloned),
 * with a mask where a value was null; other values as plain lists. Cloning a
 * hundred row objects per run cost the main thread more than a worker saved.
 */
export interface EncodedMetrics {
  length: number;
  columns: Array<{ name: string; numbers?: Float64Array; nulls?: Uint8Array; values?: unknown[] }>;
}

/** Encodes metric rows column by column; returns the buffers to transfer. */
export function encodeMetrics(rows: ReadonlyArray<MetricRow>): { metrics: EncodedMetrics; transfer: ArrayBuffer[] } {
  const names = rows.length ? Object.keys(rows[0]) : [];
  const transfer: ArrayBuffer[] = [];
  const columns = names.map((name) => {
    const numeric = rows.every((r) => typeof r[name] === 'number' || r[name] === null);
    if (!numeric) return { name, values: rows.map((r) => r[name]) };
    const numbers = new Float64Array(rows.length);
    let nulls: Uint8Array | undefined;
    rows.forEach((r, i) => {
      const v = r[name];
      if (v === null) (nulls ??= new Uint8Array(rows.length))[i] = 1;
      else numbers[i] = v as number;
    });
    transfer.push(numbers.buffer as ArrayBuffer);
    if (nulls) transfer.push(nulls.buffer as ArrayBuffer);
    return { name, numbers, nulls };
  });
  return { metrics: { length: rows.length, columns }, transfer };
}

/** Rebuilds metric rows from `encodeMetrics`. */
export function decodeMetrics(m: EncodedMetrics): MetricRow[] {
  const rows: MetricRow[] = [];
  for (let i = 0; i < m.length; i++) {
    const row = {} as MetricRow;
    for (const c of m.columns) {
      (row as Record<string, unknown>)[c.name] = c.numbers ? (c.nulls?.[i] ? null : c.numbers[i]) : c.values![i];
    }
    rows.push(row);
  }
  return rows;
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
  const m = encodeMetrics(r.metrics);
  return {
    run: { simulation: r.simulation, subset: r.subset, run: r.run, meta, states: enc.data, metrics: m.metrics },
    transfer: [...enc.transfer, ...m.transfer],
  };
}

/** Decodes a run result received from a worker. */
export function decodeRun<S>(e: EncodedRun, codec?: StateCodec<S>): RunResult<S> {
  const states = codec ? codec.decode(e.states) : (e.states as S[]);
  const records = states.map((s, i) => ({ ...s, ...e.meta[i] }) as StateRecord<S>);
  return { simulation: e.simulation, subset: e.subset, run: e.run, records, metrics: decodeMetrics(e.metrics) };
}

function startWorker(): Worker {
  if (__filename.endsWith('.ts')) {
    // Under tsx (the tests) this module is TypeScript, and Node 20 will not start a
    // worker from a .ts file: register tsx inside the worker, then load it.
    const file = path.join(__dirname, 'worker.ts');
    const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
    return new Worker(code, { eval: true });
  }
  return new Worker(path.join(__dirname, 'worker.js'));
}

/** Jobs kept in flight per worker, so a worker never waits for the main thread between runs. */
const IN_FLIGHT = 4;

/** Routes a worker's messages to the experiment (call) that sent the job. */
interface CallListener {
  message(m: FromWorker): void;
  crash(w: Worker, error: string): void;
}

/**
 * The process's worker threads, kept between experiments: a fresh worker spends
 * its first hundred runs compiling, so reusing it keeps repeated experiments (a
 * notebook session, a sweep after a sweep) at full speed. Idle workers are
 * unref'd, so they never keep the process alive.
 */
const pool = {
  workers: [] as Worker[],
  calls: new Map<number, CallListener>(),
  busy: new Map<Worker, number>(),
  nextCall: 1,
};

function poolWorkers(count: number): Worker[] {
  while (pool.workers.length < count) {
    const w = startWorker();
    w.unref();
    w.on('message', (m: FromWorker) => pool.calls.get(m.call)?.message(m));
    w.on('error', (err) => {
      pool.workers = pool.workers.filter((x) => x !== w);
      for (const c of pool.calls.values()) c.crash(w, `worker crashed: ${errorMessage(err)}`);
    });
    pool.workers.push(w);
  }
  return pool.workers.slice(0, count);
}

/** Keeps the process alive while a worker has work for some experiment. */
function hold(w: Worker, delta: 1 | -1): void {
  const n = (pool.busy.get(w) ?? 0) + delta;
  pool.busy.set(w, n);
  if (n === 1 && delta === 1) w.ref();
  if (n === 0) w.unref();
}

/**
 * Runs jobs 0..total-1 on `threads` pooled worker threads and on this thread
 * too: with as many compute threads as cores, none of them fights the main
 * thread for a core. This thread yields between its runs so worker results keep
 * flowing.
 */
function runPool<S>(
  def: ExperimentDefinition,
  options: ExecuteOptions<S>,
  total: number,
  threads: number,
  codec: StateCodec<S> | undefined,
  finish: (i: number, r: RunResult<S> | { failure: string }) => void,
  runHere: (i: number) => void,
): Promise<void> {
  const call = pool.nextCall++;
  let next = 0;
  let settled = 0;
  return new Promise((resolve) => {
    const pending = new Map<Worker, Set<number>>();
    const completed = (): void => {
      if (++settled < total) return;
      pool.calls.delete(call);
      for (const w of pending.keys()) {
        w.postMessage({ type: 'forget', call } satisfies ToWorker);
        hold(w, -1);
      }
      resolve();
    };
    const dispatch = (w: Worker): void => {
      if (next >= total) return;
      pending.get(w)!.add(next);
      w.postMessage({ type: 'job', call, index: next++, seed: options.seed, keep: options.keep } satisfies ToWorker);
    };
    pool.calls.set(call, {
      message(m) {
        for (const [w, jobs] of pending) {
          if (jobs.delete(m.index)) {
            dispatch(w);
            break;
          }
        }
        finish(m.index, m.type === 'result' ? decodeRun(m.run, codec) : { failure: m.error });
        completed();
      },
      // A crashed worker fails its own jobs; this thread and the others carry on with the rest.
      crash(w, error) {
        const mine = pending.get(w);
        if (!mine) return;
        pending.delete(w);
        for (const i of mine) {
          finish(i, { failure: error });
          completed();
        }
      },
    });
    for (const w of poolWorkers(threads)) {
      pending.set(w, new Set());
      hold(w, 1);
      w.postMessage({ type: 'define', call, def } satisfies ToWorker);
      for (let f = 0; f < IN_FLIGHT; f++) dispatch(w);
    }
    const local = (): void => {
      if (next >= total) return;
      runHere(next++);
      completed();
      setImmediate(local);
    };
    setImmediate(local);
  });
}
