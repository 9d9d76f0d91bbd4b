/** The Aragon Conviction Voting model, v1. */
import { runExperiment, type ExperimentResult, type Model, type RunOptions, type Simulation } from '../engine/wrappers';
import { generatorNamed, type GeneratorName } from '../engine/rng';
import type { Sweep } from '../engine/sweep';
import type { StateRecord } from '../engine/types';
import { BLOCKS } from './blocks';
import { genesisState } from './genesis';
import type { ConvictionGraph } from './network';
import { DEFAULT_PARAMS, validateParams, type Params } from './params';
import type { State } from './state';

export * from './params';
export * from './network';
export * from './maths';
export * from './random';
export * from './genesis';
export * from './blocks';
export type { State } from './state';

/** The v1 model with `overrides` on the defaults; each run draws its own genesis unless `genesis` is given. */
export function convictionVotingModel(overrides: Partial<Params> = {}, genesis?: State): Model<Params, State> {
  const params = { ...DEFAULT_PARAMS, ...overrides };
  validateParams(params);
  return { blocks: BLOCKS, params, genesis: genesis ?? genesisState, validate: validateParams };
}

/** Options of `simulate`. */
export interface SimulateOptions extends Partial<RunOptions<State>> {
  params?: Partial<Params>;
  timesteps?: number;
  runs?: number;
  sweep?: Sweep<Params>;
  /** A fixed genesis shared by every run (cadCAD's way); it is never mutated. */
  genesis?: State;
  /**
   * The generator: 'seedrandom' (default) or 'numpy', which reproduces the Python
   * original run by run: run r is the original after `np.random.seed(seed + r − 1)`
   * (seed a whole number in [0, 2^32 − 1]; see `numpyRunSeed`).
   */
  rng?: GeneratorName;
}

/** Runs the model (defaults: T = 100, N = 1, seed 0) and returns every run's records. */
export function simulate(options: SimulateOptions = {}): ExperimentResult<State> {
  const sim: Simulation<Params, State> = {
    model: convictionVotingModel(options.params, options.genesis),
    timesteps: options.timesteps ?? 100,
    runs: options.runs ?? 1,
    sweep: options.sweep,
    generator: generatorNamed(options.rng ?? 'seedrandom'),
  };
  return runExperiment([sim], { ...options, seed: options.seed ?? 0 });
}

/** The network of a run's record at (timestep, substep) as a typed graphology graph. */
export function networkAt(records: ReadonlyArray<StateRecord<State>>, timestep: number, substep?: number): ConvictionGraph {
  const matches = records.filter((r) => r.timestep === timestep && (substep === undefined || r.substep === substep));
  if (matches.length === 0) {
    throw new RangeError(`networkAt: no record at timestep ${timestep}${substep === undefined ? '' : `, substep ${substep}`}`);
  }
  // Without a substep: the last substep of that timestep, as the rdf takes it.
  return matches[matches.length - 1].network.toGraph();
}
