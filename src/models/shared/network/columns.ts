/**
 * The copy-on-write machinery of the network store: growable Float64Array
 * columns and sparse link tables, shared between network versions until one
 * version writes, with ownership tokens deciding who may write in place.
 */
import type { LinkKind } from './types';

/**
 * A growable float column shared between network versions. `used` is how many
 * slots some version has written; a version of length `len` may append in place
 * only when nobody appended past `len` (so no other version sees that slot).
 */
export class Column {
  constructor(
    public buf: Float64Array,
    public used: number,
    public owner: Owner | null,
  ) {}
}

/**
 * Who may write a column in place: a token, not the network itself, so that
 * `fork()` revokes every claim at once by taking new tokens instead of visiting
 * every column (a long run has thousands of them, and the engine forks at every substep).
 */
export type Owner = object;

export function newColumn(values: ArrayLike<number>, owner: Owner, capacity = values.length): Column {
  const buf = new Float64Array(Math.max(capacity, values.length, 4));
  buf.set(values as ArrayLike<number>);
  return new Column(buf, values.length, owner);
}

/**
 * Sparse weighted links among nodes of one kind (influence among participants,
 * conflict among proposals), by index: source -> (target -> value). Maps keep
 * first-insertion order, which is the order the reference iterates a node's
 * neighbours in, and an overwrite keeps the link's place, as networkx does.
 * Shared between versions until one writes (copy-on-write, like the columns).
 */
export class Links {
  constructor(
    public out: Map<number, Map<number, number>>,
    public count: number,
    public owner: Owner | null,
  ) {}

  copy(owner: Owner): Links {
    const out = new Map<number, Map<number, number>>();
    for (const [a, m] of this.out) out.set(a, new Map(m));
    return new Links(out, this.count, owner);
  }

  /** [source, target, value] triples in source order, then insertion order. */
  triples(): number[] {
    const t: number[] = [];
    for (const [a, m] of this.out) for (const [b, v] of m) t.push(a, b, v);
    return t;
  }

  /** The links of `triples()`, owned by nobody. */
  static fromTriples(t: ReadonlyArray<number>): Links {
    const l = new Links(new Map(), 0, null);
    for (let k = 0; k < t.length; k += 3) {
      let m = l.out.get(t[k]);
      if (!m) l.out.set(t[k], (m = new Map()));
      m.set(t[k + 1], t[k + 2]);
      l.count++;
    }
    return l;
  }
}

export const NO_LINKS: ReadonlyMap<number, number> = new Map();

/** Room left after each column carved by `ownColumns`, for arrivals to append in place. */
export const SLACK = 8;

/** A column over `slab[at, at + len + SLACK)` owned by `owner`, holding `col`'s values when `copy`. */
export function carve(slab: Float64Array, at: number, col: Column, len: number, copy: boolean, owner: Owner): Column {
  const view = slab.subarray(at, at + len + SLACK);
  if (copy) view.set(col.buf.subarray(0, len));
  return new Column(view, len, owner);
}

/** Per-proposal columns. */
export type ProposalField = 'status' | 'conviction' | 'age' | 'requested' | 'trigger' | 'qId';
/** Per-participant columns. */
export type ParticipantField = 'holdings' | 'sentiment' | 'pId';

/** A network's raw contents: what `Network` is made of and what the thread codec moves. */
export interface NetworkParts {
  nP: number;
  nQ: number;
  nodes: number;
  p: Record<ParticipantField, Column>;
  q: Record<ProposalField, Column>;
  aff: Column[];
  tok: Column[];
  conv: Column[];
  links: Record<LinkKind, Links>;
}
