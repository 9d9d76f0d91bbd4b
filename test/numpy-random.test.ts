/**
 * The numpy-compatible generator against values numpy produces. Unless said
 * otherwise the expected values were printed by numpy 2.4.6's legacy
 * `np.random.RandomState` (whose streams NEP 19 freezes, so every numpy since
 * 1.17 gives them) with `repr`, which round-trips a double exactly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNumpySeed, MT19937, NUMPY_GENERATOR, numpyRunSeed, pairwiseSum, RandomState } from '../src/engine/numpy';
import { generatorNamed, GENERATORS, SEEDRANDOM_GENERATOR } from '../src/engine/rng';

function take(n: number, f: () => number): number[] {
  return Array.from({ length: n }, f);
}

describe('#.MT19937', () => {
  it('should give the reference words of init_genrand(5489)', () => {
    const g = new MT19937(5489);
    const words = take(10000, () => g.nextUint32());
    // numpy: RandomState(5489).randint(0, 2**32, size=10000, dtype=np.uint64)
    assert.deepEqual(words.slice(0, 3), [3499211612, 581869302, 3890346734]);
    // The C++ standard ([rand.predef]): the 10000th output of a default-seeded std::mt19937 is 4123659995.
    assert.equal(words[9999], 4123659995);
  });

  it('should give the reference words of init_by_array', () => {
    // Matsumoto & Nishimura's mt19937ar.out (init_by_array({0x123, 0x234, 0x345, 0x456})),
    // and numpy's RandomState([0x123, 0x234, 0x345, 0x456]).
    const g = MT19937.fromArray([0x123, 0x234, 0x345, 0x456]);
    assert.deepEqual(take(5, () => g.nextUint32()), [1067595299, 955945823, 477289528, 4107218783, 4228976476]);
  });

  it('should throw if the seed is not a whole number in [0, 2^32 - 1]', () => {
    assert.throws(() => new MT19937(-1), /MT19937: seed must be a whole number in \[0, 4294967295\], got -1/);
    assert.throws(() => new MT19937(2 ** 32), /got 4294967296/);
    assert.throws(() => new MT19937(1.5), /got 1.5/);
    assert.throws(() => MT19937.fromArray([]), /must not be empty/);
    assert.throws(() => MT19937.fromArray([1, -2]), /got -2/);
  });
});

describe('#.RandomState', () => {
  it('should give random_sample() as np.random.seed(k) does', () => {
    const cases: Array<[number, number[]]> = [
      [0, [0.5488135039273248, 0.7151893663724195, 0.6027633760716439]],
      [1, [0.417022004702574, 0.7203244934421581, 0.00011437481734488664]],
      [42, [0.3745401188473625, 0.9507143064099162, 0.7319939418114051]],
      [4294967295, [0.0976320289940138, 0.9123828453026218, 0.78903530185164]],
    ];
    for (const [seed, expected] of cases) {
      const r = new RandomState(seed);
      assert.deepEqual(take(3, () => r.randomSample()), expected, `seed ${seed}`);
      const again = new RandomState(seed);
      assert.equal(again.random(), expected[0], `random() is random_sample(), seed ${seed}`);
    }
  });

  it('should give standard_normal() by the legacy polar method, the second value from the cache', () => {
    // np.random.seed(0); np.random.standard_normal(5)
    const r = new RandomState(0);
    assert.deepEqual(take(5, () => r.standardNormal()), [
      1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458, 1.8675579901499675,
    ]);
    // The cached value costs no word: after two normals (one polar pass of >= 4 words),
    // a third starts a new pass. normal() with no arguments is the standard normal.
    const a = new RandomState(0);
    assert.equal(a.normal(), 1.764052345967664);
    assert.equal(a.normal(), 0.4001572083672233);
    // RandomState(9).normal(5.0, 2.0)
    assert.equal(new RandomState(9).normal(5, 2), 5.002217109424422);
  });

  it('should give standard_exponential() and exponential(scale)', () => {
    // RandomState(1).standard_exponential(3), then .exponential(16666.666666666668)
    const r = new RandomState(1);
    assert.deepEqual(take(3, () => r.standardExponential()), [0.5396058372591854, 1.2741252530133043, 0.00011438135864308592]);
    assert.equal(r.exponential(16666.666666666668), 6000.21258089865);
    // -ln(1 - U): U of seed 1 is 0.417022004702574
    assert.equal(new RandomState(1).standardExponential(), -Math.log(1 - 0.417022004702574));
  });

  it('should give standard_gamma(shape) for shapes above, at and below 1, and gamma(shape, scale)', () => {
    const g3 = new RandomState(2);
    assert.deepEqual(take(4, () => g3.standardGamma(3)), [2.0423579171810284, 2.5758346009236632, 0.679305120593108, 1.5147516517073583]);
    assert.equal(new RandomState(2).gamma(3, 10000), 20423.579171810285);
    const g25 = new RandomState(4);
    assert.deepEqual(take(3, () => g25.standardGamma(2.5)), [2.2419468989003204, 2.989036510863981, 1.006485787016983]);
    const g05 = new RandomState(3);
    assert.deepEqual(take(4, () => g05.standardGamma(0.5)), [0.3064370912697103, 0.0846255671220083, 1.6145306258960375, 0.01577167020429814]);
    // shape 1 is the standard exponential, draw for draw
    const g1 = new RandomState(3);
    assert.deepEqual(take(2, () => g1.standardGamma(1)), [0.8002823868824798, 1.2315078467403449]);
    assert.equal(new RandomState(3).standardGamma(0), 0);
    assert.throws(() => new RandomState(3).standardGamma(-1), /shape must be >= 0, got -1/);
  });

  it('should share one gauss cache between normal and gamma draws', () => {
    // r = RandomState(5): standard_normal(), standard_gamma(3.0), standard_normal(), random_sample()
    const r = new RandomState(5);
    assert.equal(r.standardNormal(), 0.44122748688504143);
    assert.equal(r.standardGamma(3), 2.1620281246682698);
    assert.equal(r.standardNormal(), -0.023303746449855414);
    assert.equal(r.randomSample(), 0.6117438629026457);
  });

  it('should give randint by masked rejection on 32-bit words, and nothing drawn for one value', () => {
    // r = RandomState(6): 8 × randint(0, 7), 3 × randint(0, 64), 2 × randint(5, 6), random_sample()
    const r = new RandomState(6);
    assert.deepEqual(take(8, () => r.randint(0, 7)), [2, 1, 3, 4, 2, 5, 2, 0]);
    assert.deepEqual(take(3, () => r.randint(0, 64)), [62, 25, 1]);
    assert.deepEqual(take(2, () => r.randint(5, 6)), [5, 5]);
    assert.equal(r.randomSample(), 0.5298173621928216);
    const same = new RandomState(6);
    assert.deepEqual(take(8, () => same.integer(7)), [2, 1, 3, 4, 2, 5, 2, 0]);
    assert.throws(() => r.randint(3, 3), /RandomState.randint: need whole numbers low < high, got \[3, 3\)/);
  });

  it('should give choice(items) as numpy (randint over the length)', () => {
    // r = RandomState(7): 5 × choice(np.arange(10, 90))
    const r = new RandomState(7);
    const items = Array.from({ length: 80 }, (_, k) => 10 + k);
    assert.deepEqual(take(5, () => r.choice(items)), [57, 78, 35, 77, 33]);
    assert.throws(() => r.choice([]), /items must not be empty/);
  });

  it('should give uniform(low, high) as low + (high - low) U', () => {
    // RandomState(8).uniform(-1, 1) three times
    const r = new RandomState(8);
    assert.deepEqual(take(3, () => r.uniform(-1, 1)), [0.7468588055836325, 0.937081325641864, 0.7383890804278399]);
  });

  it("should reproduce scipy's expon.rvs and gamma.rvs on the global generator", () => {
    // np.random.seed(1); scipy.stats.expon.rvs(scale=2.0); scipy.stats.gamma.rvs(3, loc=0.001, scale=10000) (scipy 1.17.1)
    const r = new RandomState(1);
    assert.equal(r.exponential(2), 1.0792116745183709);
    assert.equal(r.gamma(3, 10000) + 0.001, 15595.104883569331);
  });

  it("should reproduce the original v1 model's seed-1 checkpoints of MODEL_SPEC Appendix A §4.2", () => {
    // 60 holdings Exp(1e6 / 60), then the first request Gamma3(0.001, 10000), then one polarized affinity.
    const r = new RandomState(1);
    const holdings = take(60, () => r.exponential(1e6 / 60));
    assert.equal(holdings[0], 8993.430620986424);
    assert.equal(r.gamma(3, 10000) + 0.001, 23655.074635433546);
    const u = r.random();
    assert.equal(1 - 4 * (1 - u) * u, 0.029460791115744067);
    // numpy's pairwise sum of the genesis holdings, and the left-to-right one (both from the spec)
    assert.equal(pairwiseSum(holdings), 872357.1690163705);
    assert.equal(holdings.reduce((a, b) => a + b, 0), 872357.1690163708);
  });
});

describe('#.pairwiseSum', () => {
  /** x_k = (1 / (k + 1)) · (1e8 when k % 5 = 0) − (0.3 when k % 3 = 0): mixed magnitudes, so the rounding shows. */
  const xs = (n: number): number[] =>
    Array.from({ length: n }, (_, k) => (1 / (k + 1)) * (k % 5 === 0 ? 1e8 : 1) - (k % 3 === 0 ? 0.3 : 0));
  const leftToRight = (x: number[]): number => x.reduce((a, b) => a + b, 0);

  it('should equal np.sum for every branch: under 8, 8 to 128, and the split above 128', () => {
    // np.sum(np.array(xs(n), dtype=np.float64)) for each n
    const expected: Array<[number, number]> = [
      [0, 0],
      [1, 99999999.7],
      [7, 116666667.19285715],
      [8, 116666667.31785715],
      [9, 116666667.42896825],
      [17, 132007576.0770525],
      [24, 136769480.52774388],
      [100, 165395310.28144422],
      [127, 170711869.94361243],
      [128, 170711869.95142493],
      [129, 170711869.95917684],
      [136, 172210521.9931068],
      [255, 184299619.09156647],
      [256, 184690243.79156646],
      [300, 187567646.54909712],
      [1000, 211717048.80446112],
    ];
    for (const [n, sum] of expected) assert.equal(pairwiseSum(xs(n)), sum, `n = ${n}`);
  });

  it('should differ from a left-to-right sum where numpy does', () => {
    // left to right: 136769480.52774385 (n = 24), 184299619.09156656 (n = 255), 211717048.80446061 (n = 1000)
    assert.equal(leftToRight(xs(24)), 136769480.52774385);
    assert.notEqual(pairwiseSum(xs(24)), leftToRight(xs(24)));
    assert.equal(leftToRight(xs(255)), 184299619.09156656);
    assert.equal(leftToRight(xs(1000)), 211717048.80446061);
  });

  it('should sum a slice [start, end) of a typed array', () => {
    const f = new Float64Array([...xs(300), 1e300, -1e300]);
    assert.equal(pairwiseSum(f, 0, 300), 187567646.54909712);
    assert.equal(pairwiseSum(f, 1, 3), xs(3)[1] + xs(3)[2]);
  });

  it('should give +0 for an empty list or a list of -0, as numpy starts from 0', () => {
    assert.ok(Object.is(pairwiseSum([]), 0));
    assert.ok(Object.is(pairwiseSum([-0]), 0));
    assert.ok(Object.is(pairwiseSum(new Array(10).fill(-0)), 0));
  });
});

describe('#.NUMPY_GENERATOR', () => {
  it('should seed run 1 with the seed itself and run r with seed + r - 1', () => {
    for (const [seed, run] of [
      [0, 1],
      [42, 1],
      [42, 3],
    ]) {
      const g = NUMPY_GENERATOR.create(seed, 0, 0, run);
      assert.equal(g.random(), new RandomState(seed + run - 1).randomSample());
    }
    assert.equal(numpyRunSeed(7, 1), 7);
    assert.equal(numpyRunSeed(7, 5), 11);
    // wraps past 2^32 - 1
    assert.equal(numpyRunSeed(4294967295, 2), 0);
  });

  it('should give the same stream to every simulation and subset of a run (common random numbers)', () => {
    const a = NUMPY_GENERATOR.create(5, 0, 0, 2);
    const b = NUMPY_GENERATOR.create(5, 3, 7, 2);
    assert.deepEqual(take(5, () => a.random()), take(5, () => b.random()));
  });

  it('should accept only whole seeds in [0, 2^32 - 1], naming the seed', () => {
    assert.doesNotThrow(() => NUMPY_GENERATOR.checkSeed(0));
    assert.doesNotThrow(() => NUMPY_GENERATOR.checkSeed(4294967295));
    for (const bad of [-1, 1.5, 2 ** 32, NaN, 'abc']) {
      assert.throws(() => NUMPY_GENERATOR.checkSeed(bad), /^RangeError: config: seed must be a whole number in \[0, 4294967295\] with the numpy generator, got /);
    }
    assert.throws(() => checkNumpySeed('7'), /got "7"/);
  });
});

describe('#.generatorNamed', () => {
  it('should give each generator by name, seedrandom by default', () => {
    assert.equal(generatorNamed('numpy'), NUMPY_GENERATOR);
    assert.equal(generatorNamed('seedrandom'), SEEDRANDOM_GENERATOR);
    assert.equal(generatorNamed(), SEEDRANDOM_GENERATOR);
    assert.deepEqual(Object.keys(GENERATORS), ['seedrandom', 'numpy']);
  });

  it('should throw naming rng and the known names for another name', () => {
    assert.throws(() => generatorNamed('mt'), /^RangeError: config: rng must be one of seedrandom, numpy, got "mt"$/);
    assert.throws(() => generatorNamed('toString'), /got "toString"/);
  });
});
