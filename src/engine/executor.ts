/**
 * How an experiment is executed: in this thread, or on worker threads across
 * cores. Functions cannot cross threads, so an experiment is described by a
 * definition (a module, an exported factory and JSON-able arguments) that every
 * worker rebuilds; jobs are then addressed by their index in `planJobs` order,
 * which makes the result order and every run's seed independent of the workers.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MetricRow, RunResult } from './core';
import { CancelledError, ConfigError, RunError, runFailed, type RunLocation } from './errors';
import type { Seed } from './rng';
import type { KeepMode, Metrics, RecordMeta, StateRecord } from './types';
import { expandSweep } from './sweep';
import { showValue } from './validate';
import {
  checkOption,
  checkRunOptions,
  deliver,
  planJobs,
  tryRunJob,
  validateSeed,
  validateSimulation,
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
  /** Compute threads; 1 runs in this thread (default). With 2 or more, this thread runs jobs too unless `isolate` is set. */
  workers?: number;
  /** Called after each finished run with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Called with each finished job in job order (results that finish early wait for the ones before them). */
  onOutcome?: (outcome: RunOutcome<S>) => void;
  /** Keep results and failures in the returned object (default true); false keeps memory flat when `onOutcome` consumes them. */
  collect?: boolean;
  /** `'throw'` (default): reject with the first failing run's `RunError`, in job order; `'collect'`: keep going and report every failure. */
  onError?: 'throw' | 'collect';
  /** Aborting it stops the experiment within a run: busy worker threads are terminated, and the promise rejects with a `CancelledError`. */
  signal?: AbortSignal;
  /**
   * Run every job on worker threads (`workers` of them, even 1), none on this thread, so that a run
   * that calls `process.exit`, crashes its thread or runs out of memory fails alone and the process
   * lives on. Without it (the default) runs on this thread share its fate: that is `workers: 1`
   * entirely, and part of the runs with more workers.
   */
  isolate?: boolean;
  /** Heap limit of each worker thread in MB (default: 3/4 of the machine's memory shared by the cores' threads and this one), so a run that outgrows it kills its worker, not the process. */
  workerHeapMb?: number;
  /**
   * Cancel on SIGINT when the process already handles SIGINT (default true). A tslab kernel does:
   * interrupting a cell sends the kernel SIGINT, and tslab abandons the cell's promise without
   * stopping it, so without this the worker threads would run the rest of the experiment.
   */
  cancelOnInterrupt?: boolean;
  /**
   * Only the jobs `from` ≤ index < `to` of `planJobs` order (a shard, see `shardJobs`): jobs outside
   * the range are neither planned nor run, and every outcome keeps its global index, seed and result.
   */
  jobs?: JobRange;
  /**
   * Rows instead of results: a definition whose factory returns a `RowEncoder`, which every thread
   * (workers and this one) applies to each run it finishes. Only the encoded rows cross threads
   * (bytes or typed arrays, transferred), never the run's records or metrics, and they reach
   * `onRows` in job order, just before the run's `onOutcome`, whose result then carries the
   * run's ids with empty `records` and `metrics`. Needs `collect: false`.
   */
  rows?: ExperimentDefinition;
  /** Each successful job's encoded rows (see `rows`), in job order, with its global index. */
  onRows?: (index: number, rows: unknown) => void;
}

/** Encodes one finished run as rows for the caller (`ExecuteOptions.rows`); returns the buffers to transfer. */
export type RowEncoder<P = unknown, S = unknown> = (result: RunResult<S>, job: Job<P>) => { data: unknown; transfer?: ArrayBuffer[] };

/** A settled job: its result, its encoded rows, or its failure. */
type Settled<S> = RunResult<S> | { failure: RunError } | EncodedRows;

/** A run's rows encoded where it ran, with its ids. */
interface EncodedRows {
  encoded: unknown;
  simulation: number;
  subset: number;
  run: number;
}

/** Loads a row encoder's factory and builds it. */
export function buildRowEncoder<P, S>(def: ExperimentDefinition): RowEncoder<P, S> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(def.module) as Record<string, unknown>;
  const factory = mod[def.export];
  if (typeof factory !== 'function') throw new Error(`executor: '${def.export}' is not a function exported by ${def.module}`);
  return (factory as (args: unknown) => RowEncoder<P, S>)(def.args);
}

/** Runs one job and, with an encoder, encodes its rows on the spot (a throwing encoder fails the run). */
export function runAndEncode<P, S>(
  run: () => RunResult<S> | { failure: RunError },
  job: Job<P>,
  encoder: RowEncoder<P, S> | undefined,
  fail: (e: unknown) => RunError,
): { settled: Settled<S>; transfer: ArrayBuffer[] } {
  const r = run();
  if ('failure' in r || !encoder) return { settled: r, transfer: [] };
  try {
    const { data, transfer } = encoder(r, job);
    return { settled: { encoded: data, simulation: r.simulation, subset: r.subset, run: r.run }, transfer: transfer ?? [] };
  } catch (e) {
    return { settled: { failure: fail(e) }, transfer: [] };
  }
}

/** A half-open range of job indices in `planJobs` order. */
export interface JobRange {
  from: number;
  to: number;
}

/**
 * The jobs `from` ≤ index < `to` of `planJobs(sims)`, without building the others: every
 * parameter set is still expanded and validated (a shard refuses what the whole would), but a
 * Job object exists only inside the range. Without a range, `planJobs` itself.
 */
export function planJobRange<P extends object, S>(sims: ReadonlyArray<Simulation<P, S>>, range?: JobRange): Job<P>[] {
  if (!range) return planJobs(sims);
  const jobs: Job<P>[] = [];
  let index = 0;
  sims.forEach((sim, simulation) => {
    validateSimulation(sim, simulation);
    const sets = expandSweep(sim.model.params, sim.sweep);
    sets.forEach((params, subset) => {
      sim.model.validate?.(params);
      const first = Math.max(index, range.from);
      const last = Math.min(index + sim.runs, range.to);
      for (let g = first; g < last; g++) jobs.push({ simulation, subset, run: g - index + 1, params });
      index += sim.runs;
    });
  });
  return jobs;
}

/** How many jobs `planJobs(sims)` would give, without building them. */
export function countJobs<P extends object, S>(sims: ReadonlyArray<Simulation<P, S>>): number {
  let total = 0;
  for (const sim of sims) total += expandSweep(sim.model.params, sim.sweep).length * sim.runs;
  return total;
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

const EXECUTE_KEYS = ['workers', 'isolate', 'workerHeapMb', 'cancelOnInterrupt', 'jobs', 'rows', 'onRows'];

/** The most compute threads an experiment may ask for (more only queue for the same cores). */
export const MAX_WORKERS = 256;

/** Runs an experiment described by `def`, on `workers` threads, results in job order; throws the first failing run's `RunError` unless `onError` is `'collect'`. */
export function execute<P extends object, S>(def: ExperimentDefinition, options: ExecuteOptions<S>): Promise<ExecutedExperiment<P, S>> {
  return executeAs<P, S>('execute', def, options);
}

/** `execute`, with errors named after the public function `where` the user called (e.g. `runConvictionExperiment`). */
export async function executeAs<P extends object, S>(
  where: string,
  def: ExperimentDefinition,
  options: ExecuteOptions<S>,
): Promise<ExecutedExperiment<P, S>> {
  if (typeof def !== 'object' || def === null || typeof def.module !== 'string' || typeof def.export !== 'string') {
    throw new TypeError(`${where}: the definition must be { module: string, export: string, args }, got ${showValue(def)}`);
  }
  checkRunOptions(where, options, EXECUTE_KEYS);
  // A checkpointed result replays with the run's own code and generator: it cannot cross threads.
  if (options.keep === 'checkpoints') {
    throw new ConfigError(`${where}: keep 'checkpoints' replays records in the thread that ran them; use simulate or simulateV3, or keep 'all', 'last' or 'metrics'`);
  }
  validateSeed(options.seed);
  if (options.workers !== undefined) checkOption(where, 'workers', options.workers, { integer: true, min: 1, max: MAX_WORKERS });
  if (options.workerHeapMb !== undefined) checkOption(where, 'workerHeapMb', options.workerHeapMb, { integer: true, min: 16 });
  for (const key of ['isolate', 'cancelOnInterrupt'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new TypeError(`${where}: ${key} must be true or false, got ${showValue(options[key])}`);
    }
  }
  if (options.signal?.aborted) throw new CancelledError(`${where}: cancelled before it started`);
  const range = options.jobs;
  if (range !== undefined) {
    if (typeof range !== 'object' || range === null) throw new TypeError(`${where}: jobs must be { from, to }, got ${showValue(range)}`);
    checkOption(where, 'jobs.from', range.from, { integer: true, min: 0 });
    checkOption(where, 'jobs.to', range.to, { integer: true, min: range.from });
  }
  if (options.rows !== undefined) {
    if (typeof options.rows !== 'object' || options.rows === null || typeof options.rows.module !== 'string' || typeof options.rows.export !== 'string') {
      throw new TypeError(`${where}: rows must be { module: string, export: string, args }, got ${showValue(options.rows)}`);
    }
    if (options.collect !== false) throw new TypeError(`${where}: rows needs collect: false (encoded rows are handed to onRows, not kept)`);
  }
  const built = buildExperiment<P, S>(def);
  const encoder = options.rows ? buildRowEncoder<P, S>(options.rows) : undefined;
  for (const sim of built.simulations) sim.generator?.checkSeed(options.seed);
  if (range !== undefined) {
    const all = countJobs(built.simulations);
    if (range.to > all) throw new RangeError(`${where}: jobs.to must be at most the experiment's ${all} jobs, got ${range.to}`);
  }
  // Local indices 0 … total-1 (the range's jobs); `first` maps them back to planJobs order.
  const first = range?.from ?? 0;
  const jobs = planJobRange(built.simulations, range);
  const params = paramsBySubset(jobs);
  const total = jobs.length;
  // An empty shard (N above the number of jobs) has nothing to wait for.
  if (total === 0) return { results: [], failures: [], params };
  const computeThreads = Math.max(1, Math.min(options.workers ?? 1, total));
  const threads = options.isolate ? computeThreads : computeThreads - 1;
  const heapMb = options.workerHeapMb ?? defaultHeapMb(threads);
  const out: ExecutedExperiment<P, S> = { results: [], failures: [], params };
  // Finished jobs wait here until every job before them has finished, so outcomes leave in job order.
  const slots: Array<Settled<S> | undefined> = new Array(total);
  let done = 0;
  let emitted = 0;
  const finish = (i: number, r: Settled<S>): void => {
    slots[i] = r;
    done++;
    while (emitted < total && slots[emitted] !== undefined) {
      const x = slots[emitted]!;
      if ('failure' in x && options.onError !== 'collect') throw x.failure;
      if ('encoded' in x) {
        options.onRows?.(first + emitted, x.encoded);
        deliver(out, options, first + emitted, jobs[emitted], { simulation: x.simulation, subset: x.subset, run: x.run, records: [], metrics: [] });
      } else deliver(out, options, first + emitted, jobs[emitted], x);
      slots[emitted++] = undefined;
    }
    options.onProgress?.(done, total);
  };
  const runHere = (i: number): Settled<S> => {
    const job = jobs[i];
    const run = () => tryRunJob(built.simulations[job.simulation], job, { seed: options.seed, keep: options.keep, metrics: built.metrics }, where);
    return runAndEncode(run, job, encoder, (e) => runFailed(where, job, e)).settled;
  };
  const call = new Call<S>(where, def, options, total, threads, !options.isolate, heapMb, built.codec, finish, runHere, jobs);

  const cleanups: Array<() => void> = [];
  if (options.signal) {
    const onAbort = (): void => call.cancel(new CancelledError(`${where}: cancelled (signal aborted)`));
    options.signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => options.signal!.removeEventListener('abort', onAbort));
  }
  // Only when the host handles SIGINT itself: otherwise SIGINT ends the process, workers included,
  // and a listener here would take that default away. Asked after a tick: tslab runs a cell's first
  // synchronous part under vm's breakOnSigint, which detaches every SIGINT listener meanwhile.
  await null;
  if (options.cancelOnInterrupt !== false && (process.listenerCount('SIGINT') > 0 || '__tslab__' in globalThis)) {
    const onSigint = (): void => call.cancel(new CancelledError(`${where}: interrupted (SIGINT)`));
    process.on('SIGINT', onSigint);
    cleanups.push(() => process.off('SIGINT', onSigint));
  }
  try {
    await call.start();
  } finally {
    for (const c of cleanups) c();
  }
  return out;
}

/** Worker heap limit: the machine's memory (or the cgroup's) shared by as many threads as cores, plus this one. */
function defaultHeapMb(threads: number): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const bytes = Math.min(os.totalmem(), constrained ? constrained : Infinity);
  // Per core rather than per requested worker, so pooled workers stay reusable whatever `workers` is.
  const shares = Math.max(threads, os.availableParallelism()) + 1;
  return Math.max(256, Math.floor((0.75 * bytes) / 2 ** 20 / shares));
}

/** A message to a worker: learn an experiment, run one of its jobs, or forget it. */
export type ToWorker =
  | { type: 'define'; call: number; def: ExperimentDefinition; jobs?: JobRange; rows?: ExperimentDefinition }
  | { type: 'job'; call: number; index: number; seed: Seed; keep?: KeepMode }
  | { type: 'forget'; call: number };

/** An error as it crosses threads: where the run stopped and the original error's name, message and stack. */
export interface WireError {
  location?: RunLocation;
  cause: { name: string; message: string; stack?: string };
}

/** A message from a worker. */
export type FromWorker =
  | { type: 'result'; call: number; index: number; run: EncodedRun }
  | { type: 'rows'; call: number; index: number; rows: EncodedRows }
  | { type: 'failure'; call: number; index: number; error: WireError };

/** Flattens a failure for postMessage (an Error's class and extra fields do not survive cloning). */
export function toWire(e: unknown): WireError {
  const cause = e instanceof RunError ? e.cause : e;
  const c =
    cause instanceof Error
      ? { name: cause.name, message: cause.message, stack: cause.stack }
      : { name: 'Error', message: String(cause) };
  return { location: e instanceof RunError ? e.location : undefined, cause: c };
}

/** Rebuilds a worker's failure as a `RunError` whose cause carries the worker's stack. */
function fromWire(where: string, job: Job<unknown>, w: WireError): RunError {
  const cause = new Error(w.cause.message);
  cause.name = w.cause.name;
  if (w.cause.stack) cause.stack = w.cause.stack;
  return runFailed(where, w.location ?? { simulation: job.simulation, subset: job.subset, run: job.run }, cause);
}

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


function startWorker(heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  if (__filename.endsWith('.ts')) {
    // Under tsx (the tests) this module is TypeScript, and Node 20 will not start a
    // worker from a .ts file: register tsx inside the worker, then load it.
    const file = path.join(__dirname, 'worker.ts');
    const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
    return new Worker(code, { eval: true, resourceLimits });
  }
  return new Worker(path.join(__dirname, 'worker.js'), { resourceLimits });
}

/** Jobs kept in flight per worker, so a worker never waits for the main thread between runs. */
const IN_FLIGHT = 4;

/** A job sent to a worker: which experiment (call) and which job index. */
interface Slot {
  call: number;
  index: number;
}

/** What the pool tells an experiment about its jobs. */
interface CallListener {
  message(w: Worker, m: FromWorker): void;
  /** The worker died while running this job (it was first in the worker's queue). */
  lost(index: number, reason: string): void;
  /** The worker died before starting this job: run it elsewhere. */
  requeue(index: number): void;
  /** The worker is gone; replace it if work remains. */
  gone(w: Worker): void;
}

/**
 * The process's worker threads, kept between experiments: a fresh worker spends
 * its first hundred runs compiling, so reusing it keeps repeated experiments (a
 * notebook session, a sweep after a sweep) at full speed. Idle workers are
 * unref'd, so they never keep the process alive.
 *
 * Each worker runs its messages in order, so the first slot of its queue is the
 * job it is running and the others have not started: when it dies (exit, crash,
 * out of memory, terminate) the first is that run's failure and the others go
 * back to their experiment. Every job thus ends in a result or a failure, and
 * which runs fail does not depend on the number of workers.
 */
const pool = {
  /** Live workers by heap limit. */
  workers: new Map<number, Worker[]>(),
  queues: new Map<Worker, Slot[]>(),
  /** Why a worker died, from its 'error' event, for the run it took with it. */
  reasons: new Map<Worker, string>(),
  heaps: new Map<Worker, number>(),
  /** Workers terminated on purpose (a cancelled experiment): their first job is not a failure. */
  terminating: new Set<Worker>(),
  calls: new Map<number, CallListener>(),
  nextCall: 1,
};

function spawnWorker(heapMb: number): Worker {
  const w = startWorker(heapMb);
  pool.queues.set(w, []);
  pool.heaps.set(w, heapMb);
  const list = pool.workers.get(heapMb) ?? [];
  list.push(w);
  pool.workers.set(heapMb, list);
  w.on('message', (m: FromWorker) => {
    const q = pool.queues.get(w);
    const at = q ? q.findIndex((x) => x.call === m.call && x.index === m.index) : -1;
    if (at >= 0) q!.splice(at, 1);
    if (q && q.length === 0) w.unref();
    pool.calls.get(m.call)?.message(w, m);
  });
  w.on('error', (err: Error & { code?: string }) => {
    pool.reasons.set(
      w,
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `worker thread ran out of memory (heap limit ${heapMb} MB)`
        : `worker thread crashed: ${err.message}`,
    );
  });
  w.on('exit', (code) => workerExited(w, code));
  // After the listeners: adding a 'message' listener refs the worker's port again.
  w.unref();
  return w;
}

function workerExited(w: Worker, code: number): void {
  const heapMb = pool.heaps.get(w)!;
  pool.workers.set(heapMb, (pool.workers.get(heapMb) ?? []).filter((x) => x !== w));
  const queue = pool.queues.get(w) ?? [];
  const reason = pool.reasons.get(w) ?? `worker thread exited with code ${code}`;
  const intentional = pool.terminating.has(w);
  w.unref(); // a ref taken while it was dying must not keep the process alive
  for (const m of [pool.queues, pool.reasons, pool.heaps]) m.delete(w);
  pool.terminating.delete(w);
  queue.forEach((slot, k) => {
    const c = pool.calls.get(slot.call);
    if (!c) return;
    if (k === 0 && !intentional) c.lost(slot.index, reason);
    else c.requeue(slot.index);
  });
  for (const c of [...pool.calls.values()]) c.gone(w);
}

/** Pooled workers with this heap limit that can take work (not being terminated). */
function liveWorkers(heapMb: number): Worker[] {
  return (pool.workers.get(heapMb) ?? []).filter((w) => !pool.terminating.has(w));
}

/** `count` live pooled workers with this heap limit, started as needed. */
function poolWorkers(count: number, heapMb: number): Worker[] {
  let list = liveWorkers(heapMb);
  while (list.length < count) {
    spawnWorker(heapMb);
    list = liveWorkers(heapMb);
  }
  return list.slice(0, count);
}

function send(w: Worker, m: ToWorker): void {
  if (m.type === 'job') {
    const q = pool.queues.get(w)!;
    q.push({ call: m.call, index: m.index });
    if (q.length === 1) w.ref(); // keep the process alive while a worker has work
  }
  w.postMessage(m);
}

/**
 * One experiment's execution: jobs 0..total-1 on `threads` pooled worker threads
 * and, when `local`, on this thread too (it yields between runs so worker results
 * keep flowing, and so a cancel can arrive). Jobs a dead worker had not started
 * are run first, lowest index first, so the in-order delivery is not held up.
 */
class Call<S> {
  private readonly id = pool.nextCall++;
  private next = 0;
  private readonly requeued: number[] = [];
  private settled = 0;
  private stopped = false;
  private readonly mine = new Set<Worker>();
  private readonly inFlight = new Map<Worker, number>();
  private resolve!: () => void;
  private reject!: (e: unknown) => void;

  constructor(
    private readonly where: string,
    private readonly def: ExperimentDefinition,
    private readonly options: ExecuteOptions<S>,
    private readonly total: number,
    private readonly threads: number,
    private readonly local: boolean,
    private readonly heapMb: number,
    private readonly codec: StateCodec<S> | undefined,
    private readonly finish: (i: number, r: Settled<S>) => void,
    private readonly runHere: (i: number) => Settled<S>,
    private readonly jobs: ReadonlyArray<Job<unknown>> = [],
  ) {}

  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      if (this.threads > 0) {
        pool.calls.set(this.id, {
          message: (w, m) => this.onMessage(w, m),
          lost: (i, reason) => this.settle(i, { failure: runFailed(this.where, this.locationOf(i), new Error(reason)) }),
          requeue: (i) => this.onRequeue(i),
          gone: (w) => this.onGone(w),
        });
        for (const w of poolWorkers(this.threads, this.heapMb)) this.enlist(w);
      }
      if (this.local) setImmediate(() => this.runLocal());
    });
  }

  /** Stops dispatching and terminates the workers running this experiment's jobs, then rejects with `err`. */
  cancel(err: Error): void {
    this.stop(err);
  }

  /**
   * Ends the experiment: resolves when every job has settled, else rejects with `err` (a cancel, the
   * first failure, a throwing callback). Stopping early terminates the workers running one of its
   * runs: only that stops a run in progress, and a run that never ends would otherwise hold its
   * thread, and the process, for ever. The pool starts other workers when needed.
   */
  private stop(err?: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    pool.calls.delete(this.id);
    for (const w of this.mine) {
      if (err !== undefined && pool.queues.get(w)?.[0]?.call === this.id) {
        pool.terminating.add(w);
        void w.terminate();
      } else if (!pool.terminating.has(w)) {
        // Jobs still queued on it come back as "unknown experiment" and are dropped.
        w.postMessage({ type: 'forget', call: this.id } satisfies ToWorker);
      }
    }
    if (err === undefined) this.resolve();
    else this.reject(err);
  }

  private locationOf(i: number): RunLocation {
    const j = this.jobs[i];
    return { simulation: j.simulation, subset: j.subset, run: j.run };
  }

  private take(): number | undefined {
    if (this.stopped) return undefined;
    if (this.requeued.length) return this.requeued.shift();
    return this.next < this.total ? this.next++ : undefined;
  }

  private enlist(w: Worker): void {
    this.mine.add(w);
    this.inFlight.set(w, 0);
    w.postMessage({ type: 'define', call: this.id, def: this.def, jobs: this.options.jobs, rows: this.options.rows } satisfies ToWorker);
    this.fill(w);
  }

  private fill(w: Worker): void {
    while (!this.stopped && (this.inFlight.get(w) ?? IN_FLIGHT) < IN_FLIGHT) {
      const index = this.take();
      if (index === undefined) return;
      this.inFlight.set(w, this.inFlight.get(w)! + 1);
      send(w, { type: 'job', call: this.id, index, seed: this.options.seed, keep: this.options.keep });
    }
  }

  /** Records an outcome; a throw from `finish` (the first failure, or a user callback) stops the experiment with it. */
  private settle(i: number, r: Settled<S>): void {
    if (this.stopped) return;
    this.settled++;
    try {
      this.finish(i, r);
    } catch (e) {
      this.stop(e);
      return;
    }
    if (this.settled === this.total) this.stop();
  }

  private onMessage(w: Worker, m: FromWorker): void {
    this.inFlight.set(w, Math.max(0, (this.inFlight.get(w) ?? 1) - 1));
    if (this.stopped) return;
    const r: Settled<S> =
      m.type === 'result'
        ? decodeRun(m.run, this.codec)
        : m.type === 'rows'
          ? m.rows
          : { failure: fromWire(this.where, this.jobs[m.index], m.error) };
    this.settle(m.index, r);
    this.fill(w);
  }

  private onRequeue(i: number): void {
    if (this.stopped) return;
    const at = this.requeued.findIndex((x) => x > i);
    this.requeued.splice(at < 0 ? this.requeued.length : at, 0, i);
  }

  private onGone(w: Worker): void {
    if (!this.mine.delete(w)) return;
    this.inFlight.delete(w);
    // Only when there is work to hand it: the jobs queued on other workers end with them.
    if (this.stopped || (this.requeued.length === 0 && this.next >= this.total)) return;
    // Replace it (a new thread, or another pooled one), so requeued jobs always have somewhere to run.
    const live = liveWorkers(this.heapMb).filter((x) => !this.mine.has(x));
    this.enlist(live[0] ?? spawnWorker(this.heapMb));
  }

  private runLocal(): void {
    // Alone, this thread runs for a slice before yielding (a cancel must get through); with
    // workers, one run per turn, so their results are taken in promptly.
    const until = performance.now() + (this.threads > 0 ? 0 : 20);
    do {
      const i = this.take();
      if (i === undefined) return;
      this.settle(i, this.runHere(i));
    } while (!this.stopped && performance.now() < until);
    if (!this.stopped) setImmediate(() => this.runLocal());
  }
}
