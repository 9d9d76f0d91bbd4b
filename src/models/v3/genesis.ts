/** The v3 genesis state (MODEL_SPEC_V3 §6), drawn in the original's order (§4.2). */
import type { RandomSource } from '../../engine/types';
import { Network } from '../shared/network';
import { triggerThresholdV3 } from './maths';
import type { Params } from './params';
import { Exp, Gamma3, U, V } from './random';
import type { State } from './state';

/** Share of (S0 − F0) committed to voting at genesis. */
export const GENESIS_EFFECTIVE_SHARE = 0.8;
/** A conflict edge a → b is drawn with this probability (value 1 − u). */
export const CONFLICT_RATE = 0.25;
/** An influence draw Exp(0, 1) makes an edge only above this (1 + 3·1²). */
export const INFLUENCE_CUTOFF = 4;

/** Draws the genesis network and the state variables from the run's generator. */
export function genesisState(params: Params, rng: RandomSource): State {
  const { n, m, initial_funds: F0, initial_supply: S0, initial_sentiment, beta, rho, alpha } = params;
  const net = new Network();
  let H0 = 0;
  for (let i = 0; i < n; i++) {
    const holdings = Exp(rng, 0, S0 / n);
    const sentiment = U(rng);
    net.addParticipant(holdings, () => ({ affinity: 0 }), sentiment);
    H0 += holdings;
  }
  for (let k = 0; k < m; k++) {
    const requested = Gamma3(rng, 0.001, 0.05 * beta * F0);
    // Slip 7: genesis triggers use H0, the sum of genesis holdings, as the supply.
    const trigger = triggerThresholdV3(requested, F0, H0, beta, rho, alpha);
    net.addProposal({ funds_requested: requested, trigger }, () => {
      U(rng); // slip 2: one discarded draw per genesis support edge
      return V(rng);
    });
    // Slip 1: both passes run inside the proposal loop, m times; a later value overwrites an earlier one.
    const q = net.proposalCount;
    for (let a = 0; a < q; a++) {
      for (let b = 0; b < q; b++) {
        if (a === b) continue;
        const u = U(rng);
        if (u < CONFLICT_RATE) net.setLink('conflict', a, b, 1 - u);
      }
    }
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        const x = Exp(rng, 0, 1);
        if (x > INFLUENCE_CUTOFF) net.setLink('influence', a, b, x);
      }
    }
  }
  return {
    network: net,
    funds: F0,
    sentiment: initial_sentiment,
    total_supply: S0,
    effective_supply: (S0 - F0) * GENESIS_EFFECTIVE_SHARE,
    fractionOfSupplyForVoting: 0,
    fractionOfSupplyInPool: 0,
    fractionOfProposalStages: 0,
    fractionOfFundStages: 0,
  };
}
