/**
 * The participants' influence network (MODEL_SPEC_V3 §9, figure 2): who lifts
 * whose support, drawn with a seeded spring layout.
 */
import { escapeHtml } from '../analysis/escape';
import type { ConvictionGraph, Network } from '../models/shared/network';
import { asNetwork, round, title, type Figure, type Trace } from './common';
import { springLayout } from './layout';

/** Options of `influenceNetwork`. */
export interface InfluenceNetworkOptions {
  title?: string;
  /** Seed of the layout (default 0). */
  seed?: number | string;
}

/** Participants as points, influence links as lines (darker for stronger influence), from a spring layout. */
export function influenceNetwork(net: Network | ConvictionGraph, options: InfluenceNetworkOptions = {}): Figure {
  const where = 'influenceNetwork';
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${where}: options must be an object`);
  if (options.seed !== undefined && typeof options.seed !== 'string' && !Number.isSafeInteger(options.seed)) {
    throw new TypeError(`${where}: options.seed must be an integer or text, got ${typeof options.seed === 'number' ? options.seed : typeof options.seed}`);
  }
  if (options.title !== undefined && typeof options.title !== 'string') throw new TypeError(`${where}: options.title must be text`);
  const n = asNetwork(net, where);
  const nP = n.participantCount;
  const edges: Array<{ source: number; target: number; weight: number }> = [];
  for (let a = 0; a < nP; a++) for (const [b, w] of n.linksFrom('influence', a)) edges.push({ source: a, target: b, weight: w });
  const pos = springLayout(nP, edges.map((e) => ({ source: e.source, target: e.target })), { seed: options.seed ?? 0 });
  const maxW = edges.reduce((m, e) => Math.max(m, e.weight), 0);
  // One line trace per edge would be hundreds of traces; one trace with gaps (null) between segments is one.
  const ex: Array<number | null> = [];
  const ey: Array<number | null> = [];
  for (const e of edges) {
    ex.push(round(pos[e.source][0], 4), round(pos[e.target][0], 4), null);
    ey.push(round(pos[e.source][1], 4), round(pos[e.target][1], 4), null);
  }
  const ids = Array.from({ length: nP }, (_, i) => n.participantId(i));
  const outDegree = ids.map((_, i) => n.linksFrom('influence', i).size);
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'influence',
      x: ex,
      y: ey,
      line: { color: 'rgba(90, 90, 90, 0.45)', width: 1 },
      hoverinfo: 'skip',
    },
    {
      type: 'scatter',
      mode: 'markers+text',
      name: 'participants',
      x: pos.map((p) => round(p[0], 4)),
      y: pos.map((p) => round(p[1], 4)),
      text: ids.map(String),
      textposition: 'top center',
      marker: { size: outDegree.map((d) => 8 + 2 * d), color: '#e41a1c' },
      customdata: outDegree,
      hovertemplate: 'participant %{text}<br>influences %{customdata}<extra></extra>',
    },
  ];
  return {
    data,
    layout: {
      title: title(options.title !== undefined ? escapeHtml(options.title) : `Participants' influence network: ${edges.length} links (strongest ${round(maxW, 2) ?? 0})`),
      xaxis: { visible: false },
      yaxis: { visible: false, scaleanchor: 'x' },
      showlegend: false,
    },
  };
}
