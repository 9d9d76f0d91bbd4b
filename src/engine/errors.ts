/**
 * The project's errors, by kind, so callers map them by class rather than by
 * message: a `ConfigError` or `UsageError` is the user's to fix (the CLI prints
 * one line and exits 2); a `RunError` is a run that failed while running (the
 * CLI prints one line and exits 1). Messages start with where they come from
 * (`config:`, `networkAt:`, `simulate:`), graphology style.
 */

/** A value outside what a parameter or option allows; the message names the field, the value and the range. */
export class ConfigError extends RangeError {
  override name = 'ConfigError';
}

/** A command line that cannot be carried out as given (unknown flag, flag twice, bad path). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where in an experiment a run failed. */
export interface RunLocation {
  simulation: number;
  subset: number;
  run: number;
  /** The timestep being computed, 0 for the genesis. */
  timestep?: number;
  /** The substep (block number, from 1) being computed. */
  substep?: number;
  /** The block's name and description. */
  block?: string;
}

/** A run that threw: the original error is its `cause` (stack kept), the message says where. */
export class RunError extends Error {
  override name = 'RunError';
  readonly location: RunLocation;

  constructor(message: string, location: RunLocation, options?: { cause?: unknown }) {
    super(message, options);
    this.location = location;
  }
}

/** An experiment stopped before it finished: its `signal` aborted or the host (a notebook kernel) was interrupted. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** "simulation 0, subset 0, run 3, timestep 17, substep 2, block 2 (progress of funded work)": as much as is known. */
export function describeLocation(loc: RunLocation): string {
  let s = `simulation ${loc.simulation}, subset ${loc.subset}, run ${loc.run}`;
  if (loc.timestep !== undefined) s += `, timestep ${loc.timestep}`;
  if (loc.substep !== undefined) s += `, substep ${loc.substep}`;
  if (loc.block !== undefined) s += `, ${loc.block}`;
  return s;
}

/** A `RunError` for `cause` at `loc`, its message prefixed with the calling function: `simulate: run failed (…): …`. */
export function runFailed(where: string, loc: RunLocation, cause: unknown): RunError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new RunError(`${where}: run failed (${describeLocation(loc)}): ${message}`, loc, { cause });
}

/** The same failure named by another function (the public entry point the user called), same location and cause. */
export function relabel(e: RunError, where: string): RunError {
  return runFailed(where, e.location, e.cause);
}
