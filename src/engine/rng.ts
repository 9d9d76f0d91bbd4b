import seedrandom from 'seedrandom';
import type { Rng } from './types';

/** A seed as users give it: a number or a string. */
export type Seed = number | string;

/**
 * The generator of one (simulation, subset, run): derived from the user seed so
 * that a run's draws do not depend on which worker runs it or in what order.
 */
export function runRng(seed: Seed, simulation: number, subset: number, run: number): Rng {
  // Alea is fast and has good statistical quality; the key names every index so
  // runs never share a stream.
  const prng = seedrandom.alea(`${String(seed)}|sim=${simulation}|subset=${subset}|run=${run}`);
  return () => prng();
}
