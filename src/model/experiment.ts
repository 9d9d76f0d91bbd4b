/**
 * Experiments of the v1 model as JSON-able definitions, so that worker threads
 * can rebuild them: several simulations (A/B), each with parameter overrides,
 * a sweep, T and N.
 */
import { SCALAR_METRICS } from '../analysis/metrics';
import { execute, type BuiltExperiment, type ExecuteOptions, type ExecutedExperiment, type StateCodec } from '../engine/executor';
import { generatorNamed, type GeneratorName } from '../engine/rng';
import type { Sweep } from '../engine/sweep';
import type { Simulation } from '../engine/wrappers';
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

/** Runs an experiment of the v1 model, on worker threads when `workers` > 1; same results whatever the workers. */
export function runConvictionExperiment(
  args: ExperimentArgs,
  options: ExecuteOptions<State>,
): Promise<ExecutedExperiment<Params, State>> {
  return execute<Params, State>({ module: __filename, export: 'buildConvictionExperiment', args }, options);
}
