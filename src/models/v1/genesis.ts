/** The genesis state (MODEL_SPEC §6, with the draw order of Appendix A §4.2). */
import type { RandomSource } from '../../engine/types';
import { triggerThreshold } from './maths';
import { Network } from '../shared/network';
import type { Params } from './params';
import { exponential, gamma, polarizedAffinity } from './random';
import type { State } from './state';

/**
 * Draws the genesis network and funds from the run's generator: every
 * participant's holdings, then per proposal its request followed by its n
 * affinities, as the original interleaves them (Appendix A, correction 1).
 */
export function genesisState(params: Params, rng: RandomSource): State {
  const { n, m, expected_supply, initial_funds, supply, beta, rho } = params;
  const network = new Network();
  const scale = expected_supply / n;
  for (let i = 0; i < n; i++) network.addParticipant(exponential(rng, scale), () => ({ affinity: 0 }));
  for (let j = 0; j < m; j++) {
    const requested = gamma(rng, 3, 0.001, 10000);
    // Known slip 3: the original's genesis triggers used rho 0.001 and the sum of
    // the genesis holdings as supply; PSUB 1 overwrites them before any is read,
    // so one rho and one supply are used here.
    network.addProposal(
      { funds_requested: requested, trigger: triggerThreshold(requested, initial_funds, supply, beta, rho) },
      () => polarizedAffinity(rng),
    );
  }
  return { network, funds: initial_funds };
}
