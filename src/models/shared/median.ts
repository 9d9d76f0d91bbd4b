/**
 * The median of a list of numbers without sorting it: quickselect in O(n)
 * expected, on a scratch copy. The arrival policies take the median of every
 * support edge's affinity each day; sorting them made it the costliest line of
 * a v3 run. Same value as numpy's `np.median` (the mean of the two middle
 * values for an even count), NaN for an empty list.
 */

/** Rearranges `a[lo..hi]` so that `a[k]` holds the value a sort would put there, none greater before it and none smaller after it. */
export function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The median of `values` (the mean of the two middle ones for an even count; NaN when empty). `scratch` may be reused between calls. */
export function median(values: ArrayLike<number>, scratch?: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  const a = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  a.set(values as ArrayLike<number>);
  const upper = (n / 2) | 0;
  const hi = select(a, upper, 0, n - 1);
  if (n % 2) return hi;
  // Everything left of `upper` is ≤ a[upper]: the lower middle value is their maximum.
  let lo = a[0];
  for (let i = 1; i < upper; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}
