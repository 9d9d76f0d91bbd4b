/**
 * numpy's legacy `RandomState` draws on MT19937 (numpy/random/src/legacy/
 * legacy-distributions.c and distributions.c): the algorithms the frozen
 * legacy streams of `np.random.*` use (NEP 19), so a seeded run here draws the
 * same numbers as the Python original with `np.random.seed(seed)`.
 * MODEL_SPEC_V3 §4.3 and MODEL_SPEC Appendix A §4.3 describe each draw.
 */
import type { RandomSource } from '../types';
import { MT19937 } from './mt19937';

/** A `RandomState` position: numpy's `get_state()` as plain data. */
export interface RandomStateSnapshot {
  key: number[];
  pos: number;
  hasGauss: boolean;
  gauss: number;
}

/** numpy's `np.random.RandomState`: legacy algorithms, one gauss cache per generator. */
export class RandomState implements RandomSource {
  private readonly mt: MT19937;
  private hasGauss = false;
  private gauss = 0;

  /** Seeded as `np.random.seed(seed)` (a whole number in [0, 2^32)) or with an MT19937 already seeded. */
  constructor(seed: number | MT19937) {
    this.mt = typeof seed === 'number' ? new MT19937(seed) : seed;
  }

  /** The generator's whole position, as numpy's `get_state()`: MT words and position plus the cached gauss. */
  getState(): RandomStateSnapshot {
    return { ...this.mt.getState(), hasGauss: this.hasGauss, gauss: this.gauss };
  }

  /** Restores a position from `getState()`: the draws that follow repeat exactly. */
  setState(state: unknown): void {
    const s = state as RandomStateSnapshot;
    if (typeof s !== 'object' || s === null || typeof s.hasGauss !== 'boolean' || typeof s.gauss !== 'number' || !s.key) {
      throw new TypeError('RandomState.setState: need a state from getState()');
    }
    this.mt.setState(s);
    this.hasGauss = s.hasGauss;
    this.gauss = s.gauss;
  }

  /** `random_sample()`: the 53-bit double on [0, 1). */
  randomSample(): number {
    return this.mt.nextDouble();
  }

  /** The next raw 32-bit word of the generator. */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /** Uniform on [0, 1): `random_sample()`. */
  random(): number {
    return this.mt.nextDouble();
  }

  /** `uniform(low, high)`: low + (high − low)·U. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.mt.nextDouble();
  }

  /**
   * `standard_normal()`: the legacy polar Box–Muller. Each pass yields two
   * values; the second is cached and returned by the next call, and the cache
   * is shared by every draw that uses a gauss (normal, gamma).
   */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gauss;
      this.gauss = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.mt.nextDouble() - 1.0;
      x2 = 2.0 * this.mt.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `normal(loc, scale)`: loc + scale·gauss. */
  normal(loc = 0, scale = 1): number {
    return loc + scale * this.standardNormal();
  }

  /** `standard_exponential()`: −ln(1 − U). */
  standardExponential(): number {
    return -Math.log(1.0 - this.mt.nextDouble());
  }

  /** `exponential(scale)`: scale·(standard exponential); mean `scale`. */
  exponential(scale = 1): number {
    return scale * this.standardExponential();
  }

  /**
   * `standard_gamma(shape)`, legacy: the exponential for shape 1, Johnk-type
   * rejection below 1, Marsaglia–Tsang (with the cached gauss) above 1.
   */
  standardGamma(shape: number): number {
    if (!(shape >= 0)) throw new RangeError(`RandomState.standardGamma: shape must be >= 0, got ${shape}`);
    if (shape === 1.0) return this.standardExponential();
    if (shape === 0.0) return 0.0;
    if (shape < 1.0) {
      for (;;) {
        const U = this.mt.nextDouble();
        const V = this.standardExponential();
        if (U <= 1.0 - shape) {
          const X = Math.pow(U, 1.0 / shape);
          if (X <= V) return X;
        } else {
          const Y = -Math.log((1 - U) / shape);
          const X = Math.pow(1.0 - shape + shape * Y, 1.0 / shape);
          if (X <= V + Y) return X;
        }
      }
    }
    const b = shape - 1.0 / 3.0;
    const c = 1.0 / Math.sqrt(9 * b);
    for (;;) {
      let X: number;
      let V: number;
      do {
        X = this.standardNormal();
        V = 1.0 + c * X;
      } while (V <= 0.0);
      V = V * V * V;
      const U = this.mt.nextDouble();
      if (U < 1.0 - 0.0331 * (X * X) * (X * X)) return b * V;
      if (Math.log(U) < 0.5 * X * X + b * (1.0 - V + Math.log(V))) return b * V;
    }
  }

  /** `gamma(shape, scale)`: scale·(standard gamma); mean shape·scale. scipy's `gamma.rvs(a, loc, scale)` is this plus `loc`. */
  gamma(shape: number, scale = 1): number {
    return scale * this.standardGamma(shape);
  }

  /**
   * `randint(low, high)`: a whole number in [low, high) by masked rejection on
   * 32-bit words (numpy's legacy bounded integers); one value draws nothing.
   */
  randint(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || !(high > low)) {
      throw new RangeError(`RandomState.randint: need whole numbers low < high, got [${low}, ${high})`);
    }
    const range = high - low - 1;
    if (range > 0xffffffff) throw new RangeError(`RandomState.randint: ranges above 2^32 are not supported, got ${range + 1}`);
    if (range === 0) return low;
    if (range === 0xffffffff) return low + this.mt.nextUint32();
    const mask = maskFor(range);
    let v: number;
    do {
      v = (this.mt.nextUint32() & mask) >>> 0;
    } while (v > range);
    return low + v;
  }

  /** A whole number in [0, n): `randint(0, n)`. */
  integer(n: number): number {
    return this.randint(0, n);
  }

  /** `choice(items)` without weights: `items[randint(0, length)]`. */
  choice<T>(items: ReadonlyArray<T>): T {
    if (items.length === 0) throw new RangeError('RandomState.choice: items must not be empty');
    return items[this.randint(0, items.length)];
  }
}

/** The smallest 2^k − 1 that is ≥ `max` (numpy's `gen_mask`). */
function maskFor(max: number): number {
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}
