import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRng } from '../src/engine/rng';
import { convictionAfter, convictionStep, maxConviction, stepsToPass, triggerThreshold } from '../src/models/v1/maths';
import { assertClose } from './helpers/tiny';

/** Iterates convictionStep t times from y0 with constant support x. */
function iterate(t: number, x: number, alpha: number, y0 = 0): number {
  let y = y0;
  for (let k = 0; k < t; k++) y = convictionStep(y, x, alpha);
  return y;
}

describe('#.triggerThreshold', () => {
  it('should be +Infinity when the share equals beta', () => {
    // share = 2000 / 10000 = 0.2 = beta
    assert.equal(triggerThreshold(2000, 10000, 1e6, 0.2, 0.02), Infinity);
  });

  it('should be +Infinity when the share exceeds beta', () => {
    // share = 5000 / 10000 = 0.5 > 0.2
    assert.equal(triggerThreshold(5000, 10000, 1e6, 0.2, 0.02), Infinity);
    // share = 1 / 0 = +Infinity (empty pool)
    assert.equal(triggerThreshold(1, 0, 1e6, 0.2, 0.02), Infinity);
  });

  it('should be +Infinity just above beta and finite just below', () => {
    // share = 2000.0001 / 10000 > 0.2; share = 1999.9 / 10000 < 0.2
    assert.equal(triggerThreshold(2000.0001, 10000, 1e6, 0.2, 0.02), Infinity);
    const below = triggerThreshold(1999.9, 10000, 1e6, 0.2, 0.02);
    assert.ok(Number.isFinite(below));
    // (0.2 - 0.19999) = 1e-5, so 0.02 * 1e6 / 1e-10 = 2e14
    assertClose(below, 2e14, 1e-6, 'threshold just below beta');
  });

  it('should give rho * supply / (beta - share)^2 for a hand-worked case', () => {
    // share = 1000 / 10000 = 0.1; (0.2 - 0.1)^2 = 0.01; 0.02 * 1e6 = 20000; 20000 / 0.01 = 2e6
    assertClose(triggerThreshold(1000, 10000, 1e6, 0.2, 0.02), 2e6, 1e-12, 'threshold');
  });

  it('should give rho * supply / beta^2 for a zero request', () => {
    // 0.02 * 1e6 / 0.2^2 = 20000 / 0.04 = 500000
    assertClose(triggerThreshold(0, 10000, 1e6, 0.2, 0.02), 500000, 1e-12, 'threshold');
  });

  it('should match the reference defaults on a hand-worked case', () => {
    // supply 1231286.81, rho 0.02, beta 0.2, share = 1000 / 20000 = 0.05
    // 0.02 * 1231286.81 = 24625.7362; (0.2 - 0.05)^2 = 0.0225; 24625.7362 / 0.0225 = 1094477.16444...
    assertClose(triggerThreshold(1000, 20000, 1231286.81, 0.2, 0.02), 24625.7362 / 0.0225, 1e-12, 'threshold');
    assertClose(triggerThreshold(1000, 20000, 1231286.81, 0.2, 0.02), 1094477.1644444, 1e-10, 'threshold');
  });

  it('should grow as the share approaches beta and scale linearly in rho and supply', () => {
    const a = triggerThreshold(500, 10000, 1e6, 0.2, 0.02);
    const b = triggerThreshold(1500, 10000, 1e6, 0.2, 0.02);
    assert.ok(b > a);
    assertClose(triggerThreshold(500, 10000, 1e6, 0.2, 0.04), 2 * a, 1e-12, 'doubling rho');
    assertClose(triggerThreshold(500, 10000, 3e6, 0.2, 0.02), 3 * a, 1e-12, 'tripling supply');
  });
});

describe('#.convictionStep', () => {
  it('should return tokens + alpha * previous', () => {
    // 5 + 0.5 * 10 = 10
    assert.equal(convictionStep(10, 5, 0.5), 10);
    // 3 + 0.9 * 0 = 3
    assert.equal(convictionStep(0, 3, 0.9), 3);
    // 0 + 0.25 * 8 = 2: conviction decays without support
    assert.equal(convictionStep(8, 0, 0.25), 2);
    // alpha 0: no memory
    assert.equal(convictionStep(100, 7, 0), 7);
  });

  it('should follow the recursion over several steps', () => {
    // x = 10, alpha = 0.5 from 0: 10, 15, 17.5, 18.75
    assert.deepEqual([1, 2, 3, 4].map((t) => iterate(t, 10, 0.5)), [10, 15, 17.5, 18.75]);
  });
});

describe('#.convictionAfter', () => {
  it('should give a^t y0 + x (1 - a^t) / (1 - a) on hand-worked values', () => {
    // t = 2, x = 10, a = 0.5: 10 * (1 - 0.25) / 0.5 = 15
    assert.equal(convictionAfter(2, 10, 0.5), 15);
    // t = 0 returns y0
    assert.equal(convictionAfter(0, 10, 0.5, 7), 7);
    // t = 3, x = 0, a = 0.5, y0 = 80: 0.125 * 80 = 10
    assert.equal(convictionAfter(3, 0, 0.5, 80), 10);
    // t = 1, x = 4, a = 0.5, y0 = 2: 0.5 * 2 + 4 * 0.5 / 0.5 = 5
    assert.equal(convictionAfter(1, 4, 0.5, 2), 5);
  });

  it('should agree with iterating convictionStep', () => {
    for (const alpha of [0, 0.1, 0.5, 0.9, 0.99]) {
      for (const x of [0, 1, 123.456]) {
        for (const y0 of [0, 50, 1e4]) {
          for (let t = 0; t <= 60; t++) {
            assertClose(convictionAfter(t, x, alpha, y0), iterate(t, x, alpha, y0), 1e-11, `t=${t} x=${x} a=${alpha} y0=${y0}`);
          }
        }
      }
    }
  });
});

describe('#.maxConviction', () => {
  it('should give x / (1 - alpha)', () => {
    // 10 / 0.5 = 20; 9 / 0.1 = 90; alpha 0: x itself
    assert.equal(maxConviction(10, 0.5), 20);
    assertClose(maxConviction(9, 0.9), 90, 1e-12, 'x/(1-0.9)');
    assert.equal(maxConviction(7, 0), 7);
  });

  it('should be the limit of the recursion', () => {
    for (const alpha of [0.1, 0.5, 0.9]) {
      const y = iterate(2000, 10, alpha);
      assertClose(y, maxConviction(10, alpha), 1e-12, `limit for alpha ${alpha}`);
      assert.ok(iterate(5, 10, alpha) < maxConviction(10, alpha), 'approached from below');
    }
  });
});

describe('#.stepsToPass', () => {
  it('should give hand-worked step counts', () => {
    // x = 10, a = 0.5: convictions 10, 15, 17.5; 15 is not > 15, so 3 steps
    assert.equal(stepsToPass(15, 10, 0.5), 3);
    // threshold 14.9: 15 > 14.9 after 2 steps
    assert.equal(stepsToPass(14.9, 10, 0.5), 2);
    // threshold 9.99: 10 > 9.99 after 1 step
    assert.equal(stepsToPass(9.99, 10, 0.5), 1);
  });

  it('should give 0 when the starting conviction already exceeds the threshold', () => {
    assert.equal(stepsToPass(5, 1, 0.5, 6), 0);
  });

  it('should give Infinity when the limit does not exceed the threshold', () => {
    // limit 10 / 0.5 = 20: the recursion never exceeds 20
    assert.equal(stepsToPass(20, 10, 0.5), Infinity);
    assert.equal(stepsToPass(21, 10, 0.5), Infinity);
    assert.equal(stepsToPass(1, 0, 0.5), Infinity);
  });

  it('should give 1 with alpha 0 when x exceeds the threshold', () => {
    assert.equal(stepsToPass(5, 6, 0), 1);
    assert.equal(stepsToPass(6, 6, 0), Infinity);
  });

  it('should be the first step at which iterating convictionStep exceeds the threshold', () => {
    const rng = runRng('maths', 0, 0, 1);
    for (let k = 0; k < 500; k++) {
      const alpha = rng() * 0.98;
      const x = 1 + rng() * 1000;
      const y0 = rng() < 0.3 ? rng() * 2000 : 0;
      const limit = maxConviction(x, alpha);
      const threshold = rng() * limit * 1.1;
      const steps = stepsToPass(threshold, x, alpha, y0);
      if (steps === Infinity) {
        // never: every iterate up to a long horizon stays at or below the threshold
        assert.ok(!(limit > threshold) || y0 > limit, `case ${k}: Infinity although the limit exceeds the threshold`);
        assert.ok(iterate(5000, x, alpha, y0) <= threshold * (1 + 1e-12), `case ${k}`);
        continue;
      }
      const rel = 1e-12 * Math.max(1, threshold);
      assert.ok(iterate(steps, x, alpha, y0) > threshold - rel, `case ${k}: not passed after ${steps} steps`);
      if (steps > 0) {
        assert.ok(iterate(steps - 1, x, alpha, y0) <= threshold + rel, `case ${k}: already passed after ${steps - 1} steps`);
      }
    }
  });
});
