/**
 * PSUB 3, progress of funded work (MODEL_SPEC_V3 §7; original: `check_progress`):
 * active proposals complete or fail, and the global sentiment follows.
 */
import type { Context, History } from '../../../engine/types';
import { adjust, SENTIMENT_STEP } from '../maths';
import type { Params } from '../params';
import type { State } from '../state';

import { applyProgress, drawProgress, type ProgressSignals } from '../../shared/progress';

export type { ProgressSignals } from '../../shared/progress';

/** Policy `check_progress`: each active proposal completes, or else may fail (the same in both models: shared/progress.ts). */
export function checkProgress(params: Params, _k: number, _h: History<State>, s: Readonly<State>, ctx: Context): ProgressSignals {
  // Parameters: base_completion_rate, base_failure_rate. State: network.
  return drawProgress(s.network, params, ctx.rng);
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
  return ['network', applyProgress(s.network, input)] as const;
}
