/**
 * The pure mathematics of conviction voting: the trigger threshold
 * (MODEL_SPEC §5), the conviction recursion (§7 PSUB 4) and its closed forms.
 * No state, no randomness: tested by hand-worked values.
 */

/**
 * Conviction a proposal needs to pass: `rho * supply / (beta - share)^2` with
 * `share = requested / funds`, or +Infinity when `share >= beta`.
 */
export function triggerThreshold(requested: number, funds: number, supply: number, beta: number, rho: number): number {
  const share = requested / funds;
  if (share < beta) return (rho * supply) / ((beta - share) * (beta - share));
  return Infinity;
}

/** One step of the conviction recursion: `tokens + alpha * previous`. */
export function convictionStep(previous: number, tokens: number, alpha: number): number {
  return tokens + alpha * previous;
}

/** Conviction after `t` steps of constant support `x` from `y0`: `a^t·y0 + x·(1−a^t)/(1−a)`. */
export function convictionAfter(t: number, x: number, alpha: number, y0 = 0): number {
  const at = Math.pow(alpha, t);
  return at * y0 + (x * (1 - at)) / (1 - alpha);
}

/** The conviction constant support `x` tends to: `x / (1 − alpha)`. */
export function maxConviction(x: number, alpha: number): number {
  return x / (1 - alpha);
}

/**
 * Smallest whole number of steps after which constant support `x` (from `y0`)
 * makes conviction exceed `threshold`; Infinity when it never does.
 */
export function stepsToPass(threshold: number, x: number, alpha: number, y0 = 0): number {
  if (y0 > threshold) return 0;
  const limit = maxConviction(x, alpha);
  if (!(limit > threshold)) return Infinity;
  if (alpha === 0) return 1;
  // a^t (y0 - L) + L > threshold  <=>  a^t < (L - threshold) / (L - y0)
  const t = Math.log((limit - threshold) / (limit - y0)) / Math.log(alpha);
  let steps = Math.max(1, Math.ceil(t));
  // Guard the floating-point edge of the ceiling against the recursion itself.
  while (steps > 1 && convictionAfter(steps - 1, x, alpha, y0) > threshold) steps--;
  while (!(convictionAfter(steps, x, alpha, y0) > threshold)) steps++;
  return steps;
}
