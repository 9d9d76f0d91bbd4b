/**
 * PSUB 1, arrivals (MODEL_SPEC_V3 §7; original: `driving_process`): a
 * participant may arrive (more likely as sentiment rises), proposals arrive,
 * every proposal ages and candidates' triggers follow funds and supply.
 */
import type { Context, History } from '../../../engine/types';
import type { Network } from '../../shared/network';
import { median } from '../../shared/median';
import { triggerThresholdV3 } from '../maths';
import type { Params } from '../params';
import { Exp, pickIndex, U, V } from '../random';
import type { State } from '../state';

/** A participant arrives with probability 1/(ARRIVAL_DIVISOR/(1 + sentiment)). */
export const ARRIVAL_DIVISOR = 10;
/** A newcomer's holdings are Exp(0, NEWCOMER_SHARE·(S − E)). */
export const NEWCOMER_SHARE = 0.01;
/** Proposals that arrive on a day that begins with no candidate. */
export const PROPOSALS_WHEN_NO_CANDIDATE = 3;

/** Signals of `driving_process`. */
export interface ArrivalSignals {
  new_participant: boolean;
  new_participant_holdings: number;
  new_proposals: boolean;
  /** Requested funds of each arriving proposal (drawn even when none arrives, as the original). */
  requests: number[];
}

/** Median affinity over the support edges into candidates (NaN without any). */
export function candidateMedianAffinity(net: Network, candidates: ReadonlyArray<number>): number {
  const nP = net.participantCount;
  const all = new Float64Array(nP * candidates.length);
  candidates.forEach((j, c) => all.set(net.affinityColumn(j), c * nP));
  // Selection on the copy just made: no second copy.
  return median(all, all);
}

/** Policy `driving_process`: who and what arrives today. */
export function drivingProcess(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): ArrivalSignals {
  // Parameters: beta. State: network, funds, sentiment, total_supply, effective_supply.
  const { beta } = params;
  const { rng } = ctx;
  const net = s.network;
  const F = s.funds;

  const newParticipant = U(rng) < 1 / (ARRIVAL_DIVISOR / (1 + s.sentiment));
  const holdings = newParticipant ? Exp(rng, 0, NEWCOMER_SHARE * (s.total_supply - s.effective_supply)) : 0;

  const candidates = net.proposalsWithStatus('candidate');
  let R = 0;
  for (const j of candidates) R += net.fundsRequested(j);
  let newProposals: boolean;
  let ct: number;
  if (R === 0) {
    newProposals = true;
    ct = PROPOSALS_WHEN_NO_CANDIDATE;
  } else {
    const med = candidateMedianAffinity(net, candidates);
    const rate = ((1 / (1 - med)) * R) / F;
    newProposals = U(rng) < 1 / rate;
    ct = Math.floor(1 - med) + 1;
  }
  const x = (beta * F) / 10;
  const requests: number[] = [];
  for (let c = 0; c < ct; c++) requests.push(Exp(rng, 0.1 * x, x));

  const out: ArrivalSignals = { new_participant: newParticipant, new_participant_holdings: holdings, new_proposals: newProposals, requests };
  return out;
}

/** Update `network`: the newcomer, the new proposals, then ages and triggers. */
export function addArrivals(params: Params, _k: number, _h: History<State>, s: State, input: ArrivalSignals, ctx: Context) {
  // Parameters: beta, rho, alpha. State: network, funds, effective_supply (the substep's input values).
  const { beta, rho, alpha } = params;
  const { rng } = ctx;
  const sig = input;
  const net = s.network;
  const F = s.funds;
  const E = s.effective_supply;

  if (sig.new_participant) {
    const sentiment = U(rng);
    net.addParticipant(sig.new_participant_holdings, () => ({ affinity: V(rng), tokens: 0, conviction: 0 }), sentiment);
  }
  if (sig.new_proposals) {
    for (const requested of sig.requests) {
      const trigger = triggerThresholdV3(requested, F, E, beta, rho, alpha);
      const proposer = pickIndex(rng, net.participantCount);
      net.addProposal({ funds_requested: requested, trigger }, (i) => (i === proposer ? 1 : V(rng)));
    }
  }
  net.ownColumns({ proposal: ['age', 'trigger'] });
  for (let j = 0; j < net.proposalCount; j++) {
    net.setAge(j, net.age(j) + 1);
    net.setTrigger(j, net.isCandidate(j) ? triggerThresholdV3(net.fundsRequested(j), F, E, beta, rho, alpha) : NaN);
  }
  return ['network', net] as const;
}

/** Update `effective_supply`: a newcomer's holdings join the voting supply. */
export function addEffectiveSupply(_p: Params, _k: number, _h: History<State>, s: State, input: ArrivalSignals) {
  return ['effective_supply', s.effective_supply + input.new_participant_holdings] as const;
}
