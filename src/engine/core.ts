/**
 * One run of a cadCAD-style simulation (MODEL_SPEC §1): the substep loop, the
 * state copies and the records. Wrappers (Model, Simulation, Experiment) and
 * execution (sequential, workers) live in their own modules.
 */
import { CheckpointHistory, checkCheckpointSpec, type Checkpoint } from './checkpoints';
import { runFailed, type RunLocation } from './errors';
import type {
  Aggregation,
  Context,
  Forkable,
  History,
  KeepMode,
  Metrics,
  PartialStateUpdateBlock,
  RandomSource,
  RecordMeta,
  Signals,
  StateRecord,
} from './types';

/** A row of metric values with the identifying columns. */
export type MetricRow = RecordMeta & Record<string, number | string | null>;

/** Everything one run needs. */
export interface RunSpec<P, S> {
  blocks: ReadonlyArray<PartialStateUpdateBlock<P, S>>;
  params: P;
  /** The genesis state; it is copied, never mutated. */
  genesis: S;
  timesteps: number;
  rng: RandomSource;
  simulation: number;
  subset: number;
  run: number;
  /** How signals of the same name combine; default: sum of numbers. */
  aggregate?: Aggregation;
  /** `all`: every substep; `last`: genesis + last substep of each timestep; `metrics`: only metric rows. */
  keep?: KeepMode;
  /** Computed at genesis and at the last substep of every timestep. */
  metrics?: Metrics<S>;
  /** With `keep: 'checkpoints'`: a checkpoint every this many timesteps (a whole number ≥ 1; default 10). */
  checkpointEvery?: number;
  /**
   * False when no policy or update reads its `history` argument (`Model.usesHistory`).
   * With `keep: 'metrics'` or `'checkpoints'` the run then updates one state in place
   * instead of copying it at every substep (radCAD's `deepcopy=False`): the same rows,
   * without the copies nobody keeps. Policies then get a history that throws when read.
   */
  usesHistory?: boolean;
}

/** What one run returns. */
export interface RunResult<S> {
  simulation: number;
  subset: number;
  run: number;
  /** Kept records (empty when `keep` is `metrics`). */
  records: StateRecord<S>[];
  /** Metric rows at genesis and at every timestep's last substep (when metrics were given). */
  metrics: MetricRow[];
  /**
   * With `keep: 'checkpoints'`: the record at (timestep, substep), rebuilt by
   * replaying from the nearest checkpoint; equal to what `keep: 'all'` stores.
   */
  recordAt?: (timestep: number, substep: number) => StateRecord<S>;
  /** With `keep: 'checkpoints'`: the checkpoints themselves and the replay. */
  checkpoints?: CheckpointHistory<S>;
}

/** cadCAD's default aggregation: `a + b`, defined here for numbers only. */
export const sumSignals: Aggregation = (a, b, name) => {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  throw new Error(
    `engine: signal '${name}' is emitted by several policies but is not numeric; pass an 'aggregate' function`,
  );
};

function isForkable(v: unknown): v is Forkable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Forkable<unknown>).fork === 'function';
}

/** An independent copy of a state: `fork()` where a value offers it, else a deep copy. */
export function copyState<S>(state: S): S {
  return copyKeys(state as object, Object.keys(state as object)) as S;
}

function freezeState<S>(state: S): void {
  for (const v of Object.values(state as Record<string, unknown>)) {
    if (isForkable(v) && v.freeze) v.freeze();
  }
}

const META_KEYS = new Set(['simulation', 'subset', 'run', 'substep', 'timestep']);

/** Checks a model's blocks against its state before anything runs. */
export function checkBlocks<P, S>(blocks: ReadonlyArray<PartialStateUpdateBlock<P, S>>, genesis: S): void {
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw new Error('engine: a model needs at least one partial state update block');
  }
  const keys = new Set(Object.keys(genesis as object));
  for (const k of keys) {
    if (META_KEYS.has(k)) throw new Error(`engine: state variable '${k}' clashes with a record column`);
  }
  blocks.forEach((b, i) => {
    for (const name of Object.keys(b.variables)) {
      if (!keys.has(name)) {
        throw new Error(`engine: ${blockName(b, i)} updates unknown state variable '${name}'`);
      }
    }
  });
}

/** How an error message shows a value of the wrong shape: its type, or null / an array. */
function shapeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v).slice(0, 40)}`;
}

function blockName<P, S>(b: PartialStateUpdateBlock<P, S>, i: number): string {
  return `block ${i + 1}${b.description ? ` (${b.description})` : ''}`;
}

function metricRow<S>(metrics: ReadonlyArray<[string, (state: S) => number | string | null]>, state: S, meta: RecordMeta): MetricRow {
  // Copy only the identifying columns: `meta` may be a whole record, network included.
  const { simulation, subset, run, substep, timestep } = meta;
  const row: MetricRow = { simulation, subset, run, substep, timestep };
  for (let m = 0; m < metrics.length; m++) row[metrics[m][0]] = metrics[m][1](state);
  return row;
}

/** A block resolved once per run: the substep loop runs 400 times per default run. */
export interface CompiledBlock {
  name: string;
  policies: Array<[string, Function]>;
  variables: Array<[string, Function]>;
}

/** The blocks as lists of entries, named for errors. */
export function compileBlocks<P, S>(blocks: ReadonlyArray<PartialStateUpdateBlock<P, S>>): CompiledBlock[] {
  return blocks.map((block, i) => ({
    name: blockName(block, i),
    policies: Object.entries(block.policies) as Array<[string, Function]>,
    variables: Object.entries(block.variables) as Array<[string, Function]>,
  }));
}

/** What every substep of a run shares: used by the run and by replays from checkpoints. */
export interface SubstepRunner<P, S> {
  compiled: CompiledBlock[];
  keys: ReadonlyArray<string>;
  params: P;
  aggregate: Aggregation;
  simulation: number;
  subset: number;
  run: number;
}

/**
 * Substep k of timestep `ctx.timestep` from the record `prev`: a copy of the
 * state, the block's policies (signals aggregated), its updates, frozen.
 */
export function runSubstep<P, S>(r: SubstepRunner<P, S>, k: number, prev: StateRecord<S>, window: History<S>, ctx: Context): StateRecord<S> {
  const s = copyKeys(prev, r.keys) as S;
  applyBlock(r, k, s, window, ctx);
  freezeState(s);
  return toRecord(s, r.keys, r.simulation, r.subset, r.run, k, ctx.timestep);
}

/** Block k on the state `s` itself: its policies (signals aggregated), then its updates written into `s`. */
function applyBlock<P, S>(r: SubstepRunner<P, S>, k: number, s: S, window: History<S>, ctx: Context): void {
  const { params, aggregate } = r;
  const block = r.compiled[k - 1];
  const input: Signals = {};
  for (const [policyName, policy] of block.policies) {
    const out = policy(params, k, window, s, ctx);
    if (typeof out !== 'object' || out === null || Array.isArray(out)) {
      throw new TypeError(`engine: ${block.name} policy '${policyName}' must return an object of signals, got ${shapeOf(out)}`);
    }
    for (const name in out) {
      if (!Object.prototype.hasOwnProperty.call(out, name)) continue;
      // An own-key test: a signal may be called 'constructor' or 'toString'.
      input[name] = Object.prototype.hasOwnProperty.call(input, name) ? aggregate(input[name], out[name], name) : out[name];
    }
  }
  const next = s as Record<string, unknown>;
  for (const [variable, update] of block.variables) {
    const result = update(params, k, window, s, input, ctx) as readonly [string, unknown];
    if (!Array.isArray(result) || result.length !== 2) {
      throw new TypeError(`engine: ${block.name} update for '${variable}' must return [name, value], got ${shapeOf(result)}`);
    }
    if (result[0] !== variable) {
      throw new Error(
        `engine: ${block.name} update for '${variable}' returned key '${String(result[0])}'` +
          (result[0] in next ? '' : ' (unknown state variable)'),
      );
    }
    next[variable] = result[1];
  }
}

/**
 * The history a run in place passes to policies: nothing is kept, so reading it
 * is a model's mistake (it declared `usesHistory: false`) and says so.
 */
const NO_HISTORY: History<never> = new Proxy(Object.freeze([]) as never[], {
  get() {
    throw new Error('engine: this model declares usesHistory: false, so history is not kept; a policy or update read it');
  },
});

/** Runs one simulation: returns its records (1 + T×B with `keep: 'all'`) and metric rows. */
export function runOnce<P, S>(spec: RunSpec<P, S>): RunResult<S> {
  const { blocks, params, timesteps, rng, simulation, subset, run } = spec;
  const aggregate = spec.aggregate ?? sumSignals;
  const keep = spec.keep ?? 'all';
  checkBlocks(blocks, spec.genesis);
  const every = keep === 'checkpoints' ? checkCheckpointSpec(spec) : 0;
  const runner: SubstepRunner<P, S> = {
    compiled: compileBlocks(blocks),
    keys: Object.keys(spec.genesis as object),
    params,
    aggregate,
    simulation,
    subset,
    run,
  };
  const compiled = runner.compiled;

  const metrics = spec.metrics ? Object.entries(spec.metrics) : null;
  const records: StateRecord<S>[] = [];
  let metricRows: MetricRow[] = [];
  let checkpoints: Array<Checkpoint<S>> = [];
  if ((keep === 'metrics' || keep === 'checkpoints') && spec.usesHistory === false) {
    // Nothing between checkpoints is kept and no policy reads history: no copies.
    ({ metricRows, checkpoints } = runInPlace(spec, runner, metrics, every));
    return finish(spec, runner, { simulation, subset, run, records, metrics: metricRows }, checkpoints, every);
  }
  // Policies see `history`: every record with keep 'all'; otherwise a rolling
  // window (the previous timestep's last record and this timestep's substeps),
  // because keeping more would defeat the memory the modes exist to save.
  let window: StateRecord<S>[] = records;
  // Where the run is, for the error that names it; one try around the whole
  // loop costs nothing per substep, unlike one per policy call.
  let t = 0;
  let k = 0;
  let phase: string | undefined = 'genesis';
  try {
    const genesisState = copyState(spec.genesis);
    freezeState(genesisState);
    let prev = toRecord(genesisState, runner.keys, simulation, subset, run, 0, 0);
    if (keep === 'all' || keep === 'last') records.push(prev);
    if (keep !== 'all') window = [prev];
    // The generator's position after genesis: replays of timestep 1 start here.
    if (every) checkpoints.push({ timestep: 0, record: prev, rng: rng.getState!() });
    phase = 'metrics';
    if (metrics) metricRows.push(metricRow(metrics, prev, prev));

    const ctx: Context = { simulation, subset, run, timestep: 0, rng };
    const B = blocks.length;
    for (t = 1; t <= timesteps; t++) {
      ctx.timestep = t;
      if (keep !== 'all') window = [prev];
      phase = undefined;
      for (k = 1; k <= B; k++) {
        const rec = runSubstep(runner, k, prev, window, ctx);
        if (keep === 'all' || (keep === 'last' && k === B)) records.push(rec);
        if (keep !== 'all') window.push(rec);
        prev = rec;
      }
      k = 0;
      if (every && t % every === 0) checkpoints.push({ timestep: t, record: prev, rng: rng.getState!() });
      phase = 'metrics';
      if (metrics) metricRows.push(metricRow(metrics, prev, prev));
    }
  } catch (e) {
    throw runFailed('runOnce', locate(compiled, simulation, subset, run, t, k, phase), e);
  }
  return finish(spec, runner, { simulation, subset, run, records, metrics: metricRows }, checkpoints, every);
}

/** A run's result, with the replay of its records when it kept checkpoints. */
function finish<P, S>(spec: RunSpec<P, S>, runner: SubstepRunner<P, S>, result: RunResult<S>, checkpoints: Array<Checkpoint<S>>, every: number): RunResult<S> {
  const { rng, timesteps, simulation, subset, run } = spec;
  if (every) {
    const step = (k: number, prev: StateRecord<S>, window: History<S>, ctx: Context): StateRecord<S> => runSubstep(runner, k, prev, window, ctx);
    const advance =
      spec.usesHistory === false
        ? (start: StateRecord<S>, from: number, to: number, substep: number, ctx: Context): StateRecord<S> =>
            advanceInPlace(runner, start, from, to, substep, ctx)
        : undefined;
    const history = new CheckpointHistory<S>({ step, advance, rng, checkpoints, every, timesteps, substeps: runner.compiled.length, simulation, subset, run });
    result.checkpoints = history;
    result.recordAt = (timestep, substep) => history.recordAt(timestep, substep);
  }
  return result;
}

/** Where a run failed: the substep's block, or the phase between substeps (genesis, metrics). */
function locate(compiled: CompiledBlock[], simulation: number, subset: number, run: number, t: number, k: number, phase: string | undefined): RunLocation {
  const loc: RunLocation = { simulation, subset, run, timestep: t };
  if (k > 0) {
    loc.substep = k;
    loc.block = compiled[k - 1].name;
  } else if (phase) {
    loc.block = phase;
  }
  return loc;
}

/**
 * `keep: 'metrics'` or `'checkpoints'` for a model that reads no history: one
 * state, copied from the genesis once and then updated in place, its metric rows
 * taken at each timestep's end. A checkpoint (every `every` timesteps, 0 for none)
 * stores that state itself, frozen, and the run goes on with a copy of it.
 */
function runInPlace<P, S>(
  spec: RunSpec<P, S>,
  runner: SubstepRunner<P, S>,
  metrics: Array<[string, (state: S) => number | string | null]> | null,
  every: number,
): { metricRows: MetricRow[]; checkpoints: Array<Checkpoint<S>> } {
  const { timesteps, rng, simulation, subset, run } = spec;
  const B = runner.compiled.length;
  const metricRows: MetricRow[] = [];
  const checkpoints: Array<Checkpoint<S>> = [];
  // The copy goes on, so that what the state carries for the live run (e.g. an index) stays live.
  const checkpoint = (state: StateRecord<S>, timestep: number): StateRecord<S> => {
    freezeState(state);
    checkpoints.push({ timestep, record: state, rng: rng.getState!() });
    return toRecord(copyKeys(state, runner.keys) as S, runner.keys, simulation, subset, run, state.substep, timestep);
  };
  let t = 0;
  let k = 0;
  let phase: string | undefined = 'genesis';
  try {
    // A record, so metrics see the same object shape as in the other modes; its
    // substep and timestep are kept current.
    let live = toRecord(copyState(spec.genesis), runner.keys, simulation, subset, run, 0, 0);
    if (every) live = checkpoint(live, 0);
    phase = 'metrics';
    if (metrics) metricRows.push(metricRow(metrics, live, live));
    const ctx: Context = { simulation, subset, run, timestep: 0, rng };
    const history = NO_HISTORY as History<S>;
    for (t = 1; t <= timesteps; t++) {
      ctx.timestep = t;
      live.timestep = t;
      phase = undefined;
      for (k = 1; k <= B; k++) {
        live.substep = k;
        applyBlock(runner, k, live, history, ctx);
      }
      k = 0;
      if (every && t % every === 0) live = checkpoint(live, t);
      phase = 'metrics';
      if (metrics) metricRows.push(metricRow(metrics, live, live));
    }
  } catch (e) {
    throw runFailed('runOnce', locate(runner.compiled, simulation, subset, run, t, k, phase), e);
  }
  return { metricRows, checkpoints };
}

/**
 * The substeps from the end of timestep `from` to substep `substep` of timestep
 * `to`, on one copy of `start`, in place; the state reached as a frozen record.
 */
function advanceInPlace<P, S>(runner: SubstepRunner<P, S>, start: StateRecord<S>, from: number, to: number, substep: number, ctx: Context): StateRecord<S> {
  const live = copyKeys(start, runner.keys) as S;
  const B = runner.compiled.length;
  const history = NO_HISTORY as History<S>;
  for (let t = from + 1; t <= to; t++) {
    ctx.timestep = t;
    const last = t === to ? substep : B;
    for (let k = 1; k <= last; k++) applyBlock(runner, k, live, history, ctx);
  }
  freezeState(live);
  return toRecord(live, runner.keys, runner.simulation, runner.subset, runner.run, substep, to);
}

/** A record: the state's variables, then the identifying columns. */
function toRecord<S>(
  state: S,
  keys: ReadonlyArray<string>,
  simulation: number,
  subset: number,
  run: number,
  substep: number,
  timestep: number,
): StateRecord<S> {
  const rec = {} as Record<string, unknown>;
  for (const k of keys) rec[k] = (state as Record<string, unknown>)[k];
  rec.simulation = simulation;
  rec.subset = subset;
  rec.run = run;
  rec.substep = substep;
  rec.timestep = timestep;
  return rec as StateRecord<S>;
}

/** An independent copy of a record's state variables (`fork()` where offered, else a deep copy). */
function copyKeys(rec: object, keys: ReadonlyArray<string>): Record<string, unknown> {
  const out = {} as Record<string, unknown>;
  for (const k of keys) {
    const v = (rec as Record<string, unknown>)[k];
    if (isForkable(v)) out[k] = v.fork();
    else if (typeof v === 'object' && v !== null) out[k] = structuredClone(v);
    else out[k] = v;
  }
  return out;
}
