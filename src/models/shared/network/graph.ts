/**
 * The network as a typed graphology graph and back: the store keeps compact
 * columns for speed, and analysis, figures and users get a graph on demand.
 */
import { DirectedGraph } from 'graphology';
import type { Network } from './network';
import { STATUSES, type ConvictionGraph, type EdgeAttrs, type NodeAttrs } from './types';

/** A typed graphology graph of `net` (a fresh object: changing it changes nothing in `net`). */
export function networkToGraph(net: Network): ConvictionGraph {
  const g: ConvictionGraph = new DirectedGraph<NodeAttrs, EdgeAttrs>();
  // Nodes in id order, as the reference created them.
  const order: Array<[number, 'p' | 'q', number]> = [];
  for (let i = 0; i < net.participantCount; i++) order.push([net.participantId(i), 'p', i]);
  for (let j = 0; j < net.proposalCount; j++) order.push([net.proposalId(j), 'q', j]);
  order.sort((a, b) => a[0] - b[0]);
  for (const [id, kind, x] of order) {
    if (kind === 'p') {
      const sentiment = net.participantSentiment(x);
      g.addNode(
        String(id),
        Number.isNaN(sentiment)
          ? { type: 'participant', holdings: net.holdings(x) }
          : { type: 'participant', holdings: net.holdings(x), sentiment },
      );
    } else
      g.addNode(String(id), {
        type: 'proposal',
        status: net.status(x),
        conviction: net.conviction(x),
        age: net.age(x),
        funds_requested: net.fundsRequested(x),
        trigger: net.trigger(x),
      });
  }
  for (let i = 0; i < net.participantCount; i++) {
    for (let j = 0; j < net.proposalCount; j++) {
      const src = String(net.participantId(i));
      const tgt = String(net.proposalId(j));
      // Keys named after their ends, so two graphs of one network export identically.
      g.addDirectedEdgeWithKey(`${src}->${tgt}`, src, tgt, {
        type: 'support',
        affinity: net.affinity(i, j),
        tokens: net.tokens(i, j),
        conviction: net.edgeConviction(i, j),
      });
    }
  }
  for (const [a, m] of net.linkTable('influence')) {
    const src = String(net.participantId(a));
    for (const [b, influence] of m) {
      const tgt = String(net.participantId(b));
      g.addDirectedEdgeWithKey(`${src}->${tgt}`, src, tgt, { type: 'influence', influence });
    }
  }
  for (const [a, m] of net.linkTable('conflict')) {
    const src = String(net.proposalId(a));
    for (const [b, conflict] of m) {
      const tgt = String(net.proposalId(b));
      g.addDirectedEdgeWithKey(`${src}->${tgt}`, src, tgt, { type: 'conflict', conflict });
    }
  }
  return g;
}

/**
 * Fills `net`, a new empty network, from a graphology graph with the attributes of
 * MODEL_SPEC §2: node keys must be the integers 0..N-1 and every participant -> proposal edge present.
 */
export function networkFromGraph(g: ConvictionGraph, net: Network): Network {
  const n = g.order;
  const seen: Array<{ key: string; attrs: NodeAttrs }> = [];
  g.forEachNode((key, attrs) => {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0 || id >= n) {
      throw new Error(`network: node key '${key}' must be an integer id in [0, ${n - 1}]`);
    }
    seen[id] = { key, attrs };
  });
  const pIndex = new Map<string, number>();
  const qIndex = new Map<string, number>();
  for (let id = 0; id < n; id++) {
    const { key, attrs } = seen[id];
    if (attrs.type === 'participant') {
      pIndex.set(key, net.addParticipant(attrs.holdings, () => ({ affinity: NaN }), attrs.sentiment ?? NaN));
    } else if (attrs.type === 'proposal') {
      if (!STATUSES.includes(attrs.status)) {
        throw new Error(`network: node ${key} has status '${String(attrs.status)}', allowed: ${STATUSES.join(', ')}`);
      }
      qIndex.set(key, net.addProposal(attrs, () => NaN));
    } else {
      throw new Error(`network: node ${key} has type '${String((attrs as { type: unknown }).type)}', allowed: participant, proposal`);
    }
  }
  const filled = new Set<string>();
  g.forEachEdge((_e, attrs, src, tgt) => {
    if (attrs.type === 'influence' || attrs.type === 'conflict') {
      const index = attrs.type === 'influence' ? pIndex : qIndex;
      const a = index.get(src);
      const b = index.get(tgt);
      if (a === undefined || b === undefined) {
        const ends = attrs.type === 'influence' ? 'two participants' : 'two proposals';
        throw new Error(`network: ${attrs.type} edge ${src} -> ${tgt} must join ${ends}`);
      }
      net.setLink(attrs.type, a, b, attrs.type === 'influence' ? attrs.influence : attrs.conflict);
      return;
    }
    const i = pIndex.get(src);
    const j = qIndex.get(tgt);
    if (i === undefined || j === undefined) {
      throw new Error(`network: edge ${src} -> ${tgt} must go from a participant to a proposal`);
    }
    net.setAffinity(i, j, attrs.affinity);
    net.setTokens(i, j, attrs.tokens);
    net.setEdgeConviction(i, j, attrs.conviction);
    filled.add(`${i},${j}`);
  });
  for (const [pk, i] of pIndex) {
    for (const [qk, j] of qIndex) {
      if (!filled.has(`${i},${j}`)) throw new Error(`network: missing support edge ${pk} -> ${qk} (the graph must be complete)`);
    }
  }
  return net;
}
