/** Parameter sweeps with cadCAD's semantics (MODEL_SPEC §1). */

/** Lists of values per parameter. */
export type Sweep<P> = { [K in keyof P]?: ReadonlyArray<P[K]> };

/**
 * The parameter sets of a sweep: lists are zipped (the k-th set takes the k-th
 * value of each list), a list of length 1 is used for every set, and any other
 * mix of lengths is an error naming the parameters.
 */
export function expandSweep<P extends object>(base: P, sweep: Sweep<P> = {}): P[] {
  const entries = Object.entries(sweep).filter(([, v]) => v !== undefined) as Array<[string, ReadonlyArray<unknown>]>;
  for (const [name, values] of entries) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new RangeError(`sweep: '${name}' must be a non-empty list of values`);
    }
  }
  const lengths = new Set(entries.map(([, v]) => v.length).filter((l) => l !== 1));
  if (lengths.size > 1) {
    const desc = entries.map(([k, v]) => `${k} (${v.length})`).join(', ');
    throw new RangeError(`sweep: lists must have one common length or length 1, got ${desc}`);
  }
  const size = lengths.size ? [...lengths][0] : 1;
  const sets: P[] = [];
  for (let k = 0; k < size; k++) {
    const p = { ...base } as Record<string, unknown>;
    for (const [name, values] of entries) p[name] = values.length === 1 ? values[0] : values[k];
    sets.push(p as P);
  }
  return sets;
}

/** How many parameter sets `expandSweep` makes of a sweep, without making them (the lists' common length, or 1). */
export function expandSweepCount<P>(sweep: Sweep<P> = {}): number {
  let size = 1;
  for (const values of Object.values(sweep) as Array<ReadonlyArray<unknown> | undefined>) {
    if (Array.isArray(values) && values.length !== 1) size = Math.max(size, values.length);
  }
  return size;
}

/** The Cartesian product of the lists, as a zipped sweep (the first parameter varies slowest). */
export function cartesian<P>(sweep: Sweep<P>): Sweep<P> {
  const entries = Object.entries(sweep).filter(([, v]) => v !== undefined) as Array<[string, ReadonlyArray<unknown>]>;
  let rows: Array<Record<string, unknown>> = [{}];
  for (const [name, values] of entries) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new RangeError(`sweep: '${name}' must be a non-empty list of values`);
    }
    rows = rows.flatMap((r) => values.map((v) => ({ ...r, [name]: v })));
  }
  const out: Record<string, unknown[]> = {};
  for (const [name] of entries) out[name] = rows.map((r) => r[name]);
  return out as Sweep<P>;
}
