/**
 * Metrics: named functions of the state (MODEL_SPEC §8). The CLI, the engine's
 * `metrics` keep mode and the dataframes all use these, so a column means the
 * same thing everywhere.
 */
import type { Network, ProposalStatus } from '../models/shared/network';
import { STATUSES } from '../models/shared/network';
import type { State } from '../models/v1/state';

/** Number of participants. */
export function participantCount(net: Network): number {
  return net.participantCount;
}
/** Number of proposals of any status. */
export function proposalCount(net: Network): number {
  return net.proposalCount;
}
/** Number of proposals in `status`. */
export function statusCount(net: Network, status: ProposalStatus): number {
  // A plain loop: metrics run at every timestep of every run, so no arrays.
  let c = 0;
  for (let j = 0; j < net.proposalCount; j++) if (net.status(j) === status) c++;
  return c;
}
/** Sum of funds requested by the proposals in `status`. */
export function statusFunds(net: Network, status: ProposalStatus): number {
  let s = 0;
  for (let j = 0; j < net.proposalCount; j++) if (net.status(j) === status) s += net.fundsRequested(j);
  return s;
}

/** Values of a proposal attribute, over candidates (`all` false) or every proposal. */
function proposalValues(net: Network, all: boolean, f: (j: number) => number): number[] {
  const idx = all ? Array.from({ length: net.proposalCount }, (_, j) => j) : net.proposalsWithStatus('candidate');
  return idx.map(f);
}
/** Conviction of each candidate (or of every proposal). */
export function convictions(net: Network, all = false): number[] {
  return proposalValues(net, all, (j) => net.conviction(j));
}
/** Trigger of each candidate (or of every proposal). */
export function triggers(net: Network, all = false): number[] {
  return proposalValues(net, all, (j) => net.trigger(j));
}
/** Funds requested by each candidate (or by every proposal). */
export function fundsRequested(net: Network, all = false): number[] {
  return proposalValues(net, all, (j) => net.fundsRequested(j));
}
/** Age of each candidate (or of every proposal). */
export function ages(net: Network, all = false): number[] {
  return proposalValues(net, all, (j) => net.age(j));
}
/** Node id of each candidate (or of every proposal). */
export function proposalIds(net: Network, all = false): number[] {
  return proposalValues(net, all, (j) => net.proposalId(j));
}
/** Conviction divided by trigger, element-wise (0 for an infinite trigger). */
export function convictionShareOfTrigger(net: Network, all = false): number[] {
  return proposalValues(net, all, (j) => net.conviction(j) / net.trigger(j));
}
/** Funds requested divided by the funds. */
export function shareOfFundsRequested(net: Network, funds: number, all = false): number[] {
  return fundsRequested(net, all).map((r) => r / funds);
}
/** The largest conviction share of trigger over candidates, or null without candidates. */
export function maxConvictionShareOfTrigger(net: Network): number | null {
  let best: number | null = null;
  for (let j = 0; j < net.proposalCount; j++) {
    if (!net.isCandidate(j)) continue;
    const v = net.conviction(j) / net.trigger(j);
    if (best === null || v > best) best = v;
  }
  return best;
}

/** The scalar metrics of one state: the columns of the CLI's rdf. */
export const SCALAR_METRICS = {
  funds: (s: State) => s.funds,
  participant_count: (s: State) => participantCount(s.network),
  proposal_count: (s: State) => proposalCount(s.network),
  ...(Object.fromEntries(STATUSES.map((st) => [`${st}_count`, (s: State) => statusCount(s.network, st)])) as Record<
    `${ProposalStatus}_count`,
    (s: State) => number
  >),
  ...(Object.fromEntries(STATUSES.map((st) => [`${st}_funds`, (s: State) => statusFunds(s.network, st)])) as Record<
    `${ProposalStatus}_funds`,
    (s: State) => number
  >),
  max_conviction_share_of_trigger: (s: State) => maxConvictionShareOfTrigger(s.network),
};

/** Names of the scalar metrics, in column order. */
export const SCALAR_METRIC_NAMES = Object.keys(SCALAR_METRICS) as Array<keyof typeof SCALAR_METRICS>;

// ---- per-proposal and per-participant metrics (dataframes, tidy form, figures) ----

/** Status of each candidate (or of every proposal). */
export function proposalStatuses(net: Network, all = false): ProposalStatus[] {
  const idx = all ? Array.from({ length: net.proposalCount }, (_, j) => j) : net.proposalsWithStatus('candidate');
  return idx.map((j) => net.status(j));
}
/** Holdings of every participant, in creation order. */
export function holdingsOf(net: Network): number[] {
  return Array.from({ length: net.participantCount }, (_, i) => net.holdings(i));
}
/** Node id of every participant, in creation order. */
export function participantIds(net: Network): number[] {
  return Array.from({ length: net.participantCount }, (_, i) => net.participantId(i));
}
/** Affinity matrix: one row per proposal (creation order), one column per participant. */
export function affinityMatrix(net: Network): number[][] {
  return Array.from({ length: net.proposalCount }, (_, j) => Array.from(net.affinityColumn(j)));
}
/** A support edge with tokens on it: participant index i, proposal index j. */
export interface Stake {
  i: number;
  j: number;
  tokens: number;
}
/** Every edge to a candidate with tokens > 0 (zero stakes carry no support, so they are left out). */
export function candidateStakes(net: Network): Stake[] {
  const out: Stake[] = [];
  for (const j of net.proposalsWithStatus('candidate')) {
    const col = net.tokensColumn(j);
    for (let i = 0; i < col.length; i++) if (col[i] > 0) out.push({ i, j, tokens: col[i] });
  }
  return out;
}

/** A per-proposal array metric of the network, over candidates (`all` false) or every proposal. */
export type ProposalMetric = (net: Network, all: boolean) => number[];

/** Funds requested as a share of the state's funds, per candidate (or every proposal). */
export function stateShareOfFundsRequested(s: State, all = false): number[] {
  return shareOfFundsRequested(s.network, s.funds, all);
}

/** Lifts a per-proposal network metric to a state metric over candidates or every proposal. */
function ofState(metric: ProposalMetric, all: boolean): (s: State) => number[] {
  return (s) => metric(s.network, all);
}

/**
 * The array-valued metrics of one state: the array columns of the df
 * (MODEL_SPEC §8), in the spec's order. Candidates unless the name ends in `_all`.
 */
export const ARRAY_METRICS = {
  conviction: ofState(convictions, false),
  candidate_funds_requested: ofState(fundsRequested, false),
  funds_requested: ofState(fundsRequested, true),
  share_of_funds_requested: (s: State) => stateShareOfFundsRequested(s, false),
  share_of_funds_requested_all: (s: State) => stateShareOfFundsRequested(s, true),
  triggers: ofState(triggers, false),
  conviction_share_of_trigger: ofState(convictionShareOfTrigger, false),
  age: ofState(ages, false),
  age_all: ofState(ages, true),
  conviction_all: ofState(convictions, true),
  triggers_all: ofState(triggers, true),
  conviction_share_of_trigger_all: ofState(convictionShareOfTrigger, true),
} satisfies Record<string, (s: State) => number[]>;

/** Names of the array metrics, in column order. */
export const ARRAY_METRIC_NAMES = Object.keys(ARRAY_METRICS) as Array<keyof typeof ARRAY_METRICS>;
