/**
 * How much work and memory an experiment needs, estimated before it starts, so
 * that work which cannot fit is refused at once with one line instead of dying
 * after minutes with nothing written (issue 8, E1). A pure function of the
 * experiment's arguments; the machine's limits are passed in (defaults: this
 * machine's).
 *
 * The memory model is an upper bound that holds with overwhelming probability.
 * Participants and proposals only grow, at most one of each per timestep
 * (MODEL_SPEC PSUB 1): a participant arrives with probability
 * (1 + sentiment) / 10 <= 0.2, a proposal with probability
 * median_affinity / (1 + requested / funds) <= median_affinity. The median of
 * polarized affinities is 0.25 (P(a <= x) = sqrt(x)); we bound it by 0.5 (a
 * sample median above 0.5 is a 6-sigma event for the default 180 genesis
 * edges), or by 1 when the genesis has fewer than 100 edges. Counts are then
 * bounded by p*t + 6*sqrt(p(1-p)t) + 6 arrivals (Chernoff; never above t).
 * Each kept record owns at most its written edge columns (tokens, conviction:
 * 8 bytes each per participant × proposal slot) plus its node columns; the
 * bound is 6–12 times the memory runs were measured to hold (test/estimate.test.ts
 * checks it is never below and at most 20 times above).
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { ConfigError } from '../../engine/errors';
import type { KeepMode } from '../../engine/types';
import type { ExperimentArgs } from './experiment';
import { DEFAULT_PARAMS, type Params } from './params';

/** What an experiment needs, before it runs. */
export interface WorkEstimate {
  /** Runs to compute: runs × subsets, summed over simulations. */
  jobs: number;
  /** Output rows (the rdf): jobs × timesteps. */
  rows: number;
  /** Peak memory of the whole experiment, bytes (upper bound). */
  bytes: number;
  /** The part of `bytes` on the JavaScript heap of one thread (job lists, held metric rows). */
  heapBytes: number;
  /** Peak memory of the largest single run while it runs, bytes. */
  runBytes: number;
  /** Upper bounds of participants and proposals at the end of the largest run. */
  participants: number;
  proposals: number;
}

/** How the experiment will be executed, and the limits to check against. */
export interface EstimateOptions {
  keep?: KeepMode;
  /** Compute threads (this one + pool workers); default 1. */
  workers?: number;
  /** Whether every run's result is kept until the end (the library default) or streamed away (the CLI). */
  collect?: boolean;
  /** The --sweep lists will be crossed (their product), not zipped. */
  cartesian?: boolean;
}

/** Limits an experiment must fit. */
export interface WorkLimits {
  /** Bytes the experiment may use; default 60 % of os.totalmem(). */
  memoryBytes?: number;
  /** Bytes of one thread's JavaScript heap; default 80 % of V8's heap size limit. */
  heapBytes?: number;
  /** Most runs in one experiment; default 10,000,000. */
  maxJobs?: number;
  /** Most output rows; default 1,000,000,000 (about 150 GB of CSV). */
  maxRows?: number;
}

/** Default caps on runs and rows. */
export const MAX_JOBS = 10_000_000;
export const MAX_ROWS = 1_000_000_000;

// Byte costs, measured on Node 20 and rounded up (see the file's comment).
const PROCESS_BYTES = 80e6; // node, the model's code, one thread's baseline
const THREAD_BYTES = 40e6; // one more worker thread
const JOB_BYTES = 120; // a planned job (object, params reference) and its slot, per thread that plans
const SUBSET_BYTES = 1200; // one parameter set object
const CARTESIAN_ROW_BYTES = 80; // per crossed set and parameter, while --cartesian expands
const METRIC_ROW_BYTES = 480; // one metric row object with its 18 numbers and 5 ids (measured up to ~350 B; kept above it)
const RECORD_BYTES = 400; // a record object, its meta and its network header
const EDGE_BYTES = 16; // tokens + conviction, written per participant × proposal slot
const NODE_BYTES = 64; // participant and proposal columns per node
const GENESIS_NODE_BYTES = 96; // genesis draws held as JS arrays, per participant (plus 8 per proposal)
const IN_FLIGHT = 4; // results a pool worker may have waiting (executor.ts)

function growthBound(p: number, t: number): number {
  return Math.min(t, p * t + 6 * Math.sqrt(p * (1 - p) * t) + 6);
}

/** Upper bounds of participants and proposals after `t` timesteps from a genesis of `n` and `m`. */
export function populationBound(params: Pick<Params, 'n' | 'm' | 'sentiment'>, t: number): { participants: number; proposals: number } {
  const pIn = (1 + params.sentiment) / 10;
  const pProp = params.n * params.m >= 100 ? 0.5 : 1;
  return { participants: params.n + growthBound(pIn, t), proposals: params.m + growthBound(pProp, t) };
}

function sweepValues(sweep: ExperimentArgs['simulations'][number]['sweep']): Array<[keyof Params, number[]]> {
  return Object.entries(sweep ?? {}).filter(([, v]) => Array.isArray(v)) as Array<[keyof Params, number[]]>;
}

/** Upper bound of one run's memory: its working state while it runs, and what its result holds afterwards (bytes). */
export function estimateRunMemory(params: Params, timesteps: number, keep: KeepMode): { working: number; result: number; resultHeap: number; P: number; Q: number } {
  const end = populationBound(params, timesteps);
  const P = end.participants;
  const Q = end.proposals;
  // The current timestep's window (up to 5 records) each owning its written columns.
  const working = 5 * (EDGE_BYTES * P * Q + NODE_BYTES * (P + Q) + RECORD_BYTES) + params.n * GENESIS_NODE_BYTES + params.m * 8 + 2 * params.n * params.m * 8;
  const metrics = (timesteps + 1) * METRIC_ROW_BYTES;
  let kept = 0;
  if (keep !== 'metrics') {
    // Sum over timesteps of the bound at t, by a coarse Riemann sum (at most 64 evaluations).
    const steps = Math.min(timesteps, 64);
    let sum = 0;
    for (let i = 1; i <= steps; i++) {
      const t = (i * timesteps) / steps;
      const b = populationBound(params, t);
      sum += EDGE_BYTES * b.participants * b.proposals + NODE_BYTES * (b.participants + b.proposals) + RECORD_BYTES;
    }
    kept = (sum * timesteps) / steps;
    // keep 'all' adds the three earlier substeps per timestep: they share most columns with the last.
    if (keep === 'all') kept *= 1.5;
  }
  // Columns live in ArrayBuffers, outside the JavaScript heap; record objects and metric rows are on it.
  const records = keep === 'all' ? 4 * timesteps + 1 : keep === 'last' ? timesteps + 1 : 0;
  return { working, result: kept + metrics, resultHeap: records * RECORD_BYTES + metrics, P, Q };
}

/** Estimates the work and memory of an experiment, before anything runs (a pure function of the arguments). */
export function estimateExperiment(args: ExperimentArgs, options: EstimateOptions = {}): WorkEstimate {
  const keep = options.keep ?? 'all';
  const threads = Math.max(1, Math.floor(options.workers ?? 1));
  const collect = options.collect ?? true;
  let jobs = 0;
  let rows = 0;
  let subsetsTotal = 0;
  let crossed = 0;
  let largest = { working: 0, result: 0, resultHeap: 0, P: 0, Q: 0 };
  let collectedHeap = 0;
  let collected = 0;
  for (const sim of args.simulations) {
    const T = sim.timesteps ?? 100;
    const runs = sim.runs ?? 1;
    const lists = sweepValues(sim.sweep);
    const lengths = lists.map(([, v]) => v.length);
    const subsets = options.cartesian ? lengths.reduce((a, l) => a * l, 1) : Math.max(1, ...lengths);
    if (options.cartesian) crossed += subsets * lists.length;
    subsetsTotal += subsets;
    jobs += runs * subsets;
    rows += runs * subsets * T;
    // The largest run: the largest n, m and sentiment anywhere in the sweep (each bound grows with them).
    const base: Params = { ...DEFAULT_PARAMS, ...(sim.params ?? {}) };
    const worst = { ...base };
    for (const [name, values] of lists) {
      if (name === 'n' || name === 'm' || name === 'sentiment') worst[name] = Math.max(...values);
    }
    const mem = estimateRunMemory(worst, T, keep);
    if (mem.working + mem.result > largest.working + largest.result) largest = mem;
    collected += collect ? runs * subsets * mem.result : 0;
    collectedHeap += collect ? runs * subsets * mem.resultHeap : 0;
  }
  const running = Math.min(threads, Math.max(1, jobs));
  const planning = JOB_BYTES * jobs * running + SUBSET_BYTES * subsetsTotal + CARTESIAN_ROW_BYTES * crossed;
  const waiting = collect ? collected : running * IN_FLIGHT * largest.result;
  const heapBytes = JOB_BYTES * jobs + SUBSET_BYTES * subsetsTotal + CARTESIAN_ROW_BYTES * crossed + (collect ? collectedHeap : running * IN_FLIGHT * largest.resultHeap);
  const bytes = PROCESS_BYTES + THREAD_BYTES * (running - 1) + planning + running * largest.working + waiting;
  return {
    jobs,
    rows,
    bytes,
    heapBytes,
    runBytes: largest.working + largest.result,
    participants: Math.ceil(largest.P),
    proposals: Math.ceil(largest.Q),
  };
}

/** This machine's limits, or the caps given. */
export function workLimits(limits: WorkLimits = {}): Required<WorkLimits> {
  return {
    memoryBytes: limits.memoryBytes ?? Math.floor(os.totalmem() * 0.6),
    heapBytes: limits.heapBytes ?? Math.floor(v8.getHeapStatistics().heap_size_limit * 0.8),
    maxJobs: limits.maxJobs ?? MAX_JOBS,
    maxRows: limits.maxRows ?? MAX_ROWS,
  };
}

/** Formats a byte count as e.g. "5.3 GB". */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return String(b);
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = 0;
  while (b >= 1000 && i < units.length - 1) {
    b /= 1000;
    i++;
  }
  return `${b >= 100 || i === 0 ? Math.round(b) : b.toPrecision(2)} ${units[i]}`;
}

function count(x: number): string {
  return Number.isFinite(x) && x < 1e15 ? Math.round(x).toLocaleString('en-US') : x.toExponential(2);
}

/** How the names of the options read in a message: the CLI's flags or the library's fields. */
export interface OptionNames {
  runs: string;
  sweep: string;
  timesteps: string;
  keep: string;
  workers: string;
  where: string;
}

/** The library's names (`simulate`, `runConvictionExperiment`). */
export const LIBRARY_NAMES: OptionNames = { runs: 'runs', sweep: 'sweep', timesteps: 'timesteps', keep: 'keep', workers: 'workers', where: 'config' };

/**
 * Refuses, with one ConfigError line naming the options, the estimate, the
 * limit and what to do, an experiment that would exceed a cap or the memory.
 * Returns the estimate when it fits.
 */
export function checkExperimentFits(
  args: ExperimentArgs,
  options: EstimateOptions = {},
  limits: WorkLimits = {},
  names: OptionNames = LIBRARY_NAMES,
): WorkEstimate {
  const e = estimateExperiment(args, options);
  const lim = workLimits(limits);
  const n = names;
  const size = `${n.runs} × ${n.sweep} subsets${options.cartesian ? ' (crossed)' : ''}`;
  if (e.jobs > lim.maxJobs) {
    throw new ConfigError(
      `${n.where}: ${size} = ${count(e.jobs)} runs, above the limit of ${count(lim.maxJobs)} runs per experiment; use fewer runs or sweep values, or shard the experiment into several`,
    );
  }
  if (e.rows > lim.maxRows) {
    throw new ConfigError(
      `${n.where}: ${size} × ${n.timesteps} = ${count(e.rows)} output rows, above the limit of ${count(lim.maxRows)}; use fewer runs or timesteps, or shard the experiment into several`,
    );
  }
  const hint = options.keep !== 'metrics' ? `${n.keep} metrics, ` : '';
  if (e.bytes > lim.memoryBytes || e.heapBytes > lim.heapBytes) {
    const over = e.bytes > lim.memoryBytes ? `about ${formatBytes(e.bytes)} of memory, above the limit of ${formatBytes(lim.memoryBytes)} (60 % of this machine's)` : `about ${formatBytes(e.heapBytes)} of JavaScript heap, above the limit of ${formatBytes(lim.heapBytes)}`;
    throw new ConfigError(
      `${n.where}: ${size} × ${n.timesteps} with ${n.keep} ${options.keep ?? 'all'} (runs of up to ${count(e.participants)} participants × ${count(e.proposals)} proposals) needs ${over}; try ${hint}fewer runs, fewer ${n.workers}, smaller n or timesteps, or shard the experiment`,
    );
  }
  return e;
}
