import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { float64s } from '../src/engine/typed';

describe('#.float64s', () => {
  it('should give zeroed arrays that never share memory, small or large', () => {
    const arrays = [float64s(3), float64s(0), float64s(10), float64s(5000), float64s(7)];
    arrays.forEach((a, k) => a.fill(k + 1));
    arrays.forEach((a, k) => assert.ok(a.every((v) => v === k + 1), `array ${k}`));
    assert.deepEqual(arrays.map((a) => a.length), [3, 0, 10, 5000, 7]);
    // Across chunk boundaries too: 10,000 arrays of 9 doubles are 720 KB.
    const many = Array.from({ length: 10000 }, () => float64s(9));
    assert.ok(many.every((a) => a.every((v) => v === 0)));
    many.forEach((a, k) => a.fill(k));
    assert.ok(many.every((a, k) => a.every((v) => v === k)));
  });
});
