/**
 * The Mersenne Twister MT19937 (Matsumoto & Nishimura 1998) with the two
 * seedings numpy's legacy `RandomState` uses: `init_genrand` for a whole-number
 * seed (`np.random.seed(k)`) and `init_by_array` for an array seed
 * (`np.random.seed([k0, k1, …])`). 32-bit words, as numpy's `mt19937.c`.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The MT19937 state: 624 words and a position; `nextUint32` gives the tempered words in order. */
export class MT19937 {
  private readonly key = new Uint32Array(N);
  private pos = N;

  /** A generator seeded as numpy's `RandomState(seed)` for a whole number 0 ≤ seed < 2^32. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937: seed must be a whole number in [0, 4294967295], got ${seed}`);
    }
    this.initGenrand(seed);
  }

  /** A generator seeded by `init_by_array`, as numpy's `RandomState([k0, k1, …])`. */
  static fromArray(keys: ReadonlyArray<number>): MT19937 {
    if (keys.length === 0) throw new RangeError('MT19937: an array seed must not be empty');
    for (const k of keys) {
      if (!Number.isInteger(k) || k < 0 || k > 0xffffffff) {
        throw new RangeError(`MT19937: array seed words must be whole numbers in [0, 4294967295], got ${k}`);
      }
    }
    const g = new MT19937(19650218);
    g.initByArray(keys);
    return g;
  }

  private initGenrand(seed: number): void {
    const mt = this.key;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 · prev overflows 2^53: Math.imul keeps the low 32 bits exactly.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.pos = N;
  }

  private initByArray(keys: ReadonlyArray<number>): void {
    const mt = this.key;
    this.initGenrand(19650218);
    const len = keys.length;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, len); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + keys[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    // A non-zero initial state is assured.
    mt[0] = 0x80000000;
    this.pos = N;
  }

  /** Refills the 624 words (the "twist"). */
  private generate(): void {
    const mt = this.key;
    let k = 0;
    let y: number;
    for (; k < N - M; k++) {
      y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
      mt[k] = mt[k + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; k < N - 1; k++) {
      y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
      mt[k] = mt[k + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** A copy of the 624 words and the position (numpy's `get_state()` key and pos). */
  getState(): { key: number[]; pos: number } {
    return { key: Array.from(this.key), pos: this.pos };
  }

  /** Restores a state from `getState()`: the words that follow repeat exactly. */
  setState(state: { key: ArrayLike<number>; pos: number }): void {
    if (state.key.length !== N || !Number.isInteger(state.pos) || state.pos < 0 || state.pos > N) {
      throw new RangeError(`MT19937.setState: need ${N} key words and a position in [0, ${N}]`);
    }
    this.key.set(state.key);
    this.pos = state.pos;
  }

  /** The next tempered 32-bit word, as an unsigned number. */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy's 53-bit double on [0, 1) from two words: ((a >> 5)·2^26 + (b >> 6)) / 2^53. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}
