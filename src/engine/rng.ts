import seedrandom from 'seedrandom';
import type { Rng } from './types';

/** A seed as users give it: an integer within ±(2^53 − 1), or a non-empty string used exactly as written. */
export type Seed = number | string;

/**
 * The text a seed contributes to every run's key. Numbers use their canonical
 * form (so 1, 1.0 and 1e0 are one seed); a string that reads exactly like a
 * canonical integer gets a marker, so the text seed "1" and the number 1 are
 * different seeds. Every other string is its own key, as before.
 */
export function seedKey(seed: Seed): string {
  if (typeof seed === 'number') return String(seed);
  return /^-?[1-9]\d*$|^0$/.test(seed) && Number.isSafeInteger(Number(seed)) ? `text:${seed}` : seed;
}

/**
 * The generator of one (simulation, subset, run): derived from the user seed so
 * that a run's draws do not depend on which worker runs it or in what order.
 */
export function runRng(seed: Seed, simulation: number, subset: number, run: number): Rng {
  // Alea is fast and has good statistical quality; the key names every index so
  // runs never share a stream.
  const prng = seedrandom.alea(`${seedKey(seed)}|sim=${simulation}|subset=${subset}|run=${run}`);
  return () => prng();
}
