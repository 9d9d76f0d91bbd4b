/**
 * A growing multiset of numbers kept in ascending order, for a median that is
 * read often while values only arrive. v1's arrival policy takes the median of
 * every edge affinity each timestep; the edges grow with participants ×
 * proposals, so selecting it again on every arrival made long runs quadratic in
 * practice (T = 5000). Merging the few new values into the order costs one pass.
 */
export class SortedValues {
  private buf: Float64Array;
  private n = 0;
  /** NaNs are counted, not ordered: any NaN makes the median NaN, as numpy's. */
  private nans = 0;

  private constructor(capacity: number) {
    this.buf = new Float64Array(Math.max(16, capacity));
  }

  /** The values of `columns[j][0 .. length)`, for every column, in order. */
  static of(columns: ReadonlyArray<ArrayLike<number>>, length: number): SortedValues {
    const s = new SortedValues(2 * columns.length * length);
    let n = 0;
    for (const col of columns) {
      for (let i = 0; i < length; i++) {
        const v = col[i];
        if (v !== v) s.nans++;
        else s.buf[n++] = v;
      }
    }
    s.buf.subarray(0, n).sort();
    s.n = n;
    return s;
  }

  /** Number of values held (NaNs included). */
  get size(): number {
    return this.n + this.nans;
  }

  /** Adds `values[0 .. m)` (reordered in place: they are scratch). */
  add(values: Float64Array, m: number): void {
    // NaNs out first: they have no place in the order.
    let k = 0;
    for (let x = 0; x < m; x++) {
      const v = values[x];
      if (v !== v) this.nans++;
      else values[k++] = v;
    }
    const fresh = values.subarray(0, k).sort();
    if (this.n + k > this.buf.length) {
      const grown = new Float64Array(2 * (this.n + k));
      grown.set(this.buf.subarray(0, this.n));
      this.buf = grown;
    }
    // Merge from the back, in place: each slot written is free or already read.
    const b = this.buf;
    let i = this.n - 1;
    let j = k - 1;
    let to = this.n + k - 1;
    while (j >= 0) b[to--] = i >= 0 && b[i] > fresh[j] ? b[i--] : fresh[j--];
    this.n += k;
  }

  /** The median (the mean of the two middle values for an even count); NaN when empty or when any value is NaN. */
  median(): number {
    const n = this.n;
    if (n === 0 || this.nans > 0) return NaN;
    const h = n >> 1;
    return n % 2 ? this.buf[h] : (this.buf[h - 1] + this.buf[h]) / 2;
  }
}
