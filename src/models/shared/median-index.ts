/**
 * The median of a growing multiset of numbers, kept up to date as values arrive.
 *
 * v1's arrival policy takes the median of every edge affinity each timestep; the
 * edges grow with participants × proposals (211,000 at T = 5000), and selecting
 * the median again after each arrival made long runs quadratic in practice.
 *
 * Only a window of the values around the median is kept in order, with counts of
 * the values below and above it: an arrival lands in one of the three in one
 * pass over the window, and the median moves by at most half an arrival's size.
 * When it would leave the window, the window is rebuilt by selection in O(n).
 * A rebuild is also how an index starts, so starting one on a stored state (a
 * replay from a checkpoint) costs one selection, not a sort of every value.
 */
import { select } from './median';

/** Every value, copied for a rebuild: scratch, as nothing keeps it. */
let spare = new Float64Array(1024);
function scratch(n: number): Float64Array {
  if (spare.length < n) spare = new Float64Array(n + (n >> 2));
  return spare;
}

/** Values kept in order around the median: this many at least, more for big arrivals. */
const MIN_WINDOW = 2048;

/** Every value, as columns of equal length, and the largest arrival expected at once. */
export interface AllValues {
  columns: ReadonlyArray<ArrayLike<number>>;
  /** Values [0, length) of each column count. */
  length: number;
  /** The window keeps 16 times this many values, so that arrivals rarely move the median out of it. */
  arrival: number;
}

export class MedianIndex {
  /** The values at ranks [below, below + w) of the multiset, ascending, in `win[0 .. w)`. */
  private win: Float64Array = new Float64Array(0);
  private w = 0;
  private below = 0;
  private above = 0;
  /** NaNs are counted, not ordered: any NaN makes the median NaN, as numpy's. */
  private nans = 0;

  /** An index of every value. */
  constructor(all: AllValues) {
    this.rebuild(all);
  }

  /** Number of values held (NaNs included). */
  get size(): number {
    return this.below + this.w + this.above + this.nans;
  }

  /** Adds `values[0 .. m)` (reordered in place: they are scratch); `all` gives every value, the new ones included, should the window need rebuilding. */
  add(values: Float64Array, m: number, all: () => AllValues): void {
    // Those inside the window's range are merged into it; the others only counted.
    const lo = this.w > 0 ? this.win[0] : Infinity;
    const hi = this.w > 0 ? this.win[this.w - 1] : -Infinity;
    let k = 0;
    for (let x = 0; x < m; x++) {
      const v = values[x];
      if (v !== v) this.nans++;
      else if (v < lo) this.below++;
      else if (v > hi) this.above++;
      else values[k++] = v;
    }
    if (k > 0) this.merge(values.subarray(0, k).sort());
    if (!this.covers()) this.rebuild(all());
  }

  /** The median (the mean of the two middle values for an even count); NaN when empty or when any value is NaN. */
  median(): number {
    const n = this.below + this.w + this.above;
    if (n === 0 || this.nans > 0) return NaN;
    const h = n >> 1;
    const at = h - this.below;
    return n % 2 ? this.win[at] : (this.win[at - 1] + this.win[at]) / 2;
  }

  /** Whether the window holds the middle value(s). */
  private covers(): boolean {
    const n = this.below + this.w + this.above;
    if (n === 0) return true;
    const h = n >> 1;
    const first = n % 2 ? h : h - 1;
    return first >= this.below && h < this.below + this.w;
  }

  private merge(fresh: Float64Array): void {
    const k = fresh.length;
    if (this.w + k > this.win.length) {
      const grown = new Float64Array(2 * (this.w + k));
      grown.set(this.win.subarray(0, this.w));
      this.win = grown;
    }
    // From the back, in place: each slot written is free or already read.
    const b = this.win;
    let i = this.w - 1;
    let j = k - 1;
    let to = this.w + k - 1;
    while (j >= 0) b[to--] = i >= 0 && b[i] > fresh[j] ? b[i--] : fresh[j--];
    this.w += k;
  }

  /** Every value again: the window re-centred on the median by two selections. */
  private rebuild(values: AllValues): void {
    const cols = values.columns;
    const len = values.length;
    const all = scratch(cols.length * len);
    let n = 0;
    let nans = 0;
    for (const col of cols) {
      for (let i = 0; i < len; i++) {
        const v = col[i];
        if (v !== v) nans++;
        else all[n++] = v;
      }
    }
    const half = Math.max(MIN_WINDOW, 16 * values.arrival) >> 1;
    const mid = n >> 1;
    const from = Math.max(0, mid - half);
    const to = Math.min(n, mid + half);
    // Ranks below `from` before it, ranks from `to` on after it: the window between, then sorted.
    if (from > 0) select(all, from, 0, n - 1);
    if (to < n && to > from) select(all, to - 1, from, n - 1);
    this.win = all.slice(from, to).sort();
    this.w = to - from;
    this.below = from;
    this.above = n - to;
    this.nans = nans;
  }
}
