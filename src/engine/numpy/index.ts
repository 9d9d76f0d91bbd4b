/**
 * The numpy-compatible generator: MT19937 with numpy's legacy `RandomState`
 * draws, and numpy's pairwise sum. It exists to reproduce runs of the Python
 * original (`np.random.seed(k)`) draw for draw; the default generator stays seedrandom.
 */
import type { Generator, Seed } from '../rng';
import { showValue } from '../validate';
import { RandomState } from './random-state';

export { MT19937 } from './mt19937';
export { RandomState } from './random-state';
export { pairwiseSum } from './sum';

/** The largest seed numpy's legacy seeding accepts: 2^32 − 1. */
export const MAX_NUMPY_SEED = 0xffffffff;

/** Throws a RangeError unless `seed` is a whole number in [0, 2^32 − 1], as `np.random.seed` demands. */
export function checkNumpySeed(seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_NUMPY_SEED) {
    throw new RangeError(`config: seed must be a whole number in [0, ${MAX_NUMPY_SEED}] with the numpy generator, got ${showValue(seed)}`);
  }
}

/**
 * The numpy seed of Monte Carlo run `run` (from 1) for user seed `k`:
 * k + run − 1, wrapping past 2^32 − 1. Run 1 is seeded with k itself, so run r
 * is the original's run after `np.random.seed(k + r − 1)`. It does not depend on
 * the simulation or the parameter subset: every parameter set of a sweep (and
 * every model of an A/B experiment) sees the same streams, i.e. common random
 * numbers, as the original does when it is run at one seed with other parameters.
 */
export function numpyRunSeed(seed: number, run: number): number {
  return (seed + run - 1) % (MAX_NUMPY_SEED + 1);
}

/** numpy's legacy generator, one per run, seeded by `numpyRunSeed`. */
export const NUMPY_GENERATOR: Generator = {
  name: 'numpy',
  checkSeed: (seed: Seed) => checkNumpySeed(seed),
  create(seed, _simulation, _subset, run) {
    checkNumpySeed(seed);
    return new RandomState(numpyRunSeed(seed, run));
  },
};
