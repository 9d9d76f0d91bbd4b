/**
 * Zeroed typed arrays carved from shared chunks, for the arrays a model makes at
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

/** Bytes per chunk. */
const CHUNK = 1 << 16;
/** Arrays above this many bytes are not carved. */
const LARGEST = CHUNK >> 2;

let chunk = new ArrayBuffer(CHUNK);
let used = 0;

/** `bytes` bytes at an offset aligned to 8, from the current chunk or a fresh one. */
function carve(bytes: number): number {
  const at = (used + 7) & ~7;
  if (at + bytes <= CHUNK) {
    used = at + bytes;
    return at;
  }
  chunk = new ArrayBuffer(CHUNK);
  used = bytes;
  return 0;
}

/** A zeroed Float64Array of length n. */
export function float64s(n: number): Float64Array {
  const bytes = 8 * n;
  if (bytes > LARGEST) return new Float64Array(n);
  const at = carve(bytes);
  return new Float64Array(chunk, at, n);
}

/** A zeroed Uint8Array of length n. */
export function uint8s(n: number): Uint8Array {
  if (n > LARGEST) return new Uint8Array(n);
  const at = carve(n);
  return new Uint8Array(chunk, at, n);
}
