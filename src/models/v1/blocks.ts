/**
 * The four partial state update blocks of the v1 model (MODEL_SPEC §7), in
 * order, each with what it does (reference: state_update_blocks in run.py).
 */
import { block } from '../../engine/block';
import type { PartialStateUpdateBlock } from '../../engine/types';
import type { Params } from './params';
import { participantsDecisions, updateTokens } from './parts/participants';
import { activateProposals, checkProgress, completeProposals, decrementFunds, triggerFunction } from './parts/proposals';
import { drivingProcess, incrementFunds, updateNetwork } from './parts/system';
import type { State } from './state';

/** The v1 model's blocks: arrivals, progress, release of funds, participants act. */
export const BLOCKS: ReadonlyArray<PartialStateUpdateBlock<Params, State>> = Object.freeze<PartialStateUpdateBlock<Params, State>[]>([
  block({
    description: 'arrivals: new participants, new proposals and funding inflow; proposals age and triggers follow funds',
    policies: { driving_process: drivingProcess },
    variables: { network: updateNetwork, funds: incrementFunds },
  }),
  block({
    description: 'progress of funded work: active proposals complete or fail',
    policies: { check_progress: checkProgress },
    variables: { network: completeProposals },
  }),
  block({
    description: 'release of funds: candidates whose conviction passed the trigger become active',
    policies: { trigger_function: triggerFunction },
    variables: { funds: decrementFunds, network: activateProposals },
  }),
  block({
    description: 'participants act: engage, restake holdings on candidates, conviction accumulates, weak candidates are killed',
    policies: { participants_decisions: participantsDecisions },
    variables: { network: updateTokens },
  }),
]);
