/**
 * Progress of funded work, the same in both models (MODEL_SPEC §7 PSUB 2,
 * MODEL_SPEC_V3 §7 PSUB 3; original: `check_progress`): each active proposal
 * completes with probability 1/(base_completion_rate + ln grant), or else
 * fails with 1/(base_failure_rate + ln grant). Draws in id order, one or two
 * per active proposal, as the originals do. Each model's part calls these with
 * its own state.
 */
import type { RandomSource } from '../../engine/types';
import type { Network } from './network';

/** The parameters progress reads. */
export interface ProgressRates {
  base_completion_rate: number;
  base_failure_rate: number;
}

/** Signals of `check_progress`: proposal indices, in id order. */
export interface ProgressSignals {
  completed: number[];
  failed: number[];
}

/** Which active proposals of `net` complete and which fail this timestep. */
export function drawProgress(net: Network, rates: ProgressRates, rng: RandomSource): ProgressSignals {
  const { base_completion_rate, base_failure_rate } = rates;
  const out: ProgressSignals = { completed: [], failed: [] };
  for (const j of net.proposalsWithStatus('active')) {
    const lnGrant = Math.log(net.fundsRequested(j));
    if (rng.random() < 1 / (base_completion_rate + lnGrant)) out.completed.push(j);
    else if (rng.random() < 1 / (base_failure_rate + lnGrant)) out.failed.push(j);
  }
  return out;
}

/** Sets the drawn statuses on `net` (its own copy in the substep). */
export function applyProgress(net: Network, signals: ProgressSignals): Network {
  for (const j of signals.completed) net.setStatus(j, 'completed');
  for (const j of signals.failed) net.setStatus(j, 'failed');
  return net;
}
