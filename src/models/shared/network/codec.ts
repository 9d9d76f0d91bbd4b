/**
 * Moving networks between threads: many networks (a run's records) are encoded
 * together so that each column they share crosses once and comes back shared.
 */
import { Column, Links, type NetworkParts } from './columns';

/** Networks encoded by `Network.encodeMany`: shared columns once, networks by column index. */
export interface EncodedNetworks {
  columns: Float64Array[];
  networks: Array<{
    nP: number;
    nQ: number;
    nodes: number;
    p: number[];
    q: number[];
    aff: number[];
    tok: number[];
    conv: number[];
    /** Link sets as [source, target, value] triples, by index into `links`. */
    influence: number;
    conflict: number;
  }>;
  links: number[][];
}

/**
 * Encodes the contents of many networks for postMessage, each shared column
 * and link table once; `transfer` lists the buffers to hand over.
 */
export function encodeParts(nets: ReadonlyArray<NetworkParts>): { data: EncodedNetworks; transfer: ArrayBuffer[] } {
  const ids = new Map<Column, number>();
  const columns: Float64Array[] = [];
  const linkIds = new Map<Links, number>();
  const links: number[][] = [];
  const linkRef = (l: Links): number => {
    let id = linkIds.get(l);
    if (id === undefined) {
      id = links.length;
      linkIds.set(l, id);
      links.push(l.triples());
    }
    return id;
  };
  const ref = (c: Column): number => {
    let id = ids.get(c);
    if (id === undefined) {
      id = columns.length;
      ids.set(c, id);
      columns.push(c.buf.slice(0, c.used));
    }
    return id;
  };
  const networks = nets.map((n) => ({
    nP: n.nP,
    nQ: n.nQ,
    nodes: n.nodes,
    p: [ref(n.p.holdings), ref(n.p.pId), ref(n.p.sentiment)],
    q: [ref(n.q.status), ref(n.q.conviction), ref(n.q.age), ref(n.q.requested), ref(n.q.trigger), ref(n.q.qId)],
    aff: n.aff.map(ref),
    tok: n.tok.map(ref),
    conv: n.conv.map(ref),
    influence: linkRef(n.links.influence),
    conflict: linkRef(n.links.conflict),
  }));
  return { data: { columns, networks, links }, transfer: columns.map((c) => c.buffer as ArrayBuffer) };
}

/** Rebuilds the contents of the networks `encodeParts` encoded, sharing what they shared. */
export function decodeParts(data: EncodedNetworks): NetworkParts[] {
  const cols = data.columns.map((b) => new Column(b, b.length, null));
  const links = data.links.map((t) => Links.fromTriples(t));
  return data.networks.map((e) => {
    const [status, conviction, age, requested, trigger, qId] = e.q.map((k) => cols[k]);
    return {
      nP: e.nP,
      nQ: e.nQ,
      nodes: e.nodes,
      p: { holdings: cols[e.p[0]], pId: cols[e.p[1]], sentiment: cols[e.p[2]] },
      q: { status, conviction, age, requested, trigger, qId },
      aff: e.aff.map((k) => cols[k]),
      tok: e.tok.map((k) => cols[k]),
      conv: e.conv.map((k) => cols[k]),
      links: { influence: links[e.influence], conflict: links[e.conflict] },
    };
  });
}
