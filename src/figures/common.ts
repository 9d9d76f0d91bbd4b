/**
 * What every figure builder shares: the plain-JSON figure type, the colours of
 * the reference figures, rounding (figures are embedded in notebooks, so every
 * digit beyond what a pixel shows is wasted bytes), escaping of user text, and
 * the checks of the inputs every builder makes before any work.
 */
import { escapeHtml } from '../analysis/escape';
import { Network, type ConvictionGraph, type ProposalStatus } from '../models/shared/network';

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

/**
 * Status colours of the reference figures 2, 5 and 6 (pandas' default cycle in
 * the reference's column order): candidate blue, active orange, completed green,
 * killed red, failed purple.
 */
export const STATUS_COLOURS: Readonly<Record<ProposalStatus, string>> = {
  candidate: '#1f77b4',
  active: '#ff7f0e',
  completed: '#2ca02c',
  killed: '#d62728',
  failed: '#9467bd',
};

/**
 * Proposal colours of the network snapshots (figures 7-8), as MODEL_SPEC §9
 * describes the reference's snapshot code: candidate blue, active orange,
 * completed green, failed grey, killed black (red is taken by the participants there).
 */
export const SNAPSHOT_STATUS_COLOURS: Readonly<Record<ProposalStatus, string>> = {
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

/** Line dash styles, one per series where lines may lie on top of each other (e.g. several at zero). */
export const DASHES: readonly string[] = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'];

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


/** A short description of a value's type for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/**
 * The options object of a builder (undefined: empty); a TypeError naming the
 * function otherwise. With `known`, a key outside it (a typo such as `bin`) is a
 * RangeError listing the known ones, instead of an option silently ignored.
 */
export function optionsOf<O extends object>(where: string, options: O | undefined, name = 'options', known?: ReadonlyArray<string>): O {
  if (options === undefined) return {} as O;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: ${name} must be an object, got ${typeName(options)}`);
  }
  if (known) {
    const unknown = Object.keys(options).filter((k) => !known.includes(k) && (options as Record<string, unknown>)[k] !== undefined);
    if (unknown.length > 0) throw new RangeError(`${where}: unknown ${name} key '${unknown[0]}'; known: ${known.join(', ')}`);
  }
  return options;
}

/** User text checked and escaped: undefined stays undefined, a non-string is a TypeError naming the function and the option. */
export function userText(where: string, name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new TypeError(`${where}: ${name} must be a string, got ${typeName(v)}`);
  // plotly renders a subset of HTML in every text and decodes the references: user text shows as typed.
  return escapeHtml(v);
}

/** A list of user texts (names of series), each checked and escaped. */
export function userTexts(where: string, name: string, v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new TypeError(`${where}: ${name} must be an array of strings, got ${typeName(v)}`);
  return v.map((s, k) => userText(where, `${name}[${k}]`, s) as string);
}

/** A finite number or undefined; otherwise an error naming the function and the option. */
export function userNumber(where: string, name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${typeName(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${where}: ${name} must be finite, got ${v}`);
  return v;
}

/** Rows checked to be an array of objects with a numeric timestep. */
export function rowsOf<R>(where: string, rows: unknown, name = 'rows'): ReadonlyArray<R> {
  if (!Array.isArray(rows)) throw new TypeError(`${where}: ${name} must be an array of rows (e.g. lastSubstep(toRows(records))), got ${typeName(rows)}`);
  const bad = rows.findIndex((r) => typeof r !== 'object' || r === null || typeof (r as { timestep?: unknown }).timestep !== 'number');
  if (bad >= 0) throw new TypeError(`${where}: ${name}[${bad}] must be a row with a numeric timestep, got ${typeName(rows[bad])}`);
  return rows as ReadonlyArray<R>;
}

/** A Network as is, or one built from a graphology graph; a TypeError naming the function for anything else. */
export function asNetwork(net: Network | ConvictionGraph, where = 'asNetwork', name = 'net'): Network {
  if (net instanceof Network) return net;
  if (typeof net === 'object' && net !== null && typeof (net as { forEachNode?: unknown }).forEachNode === 'function') return Network.fromGraph(net);
  const hint = typeof net === 'object' && net !== null && 'network' in net ? ' (a record: pass record.network)' : '';
  throw new TypeError(`${where}: ${name} must be a Network or a graphology graph (e.g. networkAt(records, t)), got ${typeName(net)}${hint}`);
}

/** A plotly title object (plotly.js 3 dropped the plain-string shorthand), with an optional subtitle. Both are HTML: escape user text first. */
export function title(text: string, subtitle?: string): { text: string; subtitle?: { text: string } } {
  return subtitle ? { text, subtitle: { text: subtitle } } : { text };
}

/** A number in a short form for labels: 1234 -> "1.2k", 0.5 -> "0.5". */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(a >= 10 ? 0 : 1)}`;
}

/** The smallest and largest of some numbers without spreading them (a long spread overflows the stack). */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** "n runs" / "1 run". */
export function runsText(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}
