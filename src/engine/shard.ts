/**
 * Shards: the K-th of N disjoint, contiguous slices of an experiment's job list
 * (every (simulation, subset, run) in `planJobs` order), for cluster schedulers
 * (Slurm job arrays, Kubernetes Indexed Jobs) that start N copies of one command.
 *
 * A job keeps the index it has in a single-process run, and a run's generator
 * depends only on (seed, simulation, subset, run), so every job of a shard has
 * exactly the seed and the result it has in one process. Mapping back: the jobs
 * of shard K are the global indices `from … to - 1` of `shardJobs(total, K, N)`;
 * a result at position `i` of a shard's own list is global job `from + i`, and
 * outcomes that already carry their `planJobs` index need no mapping at all.
 * Concatenating the shards' rows in the order K = 1 … N gives the rows of the
 * single-process run in the same order.
 */
import { createHash } from 'node:crypto';

/** Which shard: the K-th (1-based) of N. */
export interface ShardSpec {
  k: number;
  n: number;
}

/** A half-open range of job indices in `planJobs` order: `from` ≤ index < `to`. */
export interface JobRange {
  from: number;
  to: number;
}

/**
 * Parses a `--shard K/N` value (integers, 1 ≤ K ≤ N); throws a RangeError of one
 * line naming the flag and the allowed range.
 */
export function parseShard(text: string, flag = '--shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(text));
  const fail = (why: string): never => {
    throw new RangeError(`${flag}: expected K/N with integers 1 ≤ K ≤ N, got '${text}'${why ? ` (${why})` : ''}`);
  };
  if (!m) return fail('');
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (!Number.isSafeInteger(k) || !Number.isSafeInteger(n)) return fail('too large');
  if (n < 1) return fail('N must be at least 1');
  if (k < 1 || k > n) return fail(`K must be between 1 and ${n}`);
  return { k, n };
}

/** The shard as users write it, "K/N". */
export function formatShard(spec: ShardSpec): string {
  return `${spec.k}/${spec.n}`;
}

/**
 * The jobs of shard K of N over `total` jobs: contiguous, disjoint, covering
 * 0 … total - 1 in order, sizes differing by at most one (the first
 * `total mod N` shards take one more). A shard may be empty when N > total.
 */
export function shardJobs(total: number, k: number, n: number): JobRange {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`shardJobs: total must be an integer ≥ 0, got ${total}`);
  }
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`shardJobs: n must be an integer ≥ 1, got ${n}`);
  if (!Number.isSafeInteger(k) || k < 1 || k > n) {
    throw new RangeError(`shardJobs: k must be an integer between 1 and ${n}, got ${k}`);
  }
  const base = Math.floor(total / n);
  const extra = total % n;
  const i = k - 1;
  const from = i * base + Math.min(i, extra);
  return { from, to: from + base + (i < extra ? 1 : 0) };
}

/** Which shard of N holds global job `index` (the inverse of `shardJobs`), 1-based. */
export function shardOfJob(index: number, total: number, n: number): number {
  if (!Number.isSafeInteger(index) || index < 0 || index >= total) {
    throw new RangeError(`shardOfJob: index must be an integer in [0, ${total}), got ${index}`);
  }
  const base = Math.floor(total / n);
  const extra = total % n;
  const big = extra * (base + 1);
  return index < big ? Math.floor(index / (base + 1)) + 1 : extra + Math.floor((index - big) / base) + 1;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/**
 * A short, stable fingerprint (SHA-256, hex) of whatever defines an experiment's
 * output — seed, simulations, sweep, keep mode, generator — with object keys
 * sorted, so shards of one experiment agree and shards of another do not.
 * Leave out what does not change the output (the worker count, progress).
 */
export function experimentFingerprint(config: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(config)) ?? 'undefined').digest('hex');
}
