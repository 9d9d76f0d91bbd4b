/** The v3 model's pure formulas (MODEL_SPEC_V3 §5, §7): the trigger and the sentiment step. */

/**
 * Conviction a proposal needs: `rho·supply/(beta − share)²·1/(1 − alpha)` with
 * `share = requested/funds`, or +Infinity when `share ≥ beta`. The operations
 * run in the original's order, so the numpy mode reproduces it to the bit.
 */
export function triggerThresholdV3(
  requested: number,
  funds: number,
  supply: number,
  beta: number,
  rho: number,
  alpha: number,
): number {
  const share = requested / funds;
  if (share < beta) {
    const d = beta - share;
    return (((rho * supply) / (d * d)) * 1) / (1 - alpha);
  }
  return Infinity;
}

/** Moves `x` a fraction `mu` toward `force`, clipped to [0, 1]: `min(1, max(0, x(1 − mu) + force·mu))`. */
export function adjust(x: number, force: number, mu: number): number {
  return Math.min(1, Math.max(0, x * (1 - mu) + force * mu));
}

/** The sentiment step of PSUB 3 and PSUB 4. */
export const SENTIMENT_STEP = 0.25;
