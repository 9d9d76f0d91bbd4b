/**
 * Samplers on top of the run's seeded uniform stream (MODEL_SPEC §4).
 * Every draw takes the generator explicitly: no hidden global randomness.
 */
import type { Rng } from '../engine/types';

/** Exponential with mean `scale` (location 0), by inversion. */
export function exponential(rng: Rng, scale: number): number {
  // 1 - U is in (0, 1], so the log is finite.
  return -scale * Math.log(1 - rng());
}

/** Standard normal by Box–Muller (one value per call, the pair's sine half is dropped). */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Gamma with `shape`, `loc` and `scale` (mean `loc + shape*scale`). Whole shapes
 * (the model uses 3) are a sum of exponentials, exact; others use Marsaglia–Tsang.
 */
export function gamma(rng: Rng, shape: number, loc: number, scale: number): number {
  if (!(shape > 0)) throw new Error(`random: gamma shape must be > 0, got ${shape}`);
  if (Number.isInteger(shape) && shape <= 16) {
    let s = 0;
    for (let k = 0; k < shape; k++) s -= Math.log(1 - rng());
    return loc + scale * s;
  }
  const boost = shape < 1 ? Math.pow(rng(), 1 / shape) : 1;
  const a = shape < 1 ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return loc + scale * d * v * boost;
  }
}

/** Polarized affinity `1 - 4(1-u)u`: U-shaped on [0, 1], median 0.25. */
export function polarizedAffinity(rng: Rng): number {
  const u = rng();
  return 1 - 4 * (1 - u) * u;
}

/** A uniformly chosen whole number in [0, n). */
export function uniformIndex(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}
