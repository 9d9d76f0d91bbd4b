/** The Aragon Conviction Voting model, v3 (MODEL_SPEC_V3), on the same engine as v1. */
import { generatorNamed, type GeneratorName } from '../../engine/rng';
import { showValue } from '../../engine/validate';
import { checkOption, checkRunOptions, runExperimentAs, type ExperimentResult, type Model, type RunOptions } from '../../engine/wrappers';
import type { Sweep } from '../../engine/sweep';
import { BLOCKS } from './blocks';
import { checkV3Fits } from './estimate';
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
  // No policy or update reads its history argument (checked: a run in place throws if one does).
  return { blocks: BLOCKS, params, genesis: genesisState, validate: validateParams, usesHistory: false };
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

const SIMULATE_V3_KEYS = ['params', 'timesteps', 'runs', 'sweep', 'rng'];

/** Runs the v3 model (defaults: T = 100, N = 1, seed 0) and returns every run's records (1 + 6T each); a failing run throws a RunError. */
export function simulateV3(options: SimulateV3Options = {}): ExperimentResult<State> {
  checkRunOptions('simulateV3', options, SIMULATE_V3_KEYS);
  for (const k of ['params', 'sweep'] as const) {
    const v = options[k];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new TypeError(`simulateV3: ${k} must be an object, got ${showValue(v)}`);
    }
  }
  if (options.timesteps !== undefined) checkOption('simulateV3', 'timesteps (T)', options.timesteps, { integer: true, min: 1 });
  if (options.runs !== undefined) checkOption('simulateV3', 'runs (N)', options.runs, { integer: true, min: 1 });
  const { params, timesteps, runs, sweep, rng, ...run } = options;
  const model = convictionVotingModelV3(params);
  // Refused before any run when it cannot fit the machine (issue 8, E1).
  checkV3Fits('simulateV3', { params: model.params, timesteps: timesteps ?? 100, runs: runs ?? 1, sweep }, options.keep ?? 'all');
  return runExperimentAs(
    'simulateV3',
    [
      {
        model,
        timesteps: timesteps ?? 100,
        runs: runs ?? 1,
        sweep,
        generator: generatorNamed(rng ?? 'seedrandom'),
      },
    ],
    { ...run, seed: options.seed ?? 0 },
  );
}
