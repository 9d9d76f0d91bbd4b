/**
 * Zeroed Float64Arrays carved from shared chunks, for the arrays a model makes at
 * every substep (signals, column copies).
 *
 * Why: V8 gives a new typed array of more than 64 bytes a backing store of its
 * own, which cost ~600 ns here for 70 doubles; a view on an existing ArrayBuffer
 * cost ~25 ns (node 20, these 2-core machines). A default run makes thousands.
 *
 * Each chunk is handed out once, front to back, and never reused, so every array
 * starts zeroed and no two arrays share memory; a chunk is freed by the garbage
 * collector when its last view is. Large arrays get a buffer of their own, so one
 * long-lived small array pins at most one chunk.
 */

/** Doubles per chunk (64 KB). */
const CHUNK = 1 << 13;
/** Arrays longer than this are not carved. */
const LARGEST = CHUNK >> 2;

let chunk = new ArrayBuffer(8 * CHUNK);
let used = 0;

/** A zeroed Float64Array of length n. */
export function float64s(n: number): Float64Array {
  if (n > LARGEST) return new Float64Array(n);
  if (used + n > CHUNK) {
    chunk = new ArrayBuffer(8 * CHUNK);
    used = 0;
  }
  const view = new Float64Array(chunk, 8 * used, n);
  used += n;
  return view;
}
