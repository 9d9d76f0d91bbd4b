import seedrandom from 'seedrandom';
import { ConfigError } from './errors';
import { NUMPY_GENERATOR } from './numpy';
import type { RandomSource, Rng } from './types';
import { showValue } from './validate';

/** A seed as users give it: an integer within ±(2^53 − 1), or a non-empty string used exactly as written. */
export type Seed = number | string;

/** A uniform stream that carries the samplers built on it: call it for a uniform, or use its `RandomSource` methods. */
export type UniformSource = Rng & RandomSource;

/** Throws a ConfigError unless `seed` is an integer within ±(2^53 − 1) or a non-empty string (larger numbers lose digits: pass them as text). */
export function checkSeedValue(seed: unknown): asserts seed is Seed {
  if (typeof seed === 'string' && seed.length > 0) return;
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) return;
  const hint = typeof seed === 'number' && Number.isFinite(seed) && Math.abs(seed) > Number.MAX_SAFE_INTEGER ? '; pass a larger seed as a string' : '';
  throw new ConfigError(`config: seed must be an integer within ±(2^53 − 1) or a non-empty string, got ${showValue(seed)}${hint}`);
}

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
 * The default generator of one (simulation, subset, run): derived from the user
 * seed so that a run's draws do not depend on which worker runs it or in what order.
 */
export function runRng(seed: Seed, simulation: number, subset: number, run: number): UniformSource {
  // Alea is fast and has good statistical quality; the key names every index so
  // runs never share a stream.
  let prng = seedrandom.alea(`${seedKey(seed)}|sim=${simulation}|subset=${subset}|run=${run}`, { state: true });
  // The samplers keep no cache between calls, so Alea's own state is the whole position.
  return Object.assign(uniformSource(() => prng()), {
    getState: (): unknown => prng.state(),
    setState(state: unknown): void {
      if (typeof state !== 'object' || state === null) throw new TypeError('random: setState needs a state from getState()');
      prng = seedrandom.alea('', { state: state as seedrandom.State.Alea });
    },
  });
}

/**
 * Every distribution drawn from one uniform stream: exponential by inversion,
 * gamma of a whole shape ≤ 16 as a sum of exponentials (exact) and otherwise by
 * Marsaglia–Tsang, normal by Box–Muller, whole numbers by scaling. The default
 * generator's samplers; tests drive them with scripted uniforms.
 */
export function uniformSource(u: Rng): UniformSource {
  const normal = (): number => {
    // One value per call: the pair's sine half is dropped.
    const a = 1 - u();
    const b = u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
  };
  return Object.assign(() => u(), {
    random: u,
    // 1 − U is in (0, 1], so the log is finite.
    exponential: (scale: number) => -scale * Math.log(1 - u()),
    normal,
    gamma(shape: number, scale: number) {
      if (!(shape > 0)) throw new RangeError(`random: gamma shape must be > 0, got ${shape}`);
      if (Number.isInteger(shape) && shape <= 16) {
        let s = 0;
        for (let k = 0; k < shape; k++) s -= Math.log(1 - u());
        return scale * s;
      }
      const boost = shape < 1 ? Math.pow(u(), 1 / shape) : 1;
      const a = shape < 1 ? shape + 1 : shape;
      const d = a - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x: number;
        let v: number;
        do {
          x = normal();
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const w = u();
        if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return scale * d * v * boost;
      }
    },
    integer: (n: number) => Math.min(n - 1, Math.floor(u() * n)),
  } satisfies RandomSource);
}

/** How each run's generator is made from the user seed. */
export interface Generator {
  /** The name users choose it by (`simulate({ rng })`, `--rng`). */
  readonly name: GeneratorName;
  /** Throws a RangeError naming the seed and what this generator accepts; called before any run starts. */
  checkSeed(seed: Seed): void;
  /** The generator of one (simulation, subset, run). */
  create(seed: Seed, simulation: number, subset: number, run: number): RandomSource;
}

/** Names of the generators. */
export type GeneratorName = 'seedrandom' | 'numpy';

/** The default: seedrandom's Alea, one independent stream per (simulation, subset, run), with `uniformSource`'s samplers. */
export const SEEDRANDOM_GENERATOR: Generator = {
  name: 'seedrandom',
  checkSeed: (seed) => checkSeedValue(seed),
  create: runRng,
};

/** Every generator by name. */
export const GENERATORS: Readonly<Record<GeneratorName, Generator>> = Object.freeze({
  seedrandom: SEEDRANDOM_GENERATOR,
  numpy: NUMPY_GENERATOR,
});

/** The generator called `name` (default seedrandom); an unknown name is a RangeError listing the known ones. */
export function generatorNamed(name: unknown = 'seedrandom'): Generator {
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(GENERATORS, name)) {
    return GENERATORS[name as GeneratorName];
  }
  throw new RangeError(`config: rng must be one of ${Object.keys(GENERATORS).join(', ')}, got ${showValue(name)}`);
}
