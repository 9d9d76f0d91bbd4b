import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRng } from '../src/engine/rng';
import { median } from '../src/models/shared/median';

/** The median by sorting, as numpy computes it. */
function sortedMedian(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const n = a.length;
  return n === 0 ? NaN : n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

describe('#.median', () => {
  it('should give hand-worked medians of odd and even counts, and NaN for none', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5]), 5);
    assert.ok(Number.isNaN(median([])));
    assert.equal(median([-1, -1, 2, 2]), 0.5);
  });

  it('should equal the sorted median on 2,000 seeded lists, with ties, sorted and reversed inputs', () => {
    const rng = runRng('median', 0, 0, 1);
    for (let t = 0; t < 2000; t++) {
      const n = Math.floor(rng() * 60);
      const kind = t % 4;
      let xs = Array.from({ length: n }, () => (kind === 3 ? Math.floor(rng() * 4) : 2 * rng() - 1));
      if (kind === 1) xs = xs.sort((a, b) => a - b);
      if (kind === 2) xs = xs.sort((a, b) => b - a);
      const got = median(xs);
      const want = sortedMedian(xs);
      assert.ok(Object.is(got, want) || got === want, `list ${t}: ${got} vs ${want}`);
    }
  });

  it('should leave its input unchanged unless the input is passed as the scratch', () => {
    const xs = new Float64Array([3, 1, 2, 0]);
    median(xs);
    assert.deepEqual([...xs], [3, 1, 2, 0]);
  });
});
