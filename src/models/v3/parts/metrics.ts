/**
 * PSUB 6, metrics (MODEL_SPEC_V3 §7; original: `kpi_calculations`): the
 * supply fractions and the shares of proposals and funds by status, computed
 * from the substep's input state.
 */
import type { History } from '../../../engine/types';
import type { Params } from '../params';
import { Fractions, type FundStages, type ProposalStages, type State } from '../state';

/** Signals of `kpi_calculations`. */
export interface KpiSignals {
  forVoting: number;
  inPool: number;
  proposalStages: Fractions<ProposalStages>;
  fundStages: Fractions<FundStages>;
}

/** Policy `kpi_calculations`. */
export function kpiCalculations(_p: Params, _k: number, _h: History<State>, s: Readonly<State>): KpiSignals {
  const net = s.network;
  const nQ = net.proposalCount;
  let active = 0;
  let completed = 0;
  let killed = 0;
  let activeFunds = 0;
  let completedFunds = 0;
  let killedFunds = 0;
  let allFunds = 0;
  for (let j = 0; j < nQ; j++) {
    const r = net.fundsRequested(j);
    allFunds += r;
    const st = net.status(j);
    if (st === 'active') {
      active++;
      activeFunds += r;
    } else if (st === 'completed') {
      completed++;
      completedFunds += r;
    } else if (st === 'killed') {
      killed++;
      killedFunds += r;
    }
  }
  const out: KpiSignals = {
    forVoting: s.effective_supply / s.total_supply,
    inPool: s.total_supply / s.funds,
    proposalStages: new Fractions({
      percentageOfActive: active / nQ,
      percentageOfCompleted: completed / nQ,
      percentageOfKilled: killed / nQ,
    }),
    fundStages: new Fractions({
      percentageOfActiveFundsRequested: activeFunds / allFunds,
      percentageOfCompletedFundsRequested: completedFunds / allFunds,
      percentageOfKilledFundsRequested: killedFunds / allFunds,
    }),
  };
  return out;
}


/** Update `fractionOfSupplyForVoting`: E / S. */
export function updateForVoting(_p: Params, _k: number, _h: History<State>, _s: State, input: KpiSignals) {
  return ['fractionOfSupplyForVoting', input.forVoting] as const;
}
/** Update `fractionOfSupplyInPool`: S / F (slip 11: the inverse of its name). */
export function updateInPool(_p: Params, _k: number, _h: History<State>, _s: State, input: KpiSignals) {
  return ['fractionOfSupplyInPool', input.inPool] as const;
}
/** Update `fractionOfProposalStages`. */
export function updateProposalStages(_p: Params, _k: number, _h: History<State>, _s: State, input: KpiSignals) {
  return ['fractionOfProposalStages', input.proposalStages] as const;
}
/** Update `fractionOfFundStages`. */
export function updateFundStages(_p: Params, _k: number, _h: History<State>, _s: State, input: KpiSignals) {
  return ['fractionOfFundStages', input.fundStages] as const;
}
