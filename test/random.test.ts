import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRng, SEEDRANDOM_GENERATOR, uniformSource, type UniformSource } from '../src/engine/rng';
import { exponential, gamma, normal, polarizedAffinity, uniformIndex } from '../src/models/v1/random';
import { assertClose, meanSd, scripted } from './helpers/tiny';

const N = 40000;
/** Tolerance in standard errors: a correct sampler fails with probability ~6e-5 per check. */
const Z = 4;

function draws(seed: string, f: (rng: UniformSource) => number, n = N): number[] {
  const rng = runRng(seed, 0, 0, 1);
  return Array.from({ length: n }, () => f(rng));
}

/** Sample variance with its standard error from the fourth central moment: sqrt((m4 - s^4) / n). */
function varianceWithSe(xs: number[]): { v: number; se: number } {
  const { mean, sd } = meanSd(xs);
  const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / xs.length;
  return { v: sd * sd, se: Math.sqrt((m4 - sd ** 4) / xs.length) };
}

describe('#.runRng', () => {
  it('should give the same stream for the same seed and indices', () => {
    const a = draws('s', (r) => r(), 100);
    const b = draws('s', (r) => r(), 100);
    assert.deepEqual(a, b);
  });

  it('should give different streams for another seed, simulation, subset or run', () => {
    const first = (seed: string | number, sim: number, sub: number, run: number) => {
      const r = runRng(seed, sim, sub, run);
      return [r(), r(), r()];
    };
    const base = first('s', 0, 0, 1);
    assert.notDeepEqual(first('t', 0, 0, 1), base);
    assert.notDeepEqual(first('s', 1, 0, 1), base);
    assert.notDeepEqual(first('s', 0, 1, 1), base);
    assert.notDeepEqual(first('s', 0, 0, 2), base);
  });

  it('should give uniform numbers on [0, 1)', () => {
    const xs = draws('u', (r) => r());
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const { mean, sd } = meanSd(xs);
    // U(0,1): mean 1/2, sd 1/sqrt(12)
    assert.ok(Math.abs(mean - 0.5) < (Z * Math.sqrt(1 / 12)) / Math.sqrt(N), `mean ${mean}`);
    assert.ok(Math.abs(sd - Math.sqrt(1 / 12)) < 0.01, `sd ${sd}`);
  });
});

describe('#.exponential', () => {
  it('should invert the uniform: -scale * ln(1 - u)', () => {
    // u = 0.5: 2 * ln 2
    assertClose(exponential(scripted([0.5]), 2), 2 * Math.LN2, 1e-15, 'Exp(2) at u=0.5');
    // u = 0: 0 (never infinite, 1 - u is in (0, 1]); -3 * ln 1 is -0, which equals 0
    assert.ok(exponential(scripted([0]), 3) === 0);
    // u = 0.75: ln 4
    assertClose(exponential(scripted([0.75]), 1), Math.log(4), 1e-15, 'Exp(1) at u=0.75');
  });

  it('should draw one number per call', () => {
    const rng = scripted([0.1, 0.2]);
    exponential(rng, 1);
    assert.equal(rng.remaining(), 1);
  });

  it('should have mean scale and variance scale^2 over many seeded draws', () => {
    for (const scale of [1, 2.5, 1e4]) {
      const xs = draws(`exp${scale}`, (r) => exponential(r, scale));
      assert.ok(xs.every((x) => x >= 0 && Number.isFinite(x)));
      const { mean } = meanSd(xs);
      // standard error of the mean: scale / sqrt(N)
      assert.ok(Math.abs(mean - scale) < (Z * scale) / Math.sqrt(N), `scale ${scale}: mean ${mean}`);
      // standard error of the variance: sqrt((mu4 - sigma^4) / N) = scale^2 sqrt(8 / N) (mu4 = 9 scale^4)
      const { v } = varianceWithSe(xs);
      assert.ok(Math.abs(v - scale * scale) < Z * scale * scale * Math.sqrt(8 / N), `scale ${scale}: variance ${v}`);
    }
  });
});

describe('#.gamma', () => {
  it('should throw if the shape is not positive', () => {
    assert.throws(() => gamma(scripted([]), 0, 0, 1), /shape must be > 0, got 0/);
    assert.throws(() => gamma(scripted([]), -1, 0, 1), /shape must be > 0/);
    assert.throws(() => gamma(scripted([]), NaN, 0, 1), /shape must be > 0/);
  });

  it('should be loc + scale * (sum of 3 standard exponentials) for shape 3', () => {
    // u = 0.5 three times: 0.001 + 10000 * 3 ln 2
    const rng = scripted([0.5, 0.5, 0.5]);
    assertClose(gamma(rng, 3, 0.001, 10000), 0.001 + 10000 * 3 * Math.LN2, 1e-15, 'gamma(3)');
    assert.equal(rng.remaining(), 0);
    // u = 0, 0.75, 0.5: 0 + ln 4 + ln 2 = 3 ln 2 scaled by 2, plus loc 1
    assertClose(gamma(scripted([0, 0.75, 0.5]), 3, 1, 2), 1 + 2 * 3 * Math.LN2, 1e-15, 'gamma(3) mixed');
  });

  it('should have mean loc + 3 scale and variance 3 scale^2 for shape 3 over many seeded draws', () => {
    const loc = 0.001;
    const scale = 10000;
    const xs = draws('gamma3', (r) => gamma(r, 3, loc, scale));
    assert.ok(xs.every((x) => x >= loc));
    const { mean } = meanSd(xs);
    // sd = sqrt(3) * scale; standard error of the mean sqrt(3) * scale / sqrt(N)
    assert.ok(Math.abs(mean - (loc + 3 * scale)) < (Z * Math.sqrt(3) * scale) / Math.sqrt(N), `mean ${mean}`);
    // variance 3 scale^2; mu4 - sigma^4 = (2k^2 + 6k) scale^4 = 36 scale^4 for k = 3
    const { v } = varianceWithSe(xs);
    assert.ok(Math.abs(v - 3 * scale * scale) < (Z * 6 * scale * scale) / Math.sqrt(N), `variance ${v}`);
  });

  it('should have mean loc + k scale and variance k scale^2 for non-integer and large shapes', () => {
    for (const [k, loc, scale] of [
      [2.5, 0, 1],
      [0.4, 5, 2],
      [7.3, 0.001, 100],
      [20, 0, 0.5],
    ]) {
      const xs = draws(`gamma${k}`, (r) => gamma(r, k, loc, scale));
      assert.ok(xs.every((x) => x >= loc && Number.isFinite(x)), `shape ${k}: support`);
      const { mean } = meanSd(xs);
      assert.ok(Math.abs(mean - (loc + k * scale)) < (Z * Math.sqrt(k) * scale) / Math.sqrt(N), `shape ${k}: mean ${mean}`);
      // Var(s^2) ~ (2k^2 + 6k) scale^4 / N
      const { v } = varianceWithSe(xs);
      const seV = (Math.sqrt(2 * k * k + 6 * k) * scale * scale) / Math.sqrt(N);
      assert.ok(Math.abs(v - k * scale * scale) < Z * seV, `shape ${k}: variance ${v} vs ${k * scale * scale}`);
    }
  });
});

describe('#.normal', () => {
  it('should have mean 0 and variance 1 over many seeded draws', () => {
    const xs = draws('normal', (r) => normal(r));
    const { mean } = meanSd(xs);
    assert.ok(Math.abs(mean) < Z / Math.sqrt(N), `mean ${mean}`);
    // Var(s^2) = 2 / N for a standard normal
    const { v } = varianceWithSe(xs);
    assert.ok(Math.abs(v - 1) < Z * Math.sqrt(2 / N), `variance ${v}`);
  });
});

describe('#.polarizedAffinity', () => {
  it('should give 1 - 4 (1 - u) u on hand-worked values', () => {
    assert.equal(polarizedAffinity(scripted([0])), 1);
    assert.equal(polarizedAffinity(scripted([0.5])), 0);
    // 1 - 4 * 0.75 * 0.25 = 0.25
    assert.equal(polarizedAffinity(scripted([0.25])), 0.25);
    // 1 - 4 * 0.9 * 0.1 = 0.64
    assertClose(polarizedAffinity(scripted([0.1])), 0.64, 1e-15, 'u=0.1');
  });

  it('should lie in [0, 1] with median 0.25 and mean 1/3 over many seeded draws', () => {
    const xs = draws('aff', (r) => polarizedAffinity(r));
    assert.ok(xs.every((x) => x >= 0 && x <= 1));
    // a = (1 - 2u)^2 <= 0.25 iff u in [0.25, 0.75]: probability exactly 1/2,
    // so the share below 0.25 is Binomial(N, 1/2) / N with sd 0.5 / sqrt(N)
    const below = xs.filter((x) => x <= 0.25).length / N;
    assert.ok(Math.abs(below - 0.5) < (Z * 0.5) / Math.sqrt(N), `share below 0.25: ${below}`);
    const sorted = [...xs].sort((a, b) => a - b);
    const med = (sorted[N / 2 - 1] + sorted[N / 2]) / 2;
    assert.ok(Math.abs(med - 0.25) < 0.01, `median ${med}`);
    // E[(1 - 2u)^2] = E[v^2], v ~ U(-1, 1): 1/3; Var = 1/5 - 1/9 = 4/45
    const { mean } = meanSd(xs);
    assert.ok(Math.abs(mean - 1 / 3) < (Z * Math.sqrt(4 / 45)) / Math.sqrt(N), `mean ${mean}`);
    // a = v^2 with v = |1 - 2u| ~ U(0, 1): P(a <= x) = sqrt(x); each share is Binomial / N
    for (const x of [0.01, 0.1, 0.5, 0.81, 0.99]) {
      const p = Math.sqrt(x);
      const share = xs.filter((a) => a <= x).length / N;
      assert.ok(Math.abs(share - p) < Z * Math.sqrt((p * (1 - p)) / N), `P(a <= ${x}) = ${share}, expected ${p}`);
    }
  });
});

describe('#.uniformIndex', () => {
  it('should map [0, 1) onto 0..n-1', () => {
    assert.equal(uniformIndex(scripted([0]), 3), 0);
    assert.equal(uniformIndex(scripted([0.34]), 3), 1);
    assert.equal(uniformIndex(scripted([0.999999999]), 3), 2);
    assert.equal(uniformIndex(scripted([0.5]), 1), 0);
  });

  it('should stay below n even at the top of the uniform range', () => {
    assert.equal(uniformIndex(scripted([1 - Number.EPSILON / 2]), 7), 6);
  });

  it('should give every index 0..n-1 equally often over many seeded draws', () => {
    const n = 7;
    const xs = draws('idx', (r) => uniformIndex(r, n));
    assert.ok(xs.every((x) => Number.isInteger(x) && x >= 0 && x < n));
    const counts = new Array(n).fill(0);
    for (const x of xs) counts[x]++;
    // each count ~ Binomial(N, 1/n): sd sqrt(N (1/n)(1 - 1/n))
    const sd = Math.sqrt(N * (1 / n) * (1 - 1 / n));
    for (const c of counts) assert.ok(Math.abs(c - N / n) < Z * sd, `counts ${counts}`);
  });
});

describe('#.uniformSource', () => {
  it('should draw each distribution from the uniform stream as documented', () => {
    const src = uniformSource(scripted([0.25, 0.5, 0.5, 0.5, 0.75, 0.5, 0.999]));
    // random() and a call both pass the uniform through
    assert.equal(src.random(), 0.25);
    // gamma(3, scale) is scale * (sum of 3 standard exponentials), without a location: 2 * 3 ln 2
    assertClose(src.gamma(3, 2), 6 * Math.LN2, 1e-15, 'gamma(3, 2)');
    // exponential(scale) by inversion: 4 * ln 4
    assertClose(src.exponential(4), 4 * Math.log(4), 1e-15, 'Exp(4)');
    // integer(n) = floor(u n): 0.5 * 10 -> 5; 0.999 * 3 -> 2
    assert.equal(src.integer(10), 5);
    assert.equal(src.integer(3), 2);
    assert.throws(() => src.gamma(0, 1), /random: gamma shape must be > 0, got 0/);
  });

  it('should be callable for a uniform, as a plain Rng', () => {
    const src = uniformSource(scripted([0.125]));
    assert.equal(src(), 0.125);
  });
});

describe('#.SEEDRANDOM_GENERATOR', () => {
  it("should create runRng's stream for each (simulation, subset, run)", () => {
    const a = SEEDRANDOM_GENERATOR.create('s', 1, 2, 3);
    const b = runRng('s', 1, 2, 3);
    assert.deepEqual([a.random(), a.random(), a.exponential(2)], [b(), b(), b.exponential(2)]);
  });

  it('should accept an integer within ±(2^53 − 1) or a non-empty string as seed, naming the seed otherwise', () => {
    assert.doesNotThrow(() => SEEDRANDOM_GENERATOR.checkSeed(-3));
    assert.doesNotThrow(() => SEEDRANDOM_GENERATOR.checkSeed('abc'));
    assert.throws(() => SEEDRANDOM_GENERATOR.checkSeed(''), /^ConfigError: config: seed must be an integer within ±\(2\^53 − 1\) or a non-empty string, got ""$/);
    assert.throws(() => SEEDRANDOM_GENERATOR.checkSeed(-3.5), /got -3.5/);
    assert.throws(() => SEEDRANDOM_GENERATOR.checkSeed(Infinity), /got Infinity/);
    assert.throws(() => SEEDRANDOM_GENERATOR.checkSeed(2 ** 60), /pass a larger seed as a string/);
  });
});
