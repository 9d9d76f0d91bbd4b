/**
 * The long (tidy) form of the proposals: one row per (run, timestep, proposal)
 * at the last substep of each timestep. It carries what the df keeps in array
 * cells as plain scalar columns, which is what group-bys, danfo and plotly want.
 */
import type { StateRecord } from '../engine/types';
import type { Network, ProposalStatus } from '../models/shared/network';
import type { State } from '../models/v1/state';
import { lastSubstep, recordsOf, type RecordsInput } from './dataframes';
import { ages, convictions, convictionShareOfTrigger, fundsRequested, proposalIds, proposalStatuses, triggers } from './metrics';

/** One proposal at one timestep of one run. */
export interface ProposalRow {
  simulation: number;
  subset: number;
  run: number;
  timestep: number;
  /** Node id of the proposal. */
  proposal: number;
  status: ProposalStatus;
  conviction: number;
  /** NaN when not a candidate (MODEL_SPEC §7, PSUB 1). */
  trigger: number;
  conviction_share_of_trigger: number;
  age: number;
  funds_requested: number;
}

type ProposalColumn = Exclude<keyof ProposalRow, 'simulation' | 'subset' | 'run' | 'timestep'>;

/** Tidy column -> the per-proposal metric (over every proposal) it comes from. */
export const TIDY_COLUMNS: { [K in ProposalColumn]: (net: Network, all: boolean) => Array<ProposalRow[K]> } = {
  proposal: proposalIds,
  status: proposalStatuses,
  conviction: convictions,
  trigger: triggers,
  conviction_share_of_trigger: convictionShareOfTrigger,
  age: ages,
  funds_requested: fundsRequested,
};

/** Column names of a tidy row, in order. */
export const TIDY_COLUMN_NAMES: ReadonlyArray<keyof ProposalRow> = ['simulation', 'subset', 'run', 'timestep', ...(Object.keys(TIDY_COLUMNS) as ProposalColumn[])];

/** One row per (run, timestep, proposal) at the last substep, proposals in creation order; genesis excluded as in the rdf. */
export function tidyProposals(input: RecordsInput): ProposalRow[] {
  const out: ProposalRow[] = [];
  for (const rec of lastSubstep(recordsOf(input))) out.push(...proposalRowsOf(rec));
  return out;
}

/** The tidy rows of one record: every proposal of its network. */
export function proposalRowsOf(rec: StateRecord<State>): ProposalRow[] {
  const cols = Object.entries(TIDY_COLUMNS).map(([name, metric]) => [name, metric(rec.network, true)] as const);
  const rows: ProposalRow[] = [];
  for (let j = 0; j < rec.network.proposalCount; j++) {
    const row: Record<string, unknown> = { simulation: rec.simulation, subset: rec.subset, run: rec.run, timestep: rec.timestep };
    for (const [name, values] of cols) row[name] = values[j];
    rows.push(row as unknown as ProposalRow);
  }
  return rows;
}
