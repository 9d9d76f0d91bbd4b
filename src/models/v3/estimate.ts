/**
 * The v3 model's work check before any run (issue 8, E1): runs, rows and the
 * memory of the records kept, refused at once with one line when they cannot
 * fit. An upper bound in the spirit of src/models/v1/estimate.ts: participants
 * arrive with probability (1 + sentiment)/10 ≤ 0.2 a day, proposals at most 3
 * a day; a kept record owns at most its node columns and the stake and
 * conviction columns of its candidates.
 */
import { ConfigError } from '../../engine/errors';
import type { KeepMode } from '../../engine/types';
import { expandSweepCount, type Sweep } from '../../engine/sweep';
import { formatBytes, workLimits, type WorkLimits } from '../v1/estimate';
import type { Params } from './params';

const RECORD_BYTES = 400;
const NODE_BYTES = 64;
const EDGE_BYTES = 16;
/** Candidates a v3 day holds: 33 ± 18.7 at t = 100 over the original's 60 runs (§12); 6 sd above, rounded up. */
const CANDIDATE_BOUND = 150;

/** Refuses (ConfigError naming the option, the estimate and the limit) a v3 experiment that cannot fit. */
export function checkV3Fits(
  where: string,
  sim: { params: Params; timesteps: number; runs: number; sweep?: Sweep<Params> },
  keep: KeepMode,
  limits: WorkLimits = {},
): void {
  const lim = workLimits(limits);
  const subsets = expandSweepCount(sim.sweep);
  const jobs = sim.runs * subsets;
  if (!(jobs <= lim.maxJobs)) {
    throw new ConfigError(`${where}: runs × sweep subsets = ${jobs} runs, above the limit of ${lim.maxJobs}; use fewer runs or split the work into shards`);
  }
  const T = sim.timesteps;
  const rows = jobs * (T + 1);
  if (!(rows <= lim.maxRows)) {
    throw new ConfigError(`${where}: runs × subsets × (timesteps + 1) = ${rows} rows, above the limit of ${lim.maxRows}; use fewer runs or timesteps`);
  }
  if (keep === 'metrics') return;
  const P = sim.params.n + 0.2 * T + 6 * Math.sqrt(0.16 * T) + 6;
  const Q = sim.params.m + 3 * T;
  const perRecord = RECORD_BYTES + NODE_BYTES * (P + Q) + EDGE_BYTES * P * Math.min(Q, CANDIDATE_BOUND);
  const records = keep === 'all' ? 1 + 6 * T : 1 + T;
  const bytes = jobs * records * perRecord;
  if (!(bytes <= lim.memoryBytes)) {
    throw new ConfigError(
      `${where}: keeping ${keep === 'all' ? 'every substep' : 'every timestep'} of ${jobs} runs × ${T} timesteps needs about ${formatBytes(bytes)} of memory, above the limit of ${formatBytes(lim.memoryBytes)}; use keep: 'metrics', fewer runs or fewer timesteps`,
    );
  }
}
