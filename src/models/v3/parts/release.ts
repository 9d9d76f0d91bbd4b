/**
 * PSUB 4, release of funds (MODEL_SPEC_V3 §7; original: `trigger_function`):
 * candidates whose conviction passed their threshold are funded.
 */
import type { History } from '../../../engine/types';
import { adjust, SENTIMENT_STEP, triggerThresholdV3 } from '../maths';
import type { Params } from '../params';
import type { State } from '../state';
import { activateAccepted, payAccepted } from '../../shared/release';

/** Signals of `trigger_function`. */
export interface ReleaseSignals {
  /** Accepted proposal indices, in id order. */
  accepted: number[];
  /** Whether the over-release guard dropped some (slip 5). */
  guarded: boolean;
}

/** Policy `trigger_function`: candidates older than tmin whose conviction exceeds the threshold at today's F and E. */
export function triggerFunction(params: Params, _k: number, _h: History<State>, s: Readonly<State>): ReleaseSignals {
  // Parameters: tmin, beta, rho, alpha. State: network, funds, effective_supply.
  const { tmin, beta, rho, alpha } = params;
  const net = s.network;
  const F = s.funds;
  let accepted: number[] = [];
  let total = 0;
  for (const j of net.proposalsWithStatus('candidate')) {
    const requested = net.fundsRequested(j);
    if (net.age(j) > tmin && net.conviction(j) > triggerThresholdV3(requested, F, s.effective_supply, beta, rho, alpha)) {
      accepted.push(j);
      total += requested;
    }
  }
  // Slip 5: the original's guard crashed whenever it fired. As the v1 port: keep the
  // highest convictions while the running total stays below F, stop at the first that does not fit.
  let guarded = false;
  if (total > F) {
    guarded = true;
    const byConviction = [...accepted].sort((a, b) => net.conviction(b) - net.conviction(a) || a - b);
    const kept: number[] = [];
    let running = 0;
    for (const j of byConviction) {
      if (!(running + net.fundsRequested(j) < F)) break;
      running += net.fundsRequested(j);
      kept.push(j);
    }
    accepted = kept.sort((a, b) => a - b);
  }
  const out: ReleaseSignals = { accepted, guarded };
  return out;
}

/** Update `funds`: F minus each accepted request, one by one in id order. */
export function releaseFunds(_p: Params, _k: number, _h: History<State>, s: State, input: ReleaseSignals) {
  return ['funds', payAccepted(s.funds, s.network, input.accepted)] as const;
}

/** Update `sentiment`: a step toward the number of accepted proposals when any passed. */
export function sentimentFromRelease(_p: Params, _k: number, _h: History<State>, s: State, input: ReleaseSignals) {
  const k = input.accepted.length;
  return ['sentiment', k > 0 ? adjust(s.sentiment, k, SENTIMENT_STEP) : s.sentiment] as const;
}

/** Update `network`: accepted proposals become active; their conviction and in-edges' tokens and conviction reset (slip 4: the stored trigger is not refreshed). */
export function activateProposals(_p: Params, _k: number, _h: History<State>, s: State, input: ReleaseSignals) {
  return ['network', activateAccepted(s.network, input.accepted)] as const;
}
