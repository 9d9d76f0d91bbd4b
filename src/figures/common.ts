/**
 * What every figure builder shares: the plain-JSON figure type, the colours of
 * MODEL_SPEC §9, rounding (figures are embedded in notebooks, so every digit
 * beyond what a pixel shows is wasted bytes) and the network input coercion.
 */
import { Network, type ConvictionGraph, type ProposalStatus } from '../model/network';

/** A plotly trace as plain JSON. */
export type Trace = Record<string, unknown>;

/** An animation frame: a name, partial traces merged into the figure's traces, and layout changes. */
export interface Frame {
  name: string;
  data: Trace[];
  traces?: number[];
  layout?: Record<string, unknown>;
}

/** A plotly figure as plain JSON: no DOM, no plotly import; render it with `Plotly.newPlot(div, figure)`. */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
  frames?: Frame[];
}

/** Status colours of MODEL_SPEC §9 (matplotlib's tab blue, orange, green, grey, and black). */
export const STATUS_COLOURS: Readonly<Record<ProposalStatus, string>> = {
  candidate: '#1f77b4',
  active: '#ff7f0e',
  completed: '#2ca02c',
  failed: '#7f7f7f',
  killed: '#000000',
};

/** The statuses in the reference figures' legend order. */
export const FIGURE_STATUS_ORDER: readonly ProposalStatus[] = ['candidate', 'active', 'completed', 'killed', 'failed'];

/** matplotlib's default colour cycle, for figures whose series have no meaning-bound colour. */
export const DEFAULT_COLOURS: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/** `v` rounded to `digits` decimals; null for NaN or an infinity (plotly draws null as a gap, and JSON has no NaN). */
export function round(v: number, digits: number): number | null {
  if (!Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Every value rounded to `digits` decimals (see `round`). */
export function roundAll(values: ReadonlyArray<number>, digits: number): Array<number | null> {
  return values.map((v) => round(v, digits));
}

/** A Network as is, or one built from a graphology graph. */
export function asNetwork(net: Network | ConvictionGraph): Network {
  return net instanceof Network ? net : Network.fromGraph(net);
}

/** A plotly title object (plotly.js 3 dropped the plain-string shorthand). */
export function title(text: string): { text: string } {
  return { text };
}

/** A number in a short form for labels: 1234 -> "1.2k", 0.5 -> "0.5". */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(a >= 10 ? 0 : 1)}`;
}

/** Equal-width histogram like numpy's and matplotlib's: `bins` bins over [min, max], the last bin closed. */
export function histogram(values: ReadonlyArray<number>, bins = 10): { edges: number[]; counts: number[] } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { edges: [], counts: [] };
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  // numpy widens a zero range to one unit around the value.
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * width));
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return { edges, counts };
}
