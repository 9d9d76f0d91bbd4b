/** The genesis state (MODEL_SPEC §6). */
import type { Rng } from '../engine/types';
import { triggerThreshold } from './maths';
import { Network } from './network';
import type { Params } from './params';
import { exponential, gamma, polarizedAffinity } from './random';
import type { State } from './state';

/** Draws the genesis network and funds from the run's generator. */
export function genesisState(params: Params, rng: Rng): State {
  const { n, m, expected_supply, initial_funds, supply, beta, rho } = params;
  const holdings = Array.from({ length: n }, () => exponential(rng, expected_supply / n));
  const requested = Array.from({ length: m }, () => gamma(rng, 3, 0.001, 10000));
  // Affinities drawn participant by participant, as the reference loops.
  const affinity = Array.from({ length: n }, () => Array.from({ length: m }, () => polarizedAffinity(rng)));

  const network = new Network();
  for (const h of holdings) network.addParticipant(h, () => ({ affinity: 0 }));
  for (let j = 0; j < m; j++) {
    network.addProposal(
      { funds_requested: requested[j], trigger: triggerThreshold(requested[j], initial_funds, supply, beta, rho) },
      (i) => affinity[i][j],
    );
  }
  return { network, funds: initial_funds };
}
