/**
 * PSUB 1, arrivals (reference: system.py): new participants, new proposals and
 * funding inflow, then every proposal ages and candidates' triggers follow funds.
 */
import { pairwiseSum } from '../../../engine/numpy';
import type { Context, History } from '../../../engine/types';
import { triggerThreshold } from '../maths';
import type { Params } from '../params';
import { exponential, gamma, polarizedAffinity, uniformIndex } from '../random';
import type { State } from '../state';

/** Signals of `driving_process`. */
export interface ArrivalSignals {
  new_participant: boolean;
  new_participant_holdings: number;
  new_proposal: boolean;
  funds_arrival: number;
}

/** Median affinity over every support edge of the network. */
export function medianAffinity(s: Readonly<State>): number {
  return s.network.medianAffinity();
}

/** Policy `driving_process`: who and what arrives this timestep. */
export function drivingProcess(params: Params, _substep: number, _h: History<State>, s: Readonly<State>, ctx: Context): ArrivalSignals {
  // Parameters: sentiment, supply. State: network, funds.
  const { sentiment, supply } = params;
  const { rng } = ctx;
  const net = s.network;

  const arrivalRate = 10 / (1 + sentiment);
  const newParticipant = rng.random() < 1 / arrivalRate;
  const holdings = newParticipant ? exponential(rng, (0.1 * supply) / net.participantCount) : 0;

  // numpy's pairwise sum, in id order, as the original sums (Appendix A §4.3).
  const requested = pairwiseSum(net.proposalsWithStatus('candidate').map((j) => net.fundsRequested(j)));
  // With no edges there is no median; no proposal can then be inspired by affinity.
  const proposalRate = (1 / medianAffinity(s)) * (1 + requested / s.funds);
  // Drawn whatever the candidates: the original always draws it.
  const newProposal = rng.random() < 1 / proposalRate;

  // funds · sentiment² / 10000 in the original's order (sentiment² first).
  const scaleFactor = Math.max(1, (s.funds * (sentiment * sentiment)) / 10000);
  const fundsArrival = sentiment > 0.4 ? exponential(rng, scaleFactor) : 0;

  const out: ArrivalSignals = {
    new_participant: newParticipant,
    new_participant_holdings: holdings,
    new_proposal: newProposal,
    funds_arrival: fundsArrival,
  };
  return out;
}

/** Update `network`: add the arrivals, age every proposal, refresh candidates' triggers. */
export function updateNetwork(params: Params, _k: number, _h: History<State>, s: State, input: ArrivalSignals, ctx: Context) {
  // Parameters: supply, beta, rho. State: network, funds (start of the substep).
  const { supply, beta, rho } = params;
  const { rng } = ctx;
  const sig = input;
  const net = s.network;

  if (sig.new_participant) {
    const h = sig.new_participant_holdings;
    // The original draws the newcomer a sentiment it never stores: one uniform
    // thrown away before its affinities (Appendix A, correction 3).
    rng.random();
    net.addParticipant(h, () => {
      const a = polarizedAffinity(rng);
      return { affinity: a, tokens: a * h, conviction: 0 };
    });
  }
  if (sig.new_proposal) {
    // Scale funds·0.01, not funds/100: they differ in the last bit (correction 4).
    const requested = gamma(rng, 3, 0.001, s.funds * 0.01);
    // Chosen after the request, among all participants, a newcomer of this step included (correction 5).
    const proposer = uniformIndex(rng, net.participantCount);
    net.addProposal(
      { funds_requested: requested, trigger: triggerThreshold(requested, s.funds, supply, beta, rho) },
      (i) => (i === proposer ? 1 : polarizedAffinity(rng)),
    );
  }
  net.ownColumns({ proposal: ['age', 'trigger'] });
  for (let j = 0; j < net.proposalCount; j++) {
    net.setAge(j, net.age(j) + 1);
    net.setTrigger(j, net.isCandidate(j) ? triggerThreshold(net.fundsRequested(j), s.funds, supply, beta, rho) : NaN);
  }
  return ['network', net] as const;
}

/** Update `funds`: add the inflow. */
export function incrementFunds(_p: Params, _k: number, _h: History<State>, s: State, input: ArrivalSignals) {
  return ['funds', s.funds + input.funds_arrival] as const;
}
