/**
 * The model's draws (MODEL_SPEC §4), on the run's `RandomSource`. Each
 * generator brings its own algorithm per distribution (seedrandom: built from
 * uniforms; numpy: numpy's legacy ones), and the operation order here is the
 * original's, so that the numpy generator reproduces its runs (Appendix A §4.3).
 */
import type { RandomSource } from '../../engine/types';

/** Exponential with mean `scale` (location 0). */
export function exponential(rng: RandomSource, scale: number): number {
  return rng.exponential(scale);
}

/** Standard normal. */
export function normal(rng: RandomSource): number {
  return rng.normal();
}

/** Gamma with `shape`, `loc` and `scale` (mean `loc + shape*scale`): scale·g + loc, as scipy's `gamma.rvs`. */
export function gamma(rng: RandomSource, shape: number, loc: number, scale: number): number {
  if (!(shape > 0)) throw new RangeError(`random: gamma shape must be > 0, got ${shape}`);
  return rng.gamma(shape, scale) + loc;
}

/** Polarized affinity `1 - 4(1-u)u`: U-shaped on [0, 1], median 0.25. */
export function polarizedAffinity(rng: RandomSource): number {
  const u = rng.random();
  // (1 − u) first, the product subtracted from 1 last: the original's rounding.
  return 1 - 4 * (1 - u) * u;
}

/** A uniformly chosen whole number in [0, n): the original's `np.random.choice` over n items. */
export function uniformIndex(rng: RandomSource, n: number): number {
  return rng.integer(n);
}
