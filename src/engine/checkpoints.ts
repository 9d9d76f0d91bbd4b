/**
 * History by checkpoints (`keep: 'checkpoints'`): a run keeps its state every
 * K timesteps together with the generator's position, and any other record is
 * rebuilt by replaying the substeps from the nearest checkpoint before it. The
 * replay runs the same code on the same state with the same draws, so a
 * rebuilt record equals the one `keep: 'all'` would have stored, value for
 * value, while memory holds T/K states instead of T×B. Model-agnostic: it needs
 * only a generator with `getState()`/`setState()`.
 */
import { ConfigError } from './errors';
import type { Context, History, RandomSource, StateRecord } from './types';
import { showValue } from './validate';

/** Checkpoints every this many timesteps unless the run says otherwise. */
export const DEFAULT_CHECKPOINT_EVERY = 10;

/** The state at the end of `timestep` (genesis for 0) and the generator's position there. */
export interface Checkpoint<S> {
  timestep: number;
  record: StateRecord<S>;
  rng: unknown;
}

/** What a replay needs from its run. */
export interface ReplaySource<S> {
  /** Runs substep k of `ctx.timestep` from `prev` (the run's own substep code). A method, so a source of one state type is one of any (as the engine's callbacks are). */
  step(k: number, prev: StateRecord<S>, window: History<S>, ctx: Context): StateRecord<S>;
  /**
   * Runs the substeps after the end of timestep `from` up to substep `substep` of
   * timestep `to` on one copy of `start`, in place, and returns that state as a
   * record; given when the model reads no history, so a replay copies nothing
   * on the way to the record asked for.
   */
  advance?(start: StateRecord<S>, from: number, to: number, substep: number, ctx: Context): StateRecord<S>;
  /** The run's generator; a replay moves it to a checkpoint's position first. */
  rng: RandomSource;
  checkpoints: ReadonlyArray<Checkpoint<S>>;
  every: number;
  timesteps: number;
  substeps: number;
  simulation: number;
  subset: number;
  run: number;
}

/** Checks `checkpointEvery` and the generator before a checkpointed run starts; returns K. */
export function checkCheckpointSpec(spec: { checkpointEvery?: number; rng: RandomSource }): number {
  const every = spec.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 1) {
    throw new ConfigError(`runOnce: checkpointEvery must be a whole number ≥ 1, got ${showValue(every)}`);
  }
  if (typeof spec.rng.getState !== 'function' || typeof spec.rng.setState !== 'function') {
    throw new ConfigError("runOnce: keep 'checkpoints' needs a generator with getState() and setState(), to replay from a checkpoint");
  }
  return every;
}

/** A run's checkpoints, and every record rebuilt from them on demand. */
export class CheckpointHistory<S> {
  constructor(private readonly src: ReplaySource<S>) {}

  /** Timesteps between checkpoints (K). */
  get every(): number {
    return this.src.every;
  }
  /** The stored checkpoints, in timestep order (genesis first). */
  get checkpoints(): ReadonlyArray<Checkpoint<S>> {
    return this.src.checkpoints;
  }

  /**
   * The record at (timestep, substep), as `keep: 'all'` would have stored it:
   * substep 0 at timestep 0 (genesis), substeps 1..B at timesteps 1..T.
   */
  recordAt(timestep: number, substep: number): StateRecord<S> {
    const { timesteps: T, substeps: B, every: K } = this.src;
    if (typeof timestep !== 'number' || !Number.isInteger(timestep) || timestep < 0 || timestep > T) {
      throw new RangeError(`recordAt: timestep must be a whole number in [0, ${T}], got ${showValue(timestep)}`);
    }
    const lo = timestep === 0 ? 0 : 1;
    const hi = timestep === 0 ? 0 : B;
    if (typeof substep !== 'number' || !Number.isInteger(substep) || substep < lo || substep > hi) {
      throw new RangeError(`recordAt: substep at timestep ${timestep} must be a whole number in [${lo}, ${hi}], got ${showValue(substep)}`);
    }
    if (timestep === 0) return this.src.checkpoints[0].record;
    if (substep === B && timestep % K === 0) return this.src.checkpoints[timestep / K].record;
    return this.replay(timestep, substep);
  }

  /** Every record of timestep `timestep` (substeps 1..B; genesis alone for 0), from one replay. */
  timestepRecords(timestep: number): StateRecord<S>[] {
    if (timestep === 0) return [this.recordAt(0, 0)];
    this.recordAt(timestep, 1); // checks the timestep
    const out: StateRecord<S>[] = [];
    this.replay(timestep, this.src.substeps, out);
    return out;
  }

  /** Replays from the checkpoint at or before timestep − 1 up to (timestep, substep); `out` collects that timestep's records. */
  private replay(timestep: number, substep: number, out?: StateRecord<S>[]): StateRecord<S> {
    const { rng, step, every: K, substeps: B, simulation, subset, run } = this.src;
    const cp = this.src.checkpoints[Math.floor((timestep - 1) / K)];
    rng.setState!(cp.rng);
    const ctx: Context = { simulation, subset, run, timestep: cp.timestep, rng };
    const advance = this.src.advance;
    // One record asked for: no copies on the way. A whole timestep: none before it.
    if (advance && !out) return advance(cp.record, cp.timestep, timestep, substep, ctx);
    let prev = cp.record;
    let first = cp.timestep + 1;
    if (advance && timestep - 1 > cp.timestep) {
      prev = advance(prev, cp.timestep, timestep - 1, B, ctx);
      first = timestep;
    }
    for (let t = first; t <= timestep; t++) {
      ctx.timestep = t;
      // The rolling window the run's policies saw: the previous timestep's last record, then this timestep's.
      const window: StateRecord<S>[] = [prev];
      const last = t === timestep ? substep : B;
      for (let k = 1; k <= last; k++) {
        prev = step(k, prev, window, ctx);
        window.push(prev);
        if (out && t === timestep) out.push(prev);
      }
    }
    return prev;
  }
}
