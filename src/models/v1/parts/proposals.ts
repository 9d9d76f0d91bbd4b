/**
 * PSUB 2 and 3 (reference: proposals.py): funded work completes or fails, and
 * candidates whose conviction passed their trigger are funded.
 */
import type { Context, History } from '../../../engine/types';
import { triggerThreshold } from '../maths';
import type { Params } from '../params';
import type { State } from '../state';
import { applyProgress, drawProgress, type ProgressSignals } from '../../shared/progress';
import { activateAccepted, payAccepted } from '../../shared/release';

export type { ProgressSignals } from '../../shared/progress';

/** Policy `check_progress`: each active proposal may complete, or else fail (the same in both models: shared/progress.ts). */
export function checkProgress(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): ProgressSignals {
  // Parameters: base_completion_rate, base_failure_rate. State: network.
  return drawProgress(s.network, params, ctx.rng);
}

/** Update `network`: record completions and failures. */
export function completeProposals(_p: Params, _k: number, _h: History<State>, s: State, input: ProgressSignals) {
  return ['network', applyProgress(s.network, input)] as const;
}

/** Signals of `trigger_function`: accepted proposal indices. */
export interface TriggerSignals {
  accepted: number[];
}

/**
 * Which proposals are funded: older than `tmin` with conviction above the
 * threshold; when they ask for more than the funds, the highest convictions
 * are kept while the running total stays below the funds (Known slip 1).
 */
export function selectAccepted(
  passing: ReadonlyArray<{ j: number; conviction: number; requested: number }>,
  funds: number,
): number[] {
  const total = passing.reduce((a, p) => a + p.requested, 0);
  if (total <= funds) return passing.map((p) => p.j);
  const byConviction = [...passing].sort((a, b) => b.conviction - a.conviction);
  const kept: number[] = [];
  let running = 0;
  for (const p of byConviction) {
    if (!(running + p.requested < funds)) break;
    running += p.requested;
    kept.push(p.j);
  }
  return kept;
}

/** Policy `trigger_function`: candidates that pass their trigger. */
export function triggerFunction(params: Params, _k: number, _h: History<State>, s: Readonly<State>): TriggerSignals {
  // Parameters: tmin, supply, beta, rho. State: network, funds.
  const { tmin, supply, beta, rho } = params;
  const net = s.network;
  const passing: Array<{ j: number; conviction: number; requested: number }> = [];
  for (const j of net.proposalsWithStatus('candidate')) {
    const requested = net.fundsRequested(j);
    if (net.age(j) > tmin && net.conviction(j) > triggerThreshold(requested, s.funds, supply, beta, rho)) {
      passing.push({ j, conviction: net.conviction(j), requested });
    }
  }
  const out: TriggerSignals = { accepted: selectAccepted(passing, s.funds) };
  return out;
}

/** Update `funds`: pay every accepted proposal. */
export function decrementFunds(_p: Params, _k: number, _h: History<State>, s: State, input: TriggerSignals) {
  return ['funds', payAccepted(s.funds, s.network, input.accepted)] as const;
}

/** Update `network`: accepted proposals become active and their stakes are released. */
export function activateProposals(_p: Params, _k: number, _h: History<State>, s: State, input: TriggerSignals) {
  return ['network', activateAccepted(s.network, input.accepted)] as const;
}
