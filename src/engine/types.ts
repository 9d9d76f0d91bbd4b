/**
 * Types of the cadCAD-style engine (MODEL_SPEC §1). Nothing here knows about
 * conviction voting: a model is a list of partial state update blocks over a
 * record of state variables.
 */

/** A stream of uniform numbers on [0, 1), seeded per run. */
export type Rng = () => number;

/**
 * A run's seeded source of random draws. Each generator brings its own
 * algorithm for every distribution: the default one builds them from its
 * uniform stream, the numpy-compatible one uses numpy's legacy algorithms so
 * that a run reproduces the Python original's stream draw for draw.
 */
export interface RandomSource {
  /** Uniform on [0, 1). */
  random(): number;
  /** Exponential with mean `scale` (location 0). */
  exponential(scale: number): number;
  /** Gamma with `shape` > 0 and `scale` (location 0, mean shape·scale). */
  gamma(shape: number, scale: number): number;
  /** Standard normal. */
  normal(): number;
  /** A whole number in [0, n), each equally likely (n ≥ 1). */
  integer(n: number): number;
  /** A snapshot of the generator's position (plain data); `keep: 'checkpoints'` needs it to replay. */
  getState?(): unknown;
  /** Puts the generator back where `getState()` was taken: the draws that follow repeat exactly. */
  setState?(state: unknown): void;
}

/** Where a policy or update is being called: the run's identity and its generator. */
export interface Context {
  /** Model index (A/B experiments), from 0. */
  simulation: number;
  /** Parameter-set index within a sweep, from 0. */
  subset: number;
  /** Monte Carlo run, from 1. */
  run: number;
  /** Timestep being computed, from 1. */
  timestep: number;
  /** The run's seeded generator: the only source of randomness. */
  rng: RandomSource;
}

/** The identifying columns every record carries. */
export interface RecordMeta {
  simulation: number;
  subset: number;
  run: number;
  substep: number;
  timestep: number;
}

/** One record: the state variables after a substep plus where it was produced. */
export type StateRecord<S> = S & RecordMeta;

/** Read-only view of the records produced so far in a run. */
export type History<S> = ReadonlyArray<StateRecord<S>>;

/** A signal record returned by a policy: name -> value. */
export type Signals = Record<string, unknown>;

/**
 * A policy: reads the state, returns signals. It must not change the state.
 * `G` is the record of signals its block's updates read (a model's own
 * interface); the engine itself only sees the erased `Signals`.
 */
export type Policy<P, S, G extends object = Signals> = (
  params: P,
  substep: number,
  history: History<S>,
  state: Readonly<S>,
  ctx: Context,
) => G;

/**
 * A state update: returns `[itsOwnVariableName, newValue]`. It may mutate objects inside `state`.
 * `input` is the block's aggregated signals, typed `G`.
 */
export type StateUpdate<P, S, K extends keyof S = keyof S, G extends object = Signals> = (
  params: P,
  substep: number,
  history: History<S>,
  state: S,
  input: G,
  ctx: Context,
) => readonly [K, S[K]];

/**
 * A partial state update block: ordered policies, then ordered state updates.
 * `G` types the signals its policies return and its updates read; a list of
 * blocks with different `G` holds them erased through `block()`.
 */
export interface PartialStateUpdateBlock<P, S, G extends object = Signals> {
  /** What the block does, shown in docs and errors. */
  description?: string;
  /** Policies in call order. */
  policies: Record<string, Policy<P, S, G>>;
  /** State variable name -> its update, in call order. */
  variables: { [K in keyof S]?: StateUpdate<P, S, K, G> };
}

/**
 * Combines two values of a signal that several policies emitted under one name.
 * `name` is given so an aggregation can treat signals differently.
 */
export type Aggregation = (a: unknown, b: unknown, name: string) => unknown;

/**
 * A state value that knows how to copy itself cheaply (structural sharing,
 * copy-on-write). The engine uses `fork` instead of a deep copy, and calls
 * `freeze` on the value it stores in a record so that it can never change.
 */
export interface Forkable<T> {
  fork(): T;
  freeze?(): void;
}

/**
 * What to keep while running (decided before the run, not after). `checkpoints`
 * keeps the state every K timesteps with the generator's position, and rebuilds
 * any other record on demand by replaying from the nearest one (`RunResult.recordAt`).
 */
export type KeepMode = 'all' | 'last' | 'metrics' | 'checkpoints';

/** Named functions of a state, computed per kept record when `keep` is `metrics`. */
export type Metrics<S> = Record<string, (state: S) => number | string | null>;
