/**
 * The v3 model's draws (MODEL_SPEC_V3 §4.1) on the run's generator: U, V,
 * Exp(loc, scale), Gamma3(loc, scale) and Pick. With the default generator
 * (a uniform stream) they are exact samplers of each law; with a
 * numpy-compatible generator they are numpy's legacy algorithms (§4.3), so the
 * original's streams are reproduced draw for draw.
 */
import type { Rng } from '../../engine/types';

/** What a numpy-compatible generator offers beyond uniforms: raw 32-bit words and the legacy cached Gaussian. */
export interface LegacySource {
  /** The next 32-bit word of MT19937. */
  uint32(): number;
  /** numpy's legacy `gauss` (polar method, one value cached). */
  gauss(): number;
}

/** The generator's legacy side, when it has one. */
function legacyOf(rng: Rng): LegacySource | undefined {
  return (rng as Rng & { legacy?: LegacySource }).legacy;
}

/** U(): uniform on [0, 1). */
export function U(rng: Rng): number {
  return rng();
}

/** V(): uniform on [−1, 1), as numpy's `uniform(-1, 1)` computes it. */
export function V(rng: Rng): number {
  return -1 + 2 * rng();
}

/** Exp(loc, scale) = scale·e + loc with e standard exponential (−ln(1 − U)). */
export function Exp(rng: Rng, loc: number, scale: number): number {
  return scale * -Math.log(1 - rng()) + loc;
}

/** Gamma3(loc, scale) = scale·g + loc with g standard gamma of shape 3. */
export function Gamma3(rng: Rng, loc: number, scale: number): number {
  return scale * standardGamma3(rng) + loc;
}

/** Standard gamma, shape 3: numpy's legacy Marsaglia–Tsang when the generator is numpy's, else a sum of three exponentials. */
export function standardGamma3(rng: Rng): number {
  const legacy = legacyOf(rng);
  if (!legacy) return -Math.log(1 - rng()) - Math.log(1 - rng()) - Math.log(1 - rng());
  const b = 3 - 1 / 3;
  const c = 1 / Math.sqrt(9 * b);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = legacy.gauss();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * (x * x) * (x * x)) return b * v;
    if (Math.log(u) < 0.5 * x * x + b * (1 - v + Math.log(v))) return b * v;
  }
}

/** Pick(L): an index in [0, L) chosen uniformly; numpy's masked rejection on 32-bit words when the generator is numpy's. */
export function pickIndex(rng: Rng, length: number): number {
  if (length <= 1) return 0;
  const legacy = legacyOf(rng);
  if (!legacy) return Math.min(length - 1, Math.floor(rng() * length));
  const max = length - 1;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  for (;;) {
    const w = (legacy.uint32() & mask) >>> 0;
    if (w <= max) return w;
  }
}
