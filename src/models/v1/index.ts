/** The Aragon Conviction Voting model, v1. */
import { generatorNamed, type GeneratorName } from '../../engine/rng';
import { checkExperimentFits } from './estimate';
import { ConfigError } from '../../engine/errors';
import { showValue } from '../../engine/validate';
import {
  checkOption,
  checkRunOptions,
  runExperimentAs,
  type ExperimentResult,
  type Model,
  type RunOptions,
  type Simulation,
} from '../../engine/wrappers';
import type { Sweep } from '../../engine/sweep';
import type { StateRecord } from '../../engine/types';
import { BLOCKS } from './blocks';
import { genesisState } from './genesis';
import { Network, type ConvictionGraph } from '../shared/network';
import { DEFAULT_PARAMS, validateParams, type Params } from './params';
import type { State } from './state';

export * from './params';
export * from '../shared/network';
export * from './maths';
export * from './random';
export * from './genesis';
export * from './blocks';
export type { State } from './state';

/** The v1 model with `overrides` on the defaults; each run draws its own genesis unless `genesis` is given. */
export function convictionVotingModel(overrides: Partial<Params> = {}, genesis?: State): Model<Params, State> {
  checkObject('convictionVotingModel', 'overrides', overrides);
  if (genesis !== undefined) checkGenesis('convictionVotingModel', genesis);
  const params = { ...DEFAULT_PARAMS, ...overrides };
  validateParams(params);
  // No policy or update reads its history argument (checked: a run in place throws if one does).
  return { blocks: BLOCKS, params, genesis: genesis ?? genesisState, validate: validateParams, usesHistory: false };
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

/** Throws a TypeError naming `where` and `name` unless `value` is a plain object. */
function checkObject(where: string, name: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: ${name} must be an object, got ${showValue(value)}`);
  }
}

function checkGenesis(where: string, genesis: unknown): void {
  const g = genesis as Partial<State> | null;
  if (typeof g !== 'object' || g === null || !(g.network instanceof Network) || typeof g.funds !== 'number') {
    throw new TypeError(`${where}: genesis must be a state { network: Network, funds: number } (e.g. genesisState(params, rng)), got ${showValue(genesis)}`);
  }
}

const SIMULATE_KEYS = ['params', 'timesteps', 'runs', 'sweep', 'genesis', 'rng'];

/**
 * Runs the model (defaults: T = 100, N = 1, seed 0) and returns every run's records. A run that
 * throws makes `simulate` throw its `RunError` (where it failed; the original error is its
 * `cause`), unless `onError: 'collect'` asks to keep going and list the failures.
 */
export function simulate(options: SimulateOptions = {}): ExperimentResult<State> {
  checkRunOptions('simulate', options, SIMULATE_KEYS);
  if (options.params !== undefined) checkObject('simulate', 'params', options.params);
  if (options.sweep !== undefined) checkObject('simulate', 'sweep', options.sweep);
  if (options.genesis !== undefined) checkGenesis('simulate', options.genesis);
  if (options.timesteps !== undefined) checkOption('simulate', 'timesteps (T)', options.timesteps, { integer: true, min: 1 });
  if (options.runs !== undefined) checkOption('simulate', 'runs (N)', options.runs, { integer: true, min: 1 });
  // Refused before any run when it cannot fit the machine (E1).
  checkExperimentFits(
    { simulations: [{ params: options.params, sweep: options.sweep, timesteps: options.timesteps, runs: options.runs }] },
    { keep: options.keep ?? 'all', collect: options.collect !== false },
  );
  const sim: Simulation<Params, State> = {
    model: convictionVotingModel(options.params, options.genesis),
    timesteps: options.timesteps ?? 100,
    runs: options.runs ?? 1,
    sweep: options.sweep,
    generator: generatorNamed(options.rng ?? 'seedrandom'),
  };
  const { params: _p, timesteps: _t, runs: _r, sweep: _s, genesis: _g, rng: _n, ...run } = options;
  return runExperimentAs('simulate', [sim], { ...run, seed: options.seed ?? 0 });
}

/**
 * The network of one run's record at (timestep, substep) as a typed graphology graph; without a
 * substep, the timestep's last one (as the rdf takes it). Refuses the records of several runs.
 */
export function networkAt(records: ReadonlyArray<StateRecord<State>>, timestep: number, substep?: number): ConvictionGraph {
  if (!Array.isArray(records)) {
    throw new TypeError(`networkAt: records must be one run's records (e.g. results[0].records), got ${showValue(records)}`);
  }
  checkOption('networkAt', 'timestep', timestep, { integer: true, min: 0 });
  if (substep !== undefined) checkOption('networkAt', 'substep', substep, { integer: true, min: 0 });
  if (records.length === 0) {
    throw new RangeError("networkAt: records is empty (a run kept with keep: 'metrics' has no records; use keep 'all' or 'last')");
  }
  const first = records[0];
  for (const r of records) {
    if (typeof r !== 'object' || r === null || !(r.network instanceof Network)) {
      throw new TypeError(`networkAt: records must be records of the model (with a network), got ${showValue(r)}`);
    }
    if (r.simulation !== first.simulation || r.subset !== first.subset || r.run !== first.run) {
      throw new ConfigError(
        `networkAt: the records come from several runs ((simulation ${first.simulation}, subset ${first.subset}, run ${first.run}) and ` +
          `(simulation ${r.simulation}, subset ${r.subset}, run ${r.run})); pass one run's records, e.g. results[0].records`,
      );
    }
  }
  const matches = records.filter((r) => r.timestep === timestep && (substep === undefined || r.substep === substep));
  if (matches.length === 0) {
    const last = records[records.length - 1].timestep;
    throw new RangeError(
      `networkAt: no record at timestep ${timestep}${substep === undefined ? '' : `, substep ${substep}`} ` +
        `(the records cover timesteps 0 to ${last}${substep === undefined ? '' : "; keep 'last' keeps only each timestep's last substep"})`,
    );
  }
  return matches[matches.length - 1].network.toGraph();
}
