/** The Aragon Conviction Voting model, v3 (MODEL_SPEC_V3), on the same engine as v1. */
import { generatorNamed, type GeneratorName } from '../../engine/rng';
import { runExperiment, type ExperimentResult, type Model, type RunOptions } from '../../engine/wrappers';
import type { Sweep } from '../../engine/sweep';
import { BLOCKS } from './blocks';
import { genesisState } from './genesis';
import { DEFAULT_PARAMS, validateParams, type Params } from './params';
import type { State } from './state';

export * from './params';
export * from './maths';
export * from './genesis';
export * from './blocks';
export * from './state';

/** The v3 model with `overrides` on the defaults; each run draws its own genesis (slip 10). */
export function convictionVotingModelV3(overrides: Partial<Params> = {}): Model<Params, State> {
  const params = { ...DEFAULT_PARAMS, ...overrides };
  validateParams(params);
  return { blocks: BLOCKS, params, genesis: genesisState, validate: validateParams };
}

/** Options of `simulateV3`. */
export interface SimulateV3Options extends Partial<RunOptions<State>> {
  params?: Partial<Params>;
  timesteps?: number;
  runs?: number;
  sweep?: Sweep<Params>;
  /** The generator: 'seedrandom' (default) or 'numpy', which reproduces the original run by run (see `numpyRunSeed`). */
  rng?: GeneratorName;
}

/** Runs the v3 model (defaults: T = 100, N = 1, seed 0) and returns every run's records (1 + 6T each). */
export function simulateV3(options: SimulateV3Options = {}): ExperimentResult<State> {
  // Only the run options go on: the experiment refuses options it does not know.
  const { params: _p, timesteps: _t, runs: _r, sweep: _s, rng: _rng, ...run } = options;
  return runExperiment(
    [
      {
        model: convictionVotingModelV3(options.params),
        timesteps: options.timesteps ?? 100,
        runs: options.runs ?? 1,
        sweep: options.sweep,
        generator: generatorNamed(options.rng ?? 'seedrandom'),
      },
    ],
    { ...run, seed: options.seed ?? 0 },
  );
}
