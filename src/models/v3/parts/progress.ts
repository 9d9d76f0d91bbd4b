/**
 * PSUB 3, progress of funded work (MODEL_SPEC_V3 §7; original: `check_progress`):
 * active proposals complete or fail, and the global sentiment follows.
 */
import type { Context, History } from '../../../engine/types';
import { adjust, SENTIMENT_STEP } from '../maths';
import type { Params } from '../params';
import { U } from '../random';
import type { State } from '../state';

/** Signals of `check_progress`: proposal indices, in id order. */
export interface ProgressSignals {
  completed: number[];
  failed: number[];
}

/** Policy `check_progress`: each active proposal completes, or else may fail. */
export function checkProgress(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): ProgressSignals {
  // Parameters: base_completion_rate, base_failure_rate. State: network.
  const { base_completion_rate, base_failure_rate } = params;
  const { rng } = ctx;
  const net = s.network;
  const out: ProgressSignals = { completed: [], failed: [] };
  for (const j of net.proposalsWithStatus('active')) {
    const lnGrant = Math.log(net.fundsRequested(j));
    if (U(rng) < 1 / (base_completion_rate + lnGrant)) out.completed.push(j);
    else if (U(rng) < 1 / (base_failure_rate + lnGrant)) out.failed.push(j);
  }
  return out;
}

/** Update `sentiment`: a step toward (completions − failures) when any happened. */
export function sentimentFromProgress(_p: Params, _k: number, _h: History<State>, s: State, input: ProgressSignals) {
  const { completed, failed } = input;
  const c = completed.length;
  const f = failed.length;
  return ['sentiment', c + f > 0 ? adjust(s.sentiment, c - f, SENTIMENT_STEP) : s.sentiment] as const;
}

/** Update `network`: set the new statuses (participants' own sentiment never changes: slip 3). */
export function settleProposals(_p: Params, _k: number, _h: History<State>, s: State, input: ProgressSignals) {
  const { completed, failed } = input;
  const net = s.network;
  for (const j of completed) net.setStatus(j, 'completed');
  for (const j of failed) net.setStatus(j, 'failed');
  return ['network', net] as const;
}
