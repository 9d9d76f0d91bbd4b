import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alphaFromHalfLife, convictionResponse, groupResponse, noisyInput, stepResponse } from '../src/analysis/alpha';
import { DEFAULT_PARAMS as V3 } from '../src/models/v3/params';

describe('#.alphaFromHalfLife', () => {
  it("should give 2^(-1/3) for 3 days (v3's default alpha), 0.5 for 1 day, and refuse days <= 0", () => {
    assert.equal(alphaFromHalfLife(3), V3.alpha);
    assert.equal(alphaFromHalfLife(1), 0.5);
    assert.throws(() => alphaFromHalfLife(0), /alphaFromHalfLife: days must be a finite number > 0, got 0/);
  });

  it('should halve the distance to the limit in that many steps', () => {
    const alpha = alphaFromHalfLife(5);
    const y = convictionResponse(Array(10).fill(1), alpha);
    const limit = 1 / (1 - alpha);
    assert.ok(Math.abs((limit - y[5]) / limit - 0.5) < 1e-12);
    assert.ok(Math.abs((limit - y[10]) / limit - 0.25) < 1e-12);
  });
});

describe('#.convictionResponse', () => {
  it('should iterate y = alpha·y + x by hand', () => {
    assert.deepEqual(convictionResponse([2, 0, 4], 0.5, 1), [1, 2.5, 1.25, 4.625]);
  });
  it('should refuse a bad alpha or input', () => {
    assert.throws(() => convictionResponse([1], 1), /convictionResponse: alpha must be in \[0, 1\), got 1/);
    assert.throws(() => convictionResponse(null as unknown as number[], 0.5), /TypeError|input must be an array/);
  });
});

describe('#.stepResponse', () => {
  it('should match the closed forms of the step up and the step down', () => {
    const r = stepResponse({ x: 10, alpha: 0.8, until: 20, steps: 60 });
    assert.ok(r.maxAbsDifference < 1e-12, String(r.maxAbsDifference));
    assert.ok(Math.abs(r.recursion[20] - 10 * (1 - 0.8 ** 20) / 0.2) < 1e-12);
    assert.ok(Math.abs(r.recursion[30] - 0.8 ** 10 * r.recursion[20]) < 1e-12);
    assert.equal(r.input[19], 10);
    assert.equal(r.input[20], 0);
  });
});

describe('#.noisyInput', () => {
  it('should be reproducible from its seed, non-negative, with the mean it was asked for', () => {
    const a = noisyInput({ steps: 4000, mean: 10, sd: 2, seed: 1 });
    assert.deepEqual(noisyInput({ steps: 4000, mean: 10, sd: 2, seed: 1 }), a);
    assert.ok(a.every((v) => v >= 0));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(mean - 10) < 4 * (2 / Math.sqrt(4000)), String(mean));
  });
});

describe('#.groupResponse', () => {
  it("should sum the edges' convictions into the proposal's, equal to the response to the summed input", () => {
    const r = groupResponse([[1, 2, 3], [0, 5, 0], [4, 4, 4]], 0.5);
    assert.deepEqual(r.total, [0, 5, 13.5, 13.75]);
    assert.ok(r.maxAbsDifference < 1e-12);
    assert.throws(() => groupResponse([[1], [1, 2]], 0.5), /same length/);
  });
});
