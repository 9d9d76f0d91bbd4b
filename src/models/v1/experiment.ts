/**
 * Experiments of the v1 or v3 model as JSON-able definitions, so that worker
 * threads can rebuild them: several simulations (A/B), each with parameter
 * overrides, a sweep, T and N, and the generator.
 */
import { SCALAR_METRICS } from '../../analysis/metrics';
import { SCALAR_METRICS_V3 } from '../../analysis/metrics-v3';
import { convictionVotingModelV3 } from '../v3';
import type { Params as ParamsV3 } from '../v3/params';
import { Fractions, type FundStages, type ProposalStages, type State as StateV3 } from '../v3/state';
import { ConfigError } from '../../engine/errors';
import { checkExperimentFits } from './estimate';
import { executeAs, type BuiltExperiment, type ExecuteOptions, type ExecutedExperiment, type StateCodec } from '../../engine/executor';
import { generatorNamed, type GeneratorName } from '../../engine/rng';
import type { Sweep } from '../../engine/sweep';
import { showValue } from '../../engine/validate';
import { checkOption, type Simulation } from '../../engine/wrappers';
import { convictionVotingModel } from './index';
import { Network, type EncodedNetworks } from '../shared/network';
import type { Params } from './params';
import type { State } from './state';
import { MODEL_NAMES, type ModelName } from '../names';

export { MODEL_NAMES, type ModelName };

/** One simulation of an experiment: the model, overrides on its defaults, a sweep, T and N. */
export interface SimulationArgs {
  /** 'v1' (default) or 'v3'; every simulation of one experiment runs the same model. */
  model?: ModelName;
  /** Overrides on the model's defaults (v1's or v3's parameters, by `model`). */
  params?: Partial<Params> & Partial<ParamsV3>;
  sweep?: Sweep<Params & ParamsV3>;
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

/** The v3 state's scalars, sent beside its networks. */
interface EncodedV3Scalars {
  funds: number[];
  sentiment: number[];
  total_supply: number[];
  effective_supply: number[];
  fractionOfSupplyForVoting: number[];
  fractionOfSupplyInPool: number[];
  /** The two records' plain values (0 where the state holds 0): immutable, so rebuilt rather than shared. */
  proposalStages: Array<ProposalStages | 0>;
  fundStages: Array<FundStages | 0>;
}

/** Sends a v3 run's states between threads: the network columns shared, the scalar variables as lists. */
export const STATE_CODEC_V3: StateCodec<StateV3> = {
  encode(states) {
    const { data, transfer } = Network.encodeMany(states.map((s) => s.network));
    const scalars: EncodedV3Scalars = {
      funds: states.map((s) => s.funds),
      sentiment: states.map((s) => s.sentiment),
      total_supply: states.map((s) => s.total_supply),
      effective_supply: states.map((s) => s.effective_supply),
      fractionOfSupplyForVoting: states.map((s) => s.fractionOfSupplyForVoting),
      fractionOfSupplyInPool: states.map((s) => s.fractionOfSupplyInPool),
      proposalStages: states.map((s) => (s.fractionOfProposalStages === 0 ? 0 : { ...s.fractionOfProposalStages.values })),
      fundStages: states.map((s) => (s.fractionOfFundStages === 0 ? 0 : { ...s.fractionOfFundStages.values })),
    };
    return { data: { networks: data, scalars }, transfer };
  },
  decode(data) {
    const d = data as { networks: EncodedNetworks; scalars: EncodedV3Scalars };
    const c = d.scalars;
    return Network.decodeMany(d.networks).map((network, i) => {
      const ps = c.proposalStages[i];
      const fs = c.fundStages[i];
      return {
        network,
        funds: c.funds[i],
        sentiment: c.sentiment[i],
        total_supply: c.total_supply[i],
        effective_supply: c.effective_supply[i],
        fractionOfSupplyForVoting: c.fractionOfSupplyForVoting[i],
        fractionOfSupplyInPool: c.fractionOfSupplyInPool[i],
        fractionOfProposalStages: ps === 0 ? 0 : new Fractions<ProposalStages>(ps),
        fractionOfFundStages: fs === 0 ? 0 : new Fractions<FundStages>(fs),
      };
    });
  },
};

/** The model every simulation of `args` runs (they agree: `checkExperimentArgs`). */
export function experimentModel(args: ExperimentArgs): ModelName {
  return args.simulations[0]?.model ?? 'v1';
}

/** Builds the simulations of an experiment (the factory workers call). */
export function buildConvictionExperiment(args: ExperimentArgsV3): BuiltExperiment<ParamsV3, StateV3>;
export function buildConvictionExperiment(args: ExperimentArgs): BuiltExperiment<Params, State>;
export function buildConvictionExperiment(args: ExperimentArgs): BuiltExperiment<Params, State> | BuiltExperiment<ParamsV3, StateV3> {
  if (!args || !Array.isArray(args.simulations) || args.simulations.length === 0) {
    throw new RangeError('experiment: simulations must be a non-empty list');
  }
  const common = (s: SimulationArgs) => ({
    timesteps: s.timesteps ?? 100,
    runs: s.runs ?? 1,
    generator: generatorNamed(s.rng ?? 'seedrandom'),
  });
  if (experimentModel(args) === 'v3') {
    const simulations: Simulation<ParamsV3, StateV3>[] = args.simulations.map((s) => ({
      ...common(s),
      model: convictionVotingModelV3((s.params ?? {}) as Partial<ParamsV3>),
      sweep: s.sweep as Sweep<ParamsV3> | undefined,
    }));
    return { simulations, metrics: SCALAR_METRICS_V3, codec: STATE_CODEC_V3 };
  }
  const simulations: Simulation<Params, State>[] = args.simulations.map((s) => ({
    ...common(s),
    model: convictionVotingModel((s.params ?? {}) as Partial<Params>),
    sweep: s.sweep as Sweep<Params> | undefined,
  }));
  return { simulations, metrics: SCALAR_METRICS, codec: STATE_CODEC };
}

const SIMULATION_KEYS = ['model', 'params', 'sweep', 'timesteps', 'runs', 'rng'];

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
    if (s.model !== undefined && !MODEL_NAMES.includes(s.model)) {
      throw new ConfigError(`${where}: ${field}.model must be one of ${MODEL_NAMES.join(', ')}, got ${showValue(s.model)}`);
    }
    if ((s.model ?? 'v1') !== (a.simulations[0].model ?? 'v1')) {
      throw new ConfigError(`${where}: ${field}.model is '${s.model ?? 'v1'}' but simulations[0] runs '${a.simulations[0].model ?? 'v1'}'; one experiment runs one model`);
    }
    if (s.rng !== undefined) {
      try {
        generatorNamed(s.rng);
      } catch {
        throw new ConfigError(`${where}: ${field}.rng must be one of seedrandom, numpy, got ${showValue(s.rng)}`);
      }
    }
  });
}

/** An experiment whose simulations all run v3. */
export interface ExperimentArgsV3 extends ExperimentArgs {
  simulations: Array<SimulationArgs & { model: 'v3' }>;
}

/**
 * Runs an experiment of the v1 (default) or v3 model, on worker threads when `workers` > 1; same
 * results whatever the workers. Rejects with the first failing run's `RunError` unless
 * `onError: 'collect'`; an aborted `signal` or a kernel interrupt stops its worker threads and
 * rejects with a `CancelledError`.
 */
export function runConvictionExperiment(args: ExperimentArgsV3, options: ExecuteOptions<StateV3>): Promise<ExecutedExperiment<ParamsV3, StateV3>>;
export function runConvictionExperiment(args: ExperimentArgs, options: ExecuteOptions<State>): Promise<ExecutedExperiment<Params, State>>;
export function runConvictionExperiment(
  args: ExperimentArgs,
  options: ExecuteOptions<State> | ExecuteOptions<StateV3>,
): Promise<ExecutedExperiment<Params, State> | ExecutedExperiment<ParamsV3, StateV3>> {
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
    options as ExecuteOptions<State>,
  );
}
