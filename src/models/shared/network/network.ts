/**
 * The conviction-voting network (MODEL_SPEC §2) in a compact, copy-on-write form.
 *
 * Why not a graphology graph as the working state: the engine copies the state
 * at every substep (400 times per default run) and keeps every copy. A compact
 * store of Float64Array columns whose `fork()` shares every column until one is
 * written makes a copy cost O(number of proposals) and keeps unchanged columns
 * (affinities, settled proposals) shared across all records. A typed graphology
 * `Graph` is materialised on demand with `toGraph()`.
 *
 * Layout: participant i (0..nP-1) and proposal j (0..nQ-1) are indices; node ids
 * (creation order, shared by both kinds) are stored beside them. The bipartite
 * graph is complete, so edge (i, j) lives at index i of proposal j's edge columns.
 * The columns' copy-on-write machinery is in `columns.ts`, graph conversion in
 * `graph.ts`, the thread codec in `codec.ts`; this class ties them together.
 */
import { float64s } from '../../../engine/typed';
import { MedianIndex, type AllValues } from '../median-index';
import { decodeParts, encodeParts, type EncodedNetworks } from './codec';
import { carve, Column, Links, newColumn, NO_LINKS, SLACK, type Owner, type ParticipantField, type ProposalField } from './columns';
import { networkFromGraph, networkToGraph } from './graph';
import { STATUSES, type ConvictionGraph, type LinkKind, type NewProposal, type ProposalStatus } from './types';

const STATUS_CODE: Record<ProposalStatus, number> = { candidate: 0, active: 1, completed: 2, failed: 3, killed: 4 };
const NO_FIELDS: ReadonlyArray<ProposalField> = [];
const NO_INDICES: ReadonlyArray<number> = [];

/** Which columns `Network.ownColumns` should make writable. */
export interface OwnSpec {
  holdings?: boolean;
  proposal?: ReadonlyArray<ProposalField>;
  /** Proposal indices whose tokens columns to own. */
  tokens?: ReadonlyArray<number>;
  /** Proposal indices whose edge-conviction columns to own. */
  edgeConviction?: ReadonlyArray<number>;
  /**
   * The caller rewrites every element of the tokens and edge-conviction columns
   * named: they are not copied (their new contents are undefined until written).
   * Read what is needed from them beforehand; the old columns stay as they were.
   */
  rewrite?: boolean;
}

/** The compact network: participants, proposals, the complete bipartite support edges, and influence and conflict links. */
export class Network {
  private nP = 0;
  private nQ = 0;
  private nodes = 0;
  private frozen = false;
  /** This version's write claim on columns (see `Owner`). */
  private token: Owner = {};
  private p: Record<ParticipantField, Column>;
  private q: Record<ProposalField, Column>;
  private aff: Column[] = [];
  private tok: Column[] = [];
  private conv: Column[] = [];
  private links: Record<LinkKind, Links>;
  /**
   * The edge affinities' median, derived data kept up to date as nodes arrive
   * (affinities change only then). Held by one version at a time: `fork()` hands
   * it to the child, so stored records do not each keep one.
   */
  private affinityIndex: MedianIndex | null = null;

  /** An empty network. */
  constructor() {
    this.p = { holdings: newColumn([], this.token, 64), sentiment: newColumn([], this.token, 64), pId: newColumn([], this.token, 64) };
    this.links = { influence: new Links(new Map(), 0, this.token), conflict: new Links(new Map(), 0, this.token) };
    this.q = {
      status: newColumn([], this.token, 16),
      conviction: newColumn([], this.token, 16),
      age: newColumn([], this.token, 16),
      requested: newColumn([], this.token, 16),
      trigger: newColumn([], this.token, 16),
      qId: newColumn([], this.token, 16),
    };
  }

  // ---- sizes and ids ----------------------------------------------------

  /** Number of participants. */
  get participantCount(): number {
    return this.nP;
  }
  /** Number of proposals. */
  get proposalCount(): number {
    return this.nQ;
  }
  /** Number of nodes; also the id the next node will get. */
  get nodeCount(): number {
    return this.nodes;
  }
  /** Whether this network is a stored record (read-only). */
  get isFrozen(): boolean {
    return this.frozen;
  }
  /** Node id of participant i. */
  participantId(i: number): number {
    return this.p.pId.buf[i];
  }
  /** Node id of proposal j. */
  proposalId(j: number): number {
    return this.q.qId.buf[j];
  }

  // ---- reads ----------------------------------------------------------

  /** Holdings of participant i. */
  holdings(i: number): number {
    return this.p.holdings.buf[i];
  }
  /** Own sentiment of participant i (NaN where the model gives none). */
  participantSentiment(i: number): number {
    return this.p.sentiment.buf[i];
  }
  /** Status of proposal j. */
  status(j: number): ProposalStatus {
    return STATUSES[this.q.status.buf[j]];
  }
  /** Whether proposal j is a candidate. */
  isCandidate(j: number): boolean {
    return this.q.status.buf[j] === 0;
  }
  /** Conviction of proposal j. */
  conviction(j: number): number {
    return this.q.conviction.buf[j];
  }
  /** Age of proposal j in timesteps. */
  age(j: number): number {
    return this.q.age.buf[j];
  }
  /** Funds requested by proposal j. */
  fundsRequested(j: number): number {
    return this.q.requested.buf[j];
  }
  /** Trigger threshold of proposal j (NaN when not a candidate). */
  trigger(j: number): number {
    return this.q.trigger.buf[j];
  }
  /** Affinity of participant i to proposal j. */
  affinity(i: number, j: number): number {
    return this.aff[j].buf[i];
  }
  /** Tokens participant i stakes on proposal j. */
  tokens(i: number, j: number): number {
    return this.tok[j].buf[i];
  }
  /** Conviction of edge (i, j). */
  edgeConviction(i: number, j: number): number {
    return this.conv[j].buf[i];
  }
  /** Indices of the proposals in a status, in creation order. */
  proposalsWithStatus(status: ProposalStatus): number[] {
    const code = STATUS_CODE[status];
    const out: number[] = [];
    const s = this.q.status.buf;
    for (let j = 0; j < this.nQ; j++) if (s[j] === code) out.push(j);
    return out;
  }
  /** Read-only view of proposal j's affinity column (index = participant). */
  affinityColumn(j: number): Float64Array {
    return this.aff[j].buf.subarray(0, this.nP);
  }
  /** Read-only view of proposal j's tokens column. */
  tokensColumn(j: number): Float64Array {
    return this.tok[j].buf.subarray(0, this.nP);
  }
  /** Read-only view of proposal j's edge-conviction column. */
  edgeConvictionColumn(j: number): Float64Array {
    return this.conv[j].buf.subarray(0, this.nP);
  }

  /**
   * The arrays behind proposal j's columns, for hot loops that should not make a
   * view per call: entries [0, participantCount) are the column, the rest spare
   * room. Read-only; a write or an arrival may replace them.
   */
  affinityBuffer(j: number): Float64Array {
    return this.aff[j].buf;
  }
  /** The array behind proposal j's tokens column (see `affinityBuffer`). */
  tokensBuffer(j: number): Float64Array {
    return this.tok[j].buf;
  }
  /** The array behind proposal j's edge-conviction column (see `affinityBuffer`). */
  edgeConvictionBuffer(j: number): Float64Array {
    return this.conv[j].buf;
  }

  /** Number of links of a kind. */
  linkCount(kind: LinkKind): number {
    return this.links[kind].count;
  }
  /** Links of a kind out of index `a` (participant for influence, proposal for conflict): target index -> value, in insertion order. */
  linksFrom(kind: LinkKind, a: number): ReadonlyMap<number, number> {
    return this.links[kind].out.get(a) ?? NO_LINKS;
  }
  /** The value of link a -> b of a kind, or undefined when there is none. */
  link(kind: LinkKind, a: number, b: number): number | undefined {
    return this.links[kind].out.get(a)?.get(b);
  }

  /** Every link of a kind: source index -> (target index -> value), sources and targets in insertion order. Read-only. */
  linkTable(kind: LinkKind): ReadonlyMap<number, ReadonlyMap<number, number>> {
    return this.links[kind].out;
  }

  /** Median affinity over every support edge (numpy's median: NaN without edges or with a NaN). */
  medianAffinity(): number {
    let index = this.affinityIndex;
    if (!index || index.size !== this.nP * this.nQ) index = this.affinityIndex = new MedianIndex(this.allAffinities());
    return index.median();
  }

  /** Every edge affinity, for the median index; arrivals bring up to max(nP, nQ) at once. */
  private allAffinities(): AllValues {
    return { columns: this.aff.map((c) => c.buf), length: this.nP, arrival: Math.max(this.nP, this.nQ) };
  }

  // ---- copy-on-write machinery ------------------------------------------

  /** An independent copy sharing every column until one side writes it. */
  fork(): Network {
    const c = Object.create(Network.prototype) as Network;
    c.nP = this.nP;
    c.nQ = this.nQ;
    c.nodes = this.nodes;
    c.frozen = false;
    c.p = { ...this.p };
    c.q = { ...this.q };
    c.aff = this.aff.slice();
    c.tok = this.tok.slice();
    c.conv = this.conv.slice();
    c.links = { ...this.links };
    c.affinityIndex = this.affinityIndex;
    this.affinityIndex = null;
    // Neither side owns a shared column any more: the next write copies it.
    c.token = {};
    this.token = {};
    return c;
  }

  /** Makes this network read-only (the engine freezes every stored record). */
  freeze(): void {
    this.frozen = true;
  }

  private check(): void {
    if (this.frozen) throw new Error('network: this network is a stored record and read-only; fork() it to change it');
  }

  private own(col: Column, len: number): Column {
    this.check();
    if (col.owner === this.token) return col;
    const copy = float64s(col.buf.length);
    copy.set(col.buf.subarray(0, len));
    return new Column(copy, len, this.token);
  }

  private append(col: Column, len: number, value: number): Column {
    this.check();
    let c = col;
    // Another version appended this very value here: share it. A replay from a stored
    // state appends what its run appended, so its arrivals copy no column.
    if (c.used > len && len < c.buf.length && Object.is(c.buf[len], value)) return c;
    if (c.owner !== this.token && !(c.used === len && len < c.buf.length)) {
      // Another version appended something else here: a copy with an eighth spare, not
      // double, as every column of that state is copied at once.
      const copy = float64s(Math.max(len + SLACK, len + (len >> 3)));
      copy.set(c.buf.subarray(0, len));
      c = new Column(copy, len, this.token);
    } else if (len >= c.buf.length) {
      const copy = float64s(2 * (len + 1));
      copy.set(c.buf.subarray(0, len));
      c = new Column(copy, len, this.token);
    }
    c.buf[len] = value;
    c.used = len + 1;
    return c;
  }

  private setQ(field: ProposalField, j: number, v: number): void {
    const col = this.own(this.q[field], this.nQ);
    this.q[field] = col;
    col.buf[j] = v;
  }

  // ---- writes -----------------------------------------------------------

  /**
   * Creates link a -> b of a kind with `value`, or overwrites its value (keeping its place).
   * Influence links join participants, conflict links proposals, by index.
   */
  setLink(kind: LinkKind, a: number, b: number, value: number): void {
    this.check();
    const n = kind === 'influence' ? this.nP : this.nQ;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n) || a === b) {
      throw new RangeError(`network.setLink: ${kind} link ${a} -> ${b} needs two different indices in [0, ${n - 1}]`);
    }
    let l = this.links[kind];
    if (l.owner !== this.token) this.links[kind] = l = l.copy(this.token);
    let m = l.out.get(a);
    if (!m) l.out.set(a, (m = new Map()));
    if (!m.has(b)) l.count++;
    m.set(b, value);
  }

  /** Sets participant i's holdings. */
  setHoldings(i: number, v: number): void {
    const col = this.own(this.p.holdings, this.nP);
    this.p.holdings = col;
    col.buf[i] = v;
  }
  /** Sets proposal j's status. */
  setStatus(j: number, s: ProposalStatus): void {
    this.setQ('status', j, STATUS_CODE[s]);
  }
  /** Sets proposal j's conviction. */
  setConviction(j: number, v: number): void {
    this.setQ('conviction', j, v);
  }
  /** Sets proposal j's age. */
  setAge(j: number, v: number): void {
    this.setQ('age', j, v);
  }
  /** Sets proposal j's trigger. */
  setTrigger(j: number, v: number): void {
    this.setQ('trigger', j, v);
  }
  /** Sets proposal j's requested funds. */
  setFundsRequested(j: number, v: number): void {
    this.setQ('requested', j, v);
  }
  /** Sets the affinity of edge (i, j). */
  setAffinity(i: number, j: number, v: number): void {
    this.writableAffinity(j)[i] = v;
  }
  /** Sets the tokens of edge (i, j). */
  setTokens(i: number, j: number, v: number): void {
    this.writableTokens(j)[i] = v;
  }
  /** Sets the conviction of edge (i, j). */
  setEdgeConviction(i: number, j: number, v: number): void {
    this.writableEdgeConviction(j)[i] = v;
  }
  /** Proposal j's affinity column, owned by this network, for writing in a loop. */
  writableAffinity(j: number): Float64Array {
    this.aff[j] = this.own(this.aff[j], this.nP);
    // Any value may change: the order is rebuilt when next asked for.
    this.affinityIndex = null;
    return this.aff[j].buf;
  }
  /**
   * Makes the named columns owned by this network in one allocation (views into
   * one buffer), ready for writing. A substep that rewrites many columns (PSUB 4
   * restakes every candidate) then costs one buffer instead of one per column,
   * which spares the allocator and the garbage collector.
   */
  ownColumns(spec: OwnSpec): void {
    this.check();
    const token = this.token;
    const nP = this.nP;
    const nQ = this.nQ;
    const fields = spec.proposal ?? NO_FIELDS;
    const tok = spec.tokens ?? NO_INDICES;
    const conv = spec.edgeConviction ?? NO_INDICES;
    const copyEdges = !spec.rewrite;
    // Sizes first, then one slab carved in the same order. Each column gets some
    // slack beyond its length, so that arrivals can append in place. (Plain loops:
    // this runs at every substep, and closures and tuples here showed in profiles.)
    let total = 0;
    if (spec.holdings && this.p.holdings.owner !== token) total += nP + SLACK;
    for (let x = 0; x < fields.length; x++) if (this.q[fields[x]].owner !== token) total += nQ + SLACK;
    for (let x = 0; x < tok.length; x++) if (this.tok[tok[x]].owner !== token) total += nP + SLACK;
    for (let x = 0; x < conv.length; x++) if (this.conv[conv[x]].owner !== token) total += nP + SLACK;
    if (total === 0) return;
    const slab = float64s(total);
    let at = 0;
    if (spec.holdings && this.p.holdings.owner !== token) {
      this.p.holdings = carve(slab, at, this.p.holdings, nP, true, token);
      at += nP + SLACK;
    }
    for (let x = 0; x < fields.length; x++) {
      const f = fields[x];
      if (this.q[f].owner === token) continue;
      this.q[f] = carve(slab, at, this.q[f], nQ, true, token);
      at += nQ + SLACK;
    }
    for (let x = 0; x < tok.length; x++) {
      const j = tok[x];
      if (this.tok[j].owner === token) continue;
      this.tok[j] = carve(slab, at, this.tok[j], nP, copyEdges, token);
      at += nP + SLACK;
    }
    for (let x = 0; x < conv.length; x++) {
      const j = conv[x];
      if (this.conv[j].owner === token) continue;
      this.conv[j] = carve(slab, at, this.conv[j], nP, copyEdges, token);
      at += nP + SLACK;
    }
  }

  /** The holdings column (index = participant), owned by this network, for writing in a loop. */
  writableHoldings(): Float64Array {
    this.p.holdings = this.own(this.p.holdings, this.nP);
    return this.p.holdings.buf;
  }
  /** Proposal j's tokens column, owned by this network, for writing in a loop. */
  writableTokens(j: number): Float64Array {
    this.tok[j] = this.own(this.tok[j], this.nP);
    return this.tok[j].buf;
  }
  /** Proposal j's edge-conviction column, owned by this network, for writing in a loop. */
  writableEdgeConviction(j: number): Float64Array {
    this.conv[j] = this.own(this.conv[j], this.nP);
    return this.conv[j].buf;
  }

  /**
   * Adds a participant (next node id) with an edge to every proposal; `edge(j)`
   * gives the edge's attributes. Returns the participant's index.
   */
  addParticipant(
    holdings: number,
    edge: (j: number) => { affinity: number; tokens?: number; conviction?: number },
    sentiment = NaN,
  ): number {
    this.check();
    const i = this.nP;
    this.p.holdings = this.append(this.p.holdings, i, holdings);
    this.p.sentiment = this.append(this.p.sentiment, i, sentiment);
    this.p.pId = this.append(this.p.pId, i, this.nodes);
    for (let j = 0; j < this.nQ; j++) {
      const e = edge(j);
      this.aff[j] = this.append(this.aff[j], i, e.affinity);
      this.tok[j] = this.append(this.tok[j], i, e.tokens ?? 0);
      this.conv[j] = this.append(this.conv[j], i, e.conviction ?? 0);
    }
    if (this.affinityIndex) {
      const fresh = float64s(this.nQ);
      for (let j = 0; j < this.nQ; j++) fresh[j] = this.aff[j].buf[i];
      this.affinityIndex.add(fresh, this.nQ, () => this.allAffinities());
    }
    this.nP++;
    this.nodes++;
    return i;
  }

  /**
   * Adds a proposal (next node id) with an edge from every participant;
   * `affinity(i)` gives each edge's affinity (tokens and conviction start at 0).
   * Returns the proposal's index.
   */
  addProposal(attrs: NewProposal, affinity: (i: number) => number): number {
    this.check();
    const j = this.nQ;
    const q = this.q;
    q.status = this.append(q.status, j, STATUS_CODE[attrs.status ?? 'candidate']);
    q.conviction = this.append(q.conviction, j, attrs.conviction ?? 0);
    q.age = this.append(q.age, j, attrs.age ?? 0);
    q.requested = this.append(q.requested, j, attrs.funds_requested);
    q.trigger = this.append(q.trigger, j, attrs.trigger);
    q.qId = this.append(q.qId, j, this.nodes);
    const cap = Math.max(8, this.p.holdings.buf.length);
    const a = float64s(cap);
    for (let i = 0; i < this.nP; i++) a[i] = affinity(i);
    this.aff.push(new Column(a, this.nP, this.token));
    this.tok.push(new Column(float64s(cap), this.nP, this.token));
    this.conv.push(new Column(float64s(cap), this.nP, this.token));
    if (this.affinityIndex) {
      // A copy: the index reorders what it is given.
      this.affinityIndex.add(a.slice(0, this.nP), this.nP, () => this.allAffinities());
    }
    this.nQ++;
    this.nodes++;
    return j;
  }
  // ---- transfer between threads ------------------------------------------

  /**
   * Encodes many networks (e.g. a run's records) for postMessage, sending each
   * shared column once so structural sharing survives the trip.
   */
  static encodeMany(nets: ReadonlyArray<Network>): { data: EncodedNetworks; transfer: ArrayBuffer[] } {
    return encodeParts(
      nets.map((n) => ({ nP: n.nP, nQ: n.nQ, nodes: n.nodes, p: n.p, q: n.q, aff: n.aff, tok: n.tok, conv: n.conv, links: n.links })),
    );
  }

  /** Rebuilds networks from `encodeMany`; they come back frozen, as records are. */
  static decodeMany(data: EncodedNetworks): Network[] {
    return decodeParts(data).map((e) => {
      const n = Object.create(Network.prototype) as Network;
      n.nP = e.nP;
      n.nQ = e.nQ;
      n.nodes = e.nodes;
      n.p = e.p;
      n.links = e.links;
      n.q = e.q;
      n.aff = e.aff;
      n.tok = e.tok;
      n.conv = e.conv;
      n.frozen = true;
      n.token = {};
      n.affinityIndex = null;
      return n;
    });
  }

  // ---- graphology ---------------------------------------------------------

  /** A typed graphology graph of this network (a fresh object: changing it changes nothing here). */
  toGraph(): ConvictionGraph {
    return networkToGraph(this);
  }

  /**
   * Builds a network from a graphology graph with the attributes of MODEL_SPEC §2:
   * node keys must be the integers 0..N-1 and every participant -> proposal edge present.
   */
  static fromGraph(g: ConvictionGraph): Network {
    return networkFromGraph(g, new Network());
  }
}
