/**
 * A force-directed layout for drawing graphs: Fruchterman–Reingold as
 * networkx's `spring_layout` does it (k = 1/√n, 50 iterations, the step cooling
 * linearly from a tenth of the frame), from seeded starting positions, so the
 * same graph and seed always give the same picture.
 */
import { runRng, type Seed } from '../engine/rng';

/** A weighted edge between node indices. */
export interface LayoutEdge {
  source: number;
  target: number;
  weight?: number;
}

/** Options of `springLayout`. */
export interface SpringLayoutOptions {
  /** Seed of the starting positions (default 0). */
  seed?: Seed;
  /** Iterations (default 50, as networkx; at most 1000). */
  iterations?: number;
}

/** Positions of `n` nodes in [−1, 1]², centred, from a spring layout of the edges (weights pull harder). */
export function springLayout(n: number, edges: ReadonlyArray<LayoutEdge>, options: SpringLayoutOptions = {}): Array<[number, number]> {
  if (!Number.isInteger(n) || n < 0 || n > 100000) throw new RangeError(`springLayout: n must be an integer in [0, 100000], got ${typeof n === 'number' ? n : typeof n}`);
  if (typeof options !== 'object' || options === null) throw new TypeError('springLayout: options must be an object');
  const iterations = options.iterations ?? 50;
  if (!Number.isInteger(iterations) || iterations < 0 || iterations > 1000) {
    throw new RangeError(`springLayout: iterations must be an integer in [0, 1000], got ${typeof iterations === 'number' ? iterations : typeof iterations}`);
  }
  if (!Array.isArray(edges)) throw new TypeError('springLayout: edges must be a list of { source, target, weight? }');
  if (typeof options !== 'object' || options === null) throw new TypeError('springLayout: options must be an object');
  if (n === 0) return [];
  if (n === 1) return [[0, 0]];
  if (options.seed !== undefined && typeof options.seed !== 'string' && !Number.isSafeInteger(options.seed)) {
    throw new TypeError(`springLayout: options.seed must be an integer or text, got ${typeof options.seed === 'number' ? options.seed : typeof options.seed}`);
  }
  const rng = runRng(options.seed ?? 0, 0, 0, 1);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng();
    y[i] = rng();
  }
  // Symmetric weights: the layout ignores direction, as networkx's does.
  const w = new Map<number, number>();
  for (const e of edges) {
    if (typeof e !== 'object' || e === null) throw new TypeError('springLayout: each edge must be an object { source, target, weight? }');
    if (e.weight !== undefined && !(typeof e.weight === 'number' && Number.isFinite(e.weight))) {
      throw new RangeError(`springLayout: edge weights must be finite numbers, got ${String(e.weight)}`);
    }
    if (e.source === e.target) continue;
    if (!(Number.isInteger(e.source) && Number.isInteger(e.target) && e.source >= 0 && e.source < n && e.target >= 0 && e.target < n)) {
      throw new RangeError(`springLayout: edge ${e.source} -> ${e.target} needs node indices in [0, ${n - 1}]`);
    }
    const key = Math.min(e.source, e.target) * n + Math.max(e.source, e.target);
    w.set(key, (w.get(key) ?? 0) + (e.weight ?? 1));
  }
  const k = Math.sqrt(1 / n);
  let t = 0.1;
  const dt = t / (iterations + 1);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ddx = x[i] - x[j];
        const ddy = y[i] - y[j];
        const d = Math.max(Math.hypot(ddx, ddy), 0.01);
        const weight = w.get(i * n + j) ?? 0;
        // Repulsion k²/d for every pair, attraction w·d²/k along edges.
        const f = (k * k) / (d * d) - (weight * d) / k;
        dx[i] += ddx * f;
        dy[i] += ddy * f;
        dx[j] -= ddx * f;
        dy[j] -= ddy * f;
      }
    }
    for (let i = 0; i < n; i++) {
      const len = Math.max(Math.hypot(dx[i], dy[i]), 0.01);
      x[i] += (dx[i] * t) / len;
      y[i] += (dy[i] * t) / len;
    }
    t -= dt;
  }
  // Centre and scale into [−1, 1]², as networkx's rescale_layout.
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let lim = 0;
  for (let i = 0; i < n; i++) lim = Math.max(lim, Math.abs(x[i] - mx), Math.abs(y[i] - my));
  const s = lim > 0 ? 1 / lim : 1;
  return Array.from({ length: n }, (_, i) => [(x[i] - mx) * s, (y[i] - my) * s] as [number, number]);
}
