/**
 * The v3 model's draws (MODEL_SPEC_V3 §4.1) on the run's generator: U, V,
 * Exp(loc, scale), Gamma3(loc, scale) and Pick. Each generator brings its own
 * algorithms (src/engine/rng.ts): the default samples each law exactly from
 * seedrandom's uniforms; the numpy one is numpy's legacy RandomState (§4.3),
 * so the original's streams are reproduced draw for draw. The operations here
 * follow the original's (`scale·e + loc`), for the same rounding.
 */
import type { RandomSource } from '../../engine/types';

/** U(): uniform on [0, 1). */
export function U(rng: RandomSource): number {
  return rng.random();
}

/** V(): uniform on [−1, 1), as numpy's `uniform(-1, 1)` computes it (low + (high − low)·U). */
export function V(rng: RandomSource): number {
  return -1 + 2 * rng.random();
}

/** Exp(loc, scale) = scale·e + loc with e standard exponential (scipy's `expon.rvs(loc, scale)`). */
export function Exp(rng: RandomSource, loc: number, scale: number): number {
  return rng.exponential(scale) + loc;
}

/** Gamma3(loc, scale) = scale·g + loc with g standard gamma of shape 3 (scipy's `gamma.rvs(3, loc, scale)`). */
export function Gamma3(rng: RandomSource, loc: number, scale: number): number {
  return rng.gamma(3, scale) + loc;
}

/** Pick(L): an index in [0, L) chosen uniformly (numpy: masked rejection on 32-bit words; L = 1 draws nothing). */
export function pickIndex(rng: RandomSource, length: number): number {
  // One element: no draw, with either generator, as numpy's bounded integers.
  return length <= 1 ? 0 : rng.integer(length);
}
