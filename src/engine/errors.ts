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
