/**
 * Metrics: named functions of the state (MODEL_SPEC §8). The CLI, the engine's
 * `metrics` keep mode and the dataframes all use these, so a column means the
 * same thing everywhere.
 */
import type { Network, ProposalStatus } from '../model/network';
import { STATUSES } from '../model/network';
import type { State } from '../model/state';

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
  return net.proposalsWithStatus(status).length;
}
/** Sum of funds requested by the proposals in `status`. */
export function statusFunds(net: Network, status: ProposalStatus): number {
  let s = 0;
  for (const j of net.proposalsWithStatus(status)) s += net.fundsRequested(j);
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
  for (const j of net.proposalsWithStatus('candidate')) {
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
