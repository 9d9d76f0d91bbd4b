/**
 * Experiments of the v1 model as JSON-able definitions, so that worker threads
 * can rebuild them: several simulations (A/B), each with parameter overrides,
 * a sweep, T and N.
 */
import { SCALAR_METRICS } from '../analysis/metrics';
import { ConfigError } from '../engine/errors';
import { checkExperimentFits } from './estimate';
import { executeAs, type BuiltExperiment, type ExecuteOptions, type ExecutedExperiment, type StateCodec } from '../engine/executor';
import { generatorNamed, type GeneratorName } from '../engine/rng';
import type { Sweep } from '../engine/sweep';
import { showValue } from '../engine/validate';
import { checkOption, type Simulation } from '../engine/wrappers';
import { convictionVotingModel } from './index';
import { Network, type EncodedNetworks } from './network';
import type { Params } from './params';
import type { State } from './state';

/** One simulation of an experiment: overrides on the defaults, a sweep, T and N. */
export interface SimulationArgs {
  params?: Partial<Params>;
  sweep?: Sweep<Params>;
  timesteps?: number;
  runs?: number;
  /** The generator, 'seedrandom' (default) or 'numpy' (reproduces the Python original; see `simulate`). */
  rng?: GeneratorName;
}

/** An experiment: one simulation, or several told apart by `simulation` (A/B). */
export interface ExperimentArgs {
  simulations: SimulationArgs[];
}

/** Sends a run's states between threads with the network columns shared. */
export const STATE_CODEC: StateCodec<State> = {
  encode(states) {
    const { data, transfer } = Network.encodeMany(states.map((s) => s.network));
    return { data: { networks: data, funds: states.map((s) => s.funds) }, transfer };
  },
  decode(data) {
    const d = data as { networks: EncodedNetworks; funds: number[] };
    const nets = Network.decodeMany(d.networks);
    return nets.map((network, i) => ({ network, funds: d.funds[i] }));
  },
};

/** Builds the simulations of an experiment (the factory workers call). */
export function buildConvictionExperiment(args: ExperimentArgs): BuiltExperiment<Params, State> {
  if (!args || !Array.isArray(args.simulations) || args.simulations.length === 0) {
    throw new RangeError('experiment: simulations must be a non-empty list');
  }
  const simulations: Simulation<Params, State>[] = args.simulations.map((s) => ({
    model: convictionVotingModel(s.params ?? {}),
    timesteps: s.timesteps ?? 100,
    runs: s.runs ?? 1,
    sweep: s.sweep,
    generator: generatorNamed(s.rng ?? 'seedrandom'),
  }));
  return { simulations, metrics: SCALAR_METRICS, codec: STATE_CODEC };
}

const SIMULATION_KEYS = ['params', 'sweep', 'timesteps', 'runs', 'rng'];

/** Checks an experiment's arguments before any work; errors name `where` and the field, e.g. `simulations[1].runs`. */
export function checkExperimentArgs(where: string, args: unknown): void {
  const a = args as ExperimentArgs | null;
  if (typeof a !== 'object' || a === null || !Array.isArray(a.simulations) || a.simulations.length === 0) {
    throw new TypeError(`${where}: args must be { simulations: [{ params, sweep, timesteps, runs }, ...] } with at least one simulation, got ${showValue(args)}`);
  }
  a.simulations.forEach((s, i) => {
    const field = `simulations[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new TypeError(`${where}: ${field} must be an object, got ${showValue(s)}`);
    for (const key of Object.keys(s)) {
      if (!SIMULATION_KEYS.includes(key)) {
        throw new ConfigError(`${where}: ${field} has unknown key '${key}'; known keys: ${SIMULATION_KEYS.join(', ')}`);
      }
    }
    for (const key of ['params', 'sweep'] as const) {
      const v = s[key];
      if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
        throw new TypeError(`${where}: ${field}.${key} must be an object, got ${showValue(v)}`);
      }
    }
    for (const key of ['timesteps', 'runs'] as const) {
      if (s[key] !== undefined) checkOption(where, `${field}.${key}`, s[key], { integer: true, min: 1 });
    }
  });
}

/**
 * Runs an experiment of the v1 model, on worker threads when `workers` > 1; same results whatever the
 * workers. Rejects with the first failing run's `RunError` unless `onError: 'collect'`; an aborted
 * `signal` or a kernel interrupt stops its worker threads and rejects with a `CancelledError`.
 */
export function runConvictionExperiment(
  args: ExperimentArgs,
  options: ExecuteOptions<State>,
): Promise<ExecutedExperiment<Params, State>> {
  try {
    checkExperimentArgs('runConvictionExperiment', args);
    // Refused before any run when it cannot fit the machine (E1): memory, jobs and rows.
    checkExperimentFits(args, { keep: options?.keep ?? 'all', workers: options?.workers, collect: options?.collect !== false });
  } catch (e) {
    return Promise.reject(e);
  }
  return executeAs<Params, State>(
    'runConvictionExperiment',
    { module: __filename, export: 'buildConvictionExperiment', args },
    options,
  );
}
