/**
 * Metrics of the v3 state (MODEL_SPEC_V3 §8): the v1 columns, which read only
 * the network and the funds, plus the v3 state's own scalars and the six
 * stage percentages unpacked from its metric records.
 */
import type { FundStages, ProposalStages, State as V3State } from '../models/v3/state';
import { SCALAR_METRICS } from './metrics';

/** A stage share of the state's metric record, or null before the first metrics substep (genesis holds 0). */
function stage<T extends object>(get: (s: V3State) => V3State['fractionOfProposalStages'] | V3State['fractionOfFundStages'], key: keyof T) {
  return (s: V3State): number | null => {
    const f = get(s);
    return f === 0 ? null : ((f.values as unknown as T)[key] as number);
  };
}

/** The scalar metrics of one v3 state: the columns of the CLI's v3 rdf. */
export const SCALAR_METRICS_V3 = {
  ...SCALAR_METRICS,
  sentiment: (s: V3State) => s.sentiment,
  total_supply: (s: V3State) => s.total_supply,
  effective_supply: (s: V3State) => s.effective_supply,
  fraction_of_supply_for_voting: (s: V3State) => s.fractionOfSupplyForVoting,
  fraction_of_supply_in_pool: (s: V3State) => s.fractionOfSupplyInPool,
  percentageOfActiveProposals: stage<ProposalStages>((s) => s.fractionOfProposalStages, 'percentageOfActive'),
  percentageOfCompletedProposals: stage<ProposalStages>((s) => s.fractionOfProposalStages, 'percentageOfCompleted'),
  percentageOfKilledProposals: stage<ProposalStages>((s) => s.fractionOfProposalStages, 'percentageOfKilled'),
  percentageOfActiveFundsRequested: stage<FundStages>((s) => s.fractionOfFundStages, 'percentageOfActiveFundsRequested'),
  percentageOfCompletedFundsRequested: stage<FundStages>((s) => s.fractionOfFundStages, 'percentageOfCompletedFundsRequested'),
  percentageOfKilledFundsRequested: stage<FundStages>((s) => s.fractionOfFundStages, 'percentageOfKilledFundsRequested'),
};

/** Names of the v3 scalar metrics, in column order. */
export const SCALAR_METRIC_NAMES_V3 = Object.keys(SCALAR_METRICS_V3) as Array<keyof typeof SCALAR_METRICS_V3>;
