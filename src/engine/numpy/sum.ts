/**
 * numpy's pairwise summation of float64 (`np.sum`, `np.add.reduce`;
 * numpy/_core/src/umath/loops_utils.h.src `pairwise_sum`). Its rounding differs
 * from a left-to-right sum; reproducing the original's sums bit for bit needs it
 * (MODEL_SPEC Appendix A §4.3, "Sums").
 */

/** Block size below which numpy sums with eight accumulators instead of splitting. */
const PW_BLOCKSIZE = 128;

/** `np.sum(x[start:end])` for a float64 array: pairwise, as numpy adds. */
export function pairwiseSum(x: ArrayLike<number>, start = 0, end = x.length): number {
  // numpy starts the reduction from the identity 0 and adds the pairwise sum.
  return 0 + pairwise(x, start, end - start);
}

function pairwise(x: ArrayLike<number>, a: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += x[a + i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = x[a];
    let r1 = x[a + 1];
    let r2 = x[a + 2];
    let r3 = x[a + 3];
    let r4 = x[a + 4];
    let r5 = x[a + 5];
    let r6 = x[a + 6];
    let r7 = x[a + 7];
    const whole = n - (n % 8);
    let i = 8;
    for (; i < whole; i += 8) {
      r0 += x[a + i];
      r1 += x[a + i + 1];
      r2 += x[a + i + 2];
      r3 += x[a + i + 3];
      r4 += x[a + i + 4];
      r5 += x[a + i + 5];
      r6 += x[a + i + 6];
      r7 += x[a + i + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += x[a + i];
    return res;
  }
  // Halve, keeping the first half a multiple of the unroll factor 8.
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(x, a, n2) + pairwise(x, a + n2, n - n2);
}
