/**
 * The six partial state update blocks of the v3 model (MODEL_SPEC_V3 §7), in
 * order, each with what it does (original: `partial_state_update_blocks`).
 */
import { block } from '../../engine/block';
import type { PartialStateUpdateBlock } from '../../engine/types';
import type { Params } from './params';
import { addArrivals, addEffectiveSupply, drivingProcess } from './parts/arrivals';
import { kpiCalculations, updateForVoting, updateFundStages, updateInPool, updateProposalStages } from './parts/metrics';
import { mintFunds, mintingRule, mintSupply } from './parts/minting';
import { participantsDecisions, restake } from './parts/participants';
import { checkProgress, sentimentFromProgress, settleProposals } from './parts/progress';
import { activateProposals, releaseFunds, sentimentFromRelease, triggerFunction } from './parts/release';
import type { State } from './state';

/** The v3 model's blocks: arrivals, minting, progress, release, participants, metrics. */
export const BLOCKS: ReadonlyArray<PartialStateUpdateBlock<Params, State>> = Object.freeze<PartialStateUpdateBlock<Params, State>[]>([
  block({
    description: 'arrivals: a participant (likelier as sentiment rises) and proposals arrive; proposals age, triggers follow funds and supply',
    policies: { driving_process: drivingProcess },
    variables: { network: addArrivals, effective_supply: addEffectiveSupply },
  }),
  block({
    description: 'minting: gamma of the total supply is minted into the funding pool',
    policies: { minting_rule: mintingRule },
    variables: { total_supply: mintSupply, funds: mintFunds },
  }),
  block({
    description: 'progress of funded work: active proposals complete or fail, and sentiment follows',
    policies: { check_progress: checkProgress },
    variables: { sentiment: sentimentFromProgress, network: settleProposals },
  }),
  block({
    description: 'release of funds: candidates whose conviction passed the trigger are funded, and sentiment rises',
    policies: { trigger_function: triggerFunction },
    variables: { funds: releaseFunds, sentiment: sentimentFromRelease, network: activateProposals },
  }),
  block({
    description: 'participants act: engage by own sentiment, support candidates (boosted by influence), restake, conviction accumulates, unsupported candidates are killed',
    policies: { participants_decisions: participantsDecisions },
    variables: { network: restake },
  }),
  block({
    description: 'metrics: supply fractions and the shares of proposals and funds by status',
    policies: { kpi_calculations: kpiCalculations },
    variables: {
      fractionOfSupplyForVoting: updateForVoting,
      fractionOfSupplyInPool: updateInPool,
      fractionOfProposalStages: updateProposalStages,
      fractionOfFundStages: updateFundStages,
    },
  }),
]);
