/**
 * Network snapshots (MODEL_SPEC §9, figures 7-8): a bipartite picture with the
 * participants in a column on the left and the proposals on the right, edges to
 * candidates coloured by tokens staked, and a slider version with one plotly
 * frame per timestep.
 *
 * Kept light on purpose: only edges with tokens > 0 are drawn (a zero stake is no
 * support; the reference drew those nearly white), edges are grouped into one
 * line trace per colour bin (segments separated by nulls) instead of one trace
 * per edge, and coordinates are normalised to [0, 1] with 3 decimals.
 */
import { lastSubstep } from '../analysis/dataframes';
import { candidateStakes, convictionShareOfTrigger, fundsRequested, holdingsOf, participantIds, proposalIds, proposalStatuses } from '../analysis/metrics';
import type { StateRecord } from '../engine/types';
import { STATUSES, type ConvictionGraph, type Network } from '../models/shared/network';
import type { State } from '../models/v1/state';
import { asNetwork, compact, extent, optionsOf, round, SNAPSHOT_STATUS_COLOURS, title, typeName, userText, type Figure, type Frame, type Trace } from './common';

/** Edge colours from light to dark by tokens staked (ColorBrewer Reds, as the reference's colour map). */
export const EDGE_COLOURS: readonly string[] = ['#fcbba1', '#fc9272', '#fb6a4a', '#de2d26', '#a50f15'];
/** Participant marker colour (red, as the reference). */
export const PARTICIPANT_COLOUR = '#e41a1c';
/** The reference title (its "Partipants" typo corrected). */
export const SNAPSHOT_TITLE = 'Tokens Staked by Participants to Proposals';

/** What sizes and colours are relative to; shared by every frame of a slider so frames compare. */
export interface SnapshotScale {
  maxTokens: number;
  maxHoldings: number;
  maxRequested: number;
}

/** Options of `networkSnapshot`. */
export interface SnapshotOptions {
  /** Replaces the reference title (shown as typed: it is escaped). */
  title?: string;
  /** A subtitle (escaped too), e.g. where the timestep comes from. */
  subtitle?: string;
  /** The network's timestep, for the title (a record passed as input brings its own). */
  timestep?: number;
  /** Fixed maxima for edge colours and marker sizes (default: this network's). */
  scale?: Partial<SnapshotScale>;
}

/** The maxima of tokens staked on candidates, holdings and funds requested over some networks. */
export function snapshotScale(nets: ReadonlyArray<Network>): SnapshotScale {
  const s: SnapshotScale = { maxTokens: 0, maxHoldings: 0, maxRequested: 0 };
  for (const n of nets) {
    for (const e of candidateStakes(n)) s.maxTokens = Math.max(s.maxTokens, e.tokens);
    for (const h of holdingsOf(n)) if (Number.isFinite(h)) s.maxHoldings = Math.max(s.maxHoldings, h);
    for (const r of fundsRequested(n, true)) if (Number.isFinite(r)) s.maxRequested = Math.max(s.maxRequested, r);
  }
  return s;
}

/** Position k of `count` evenly spread slots on [0, 1] (participants: from edge to edge). */
function spread(k: number, count: number): number {
  return count > 1 ? k / (count - 1) : 0.5;
}
/** Marker diameter growing with the square root of `v / max`, so marker area is proportional to the value. */
function diameter(v: number, max: number, min: number, range: number): number {
  const f = max > 0 && v > 0 ? Math.sqrt(Math.min(1, v / max)) : 0;
  return round(min + range * f, 1) ?? min;
}
/** Edge colour bin of `tokens` out of `max`: k covers (k/B, (k+1)/B] of the range, the largest in the last bin. */
export function edgeBin(tokens: number, max: number, bins = EDGE_COLOURS.length): number {
  if (!(max > 0)) return 0;
  return Math.min(bins - 1, Math.max(0, Math.ceil((tokens / max) * bins) - 1));
}
/** Conviction as a whole percentage of the trigger, truncated as the reference does ("99%" never reads as passed); empty when undefined. */
export function shareLabel(share: number): string {
  return Number.isFinite(share) ? `${Math.trunc(100 * share)}%` : '';
}

/**
 * The snapshot's traces, always the same number in the same order (edge bins,
 * participants, one trace per status) so that slider frames can replace them.
 */
function snapshotTraces(net: Network, scale: SnapshotScale): Trace[] {
  const nP = net.participantCount;
  const nQ = net.proposalCount;
  const py = Array.from({ length: nP }, (_, i) => round(spread(i, nP), 3));
  // Proposals centred in their slots: fewer of them, so they sit inside the participants' span.
  const qy = Array.from({ length: nQ }, (_, j) => round((j + 0.5) / Math.max(1, nQ), 3));

  const bins = EDGE_COLOURS.map(() => ({ x: [] as Array<number | null>, y: [] as Array<number | null> }));
  for (const e of candidateStakes(net)) {
    const b = bins[edgeBin(e.tokens, scale.maxTokens)];
    b.x.push(0, 1, null);
    b.y.push(py[e.i], qy[e.j], null);
  }
  const step = scale.maxTokens / EDGE_COLOURS.length;
  // Every bin keeps its legend entry, empty or not, so the legend covers 0 to the largest stake without a gap:
  // plotly leaves a trace without points out of the legend, so an empty bin gets one point off the axes' range.
  const traces: Trace[] = bins.map((b, k) => ({
    type: 'scatter',
    mode: 'lines',
    name: `${compact(k * step)}–${compact((k + 1) * step)} tokens`,
    legendgroup: 'stakes',
    legendgrouptitle: k === 0 ? { text: 'tokens staked' } : undefined,
    x: b.x.length > 0 ? b.x : [-1],
    y: b.y.length > 0 ? b.y : [-1],
    line: { color: EDGE_COLOURS[k], width: 1 + 0.4 * k },
    hoverinfo: 'skip',
  }));

  const holdings = holdingsOf(net);
  const pIds = participantIds(net);
  traces.push({
    type: 'scatter',
    mode: 'markers',
    name: 'participants',
    x: py.map(() => 0),
    y: py,
    marker: { color: PARTICIPANT_COLOUR, size: holdings.map((h) => diameter(h, scale.maxHoldings, 3, 12)) },
    hovertext: holdings.map((h, i) => `participant ${pIds[i]}: ${compact(h)} tokens`),
    hoverinfo: 'text',
  });

  const statuses = proposalStatuses(net, true);
  const qIds = proposalIds(net, true);
  const requested = fundsRequested(net, true);
  const shares = convictionShareOfTrigger(net, true);
  for (const status of STATUSES) {
    const js = statuses.flatMap((s, j) => (s === status ? [j] : []));
    const labelled = status === 'candidate';
    traces.push({
      type: 'scatter',
      mode: labelled ? 'markers+text' : 'markers',
      name: status,
      x: js.map(() => 1),
      y: js.map((j) => qy[j]),
      marker: { color: SNAPSHOT_STATUS_COLOURS[status], size: js.map((j) => diameter(requested[j], scale.maxRequested, 6, 16)) },
      ...(labelled ? { text: js.map((j) => shareLabel(shares[j])), textposition: 'middle right' } : {}),
      hovertext: js.map((j) => `proposal ${qIds[j]} (${status}): requests ${compact(requested[j])}`),
      hoverinfo: 'text',
    });
  }
  return traces;
}

/** The layout of a snapshot: hidden axes, participants at x = 0, proposals at x = 1, first node at the top. */
function snapshotLayout(text: string, subtitle?: string): Record<string, unknown> {
  return {
    title: title(text, subtitle),
    xaxis: { visible: false, range: [-0.05, 1.15], fixedrange: true },
    yaxis: { visible: false, range: [1.04, -0.04], fixedrange: true },
    plot_bgcolor: 'white',
    hovermode: 'closest',
    legend: { itemsizing: 'constant' },
    height: 520,
  };
}

/** A snapshot's input: a network, a graphology graph, or a record (which knows its timestep). */
export type SnapshotInput = Network | ConvictionGraph | Pick<StateRecord<State>, 'network' | 'timestep'>;

/** The reference title with the timestep when it is known: "Tokens Staked by Participants to Proposals, timestep 57". */
export function snapshotTitle(timestep?: number): string {
  return timestep === undefined ? SNAPSHOT_TITLE : `${SNAPSHOT_TITLE}, timestep ${timestep}`;
}

/** Checks the scale option: non-negative finite maxima. */
function checkScale(where: string, scale: unknown): Partial<SnapshotScale> {
  const s = optionsOf(where, scale as Partial<SnapshotScale> | undefined, 'options.scale');
  for (const [k, v] of Object.entries(s)) {
    if (!['maxTokens', 'maxHoldings', 'maxRequested'].includes(k)) throw new RangeError(`${where}: unknown option scale.${k}; known: maxTokens, maxHoldings, maxRequested`);
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new RangeError(`${where}: options.scale.${k} must be a finite number ≥ 0, got ${String(v)}`);
  }
  return s;
}

/**
 * Figures 7-8: the bipartite snapshot of one network (edges to candidates
 * coloured by tokens, candidates labelled with conviction / trigger). The title
 * carries the timestep when it is known: from a record, or `options.timestep`.
 */
export function networkSnapshot(net: SnapshotInput, options: SnapshotOptions = {}): Figure {
  const where = 'networkSnapshot';
  const o = optionsOf(where, options, 'options', ['title', 'subtitle', 'timestep', 'scale']);
  const text = userText(where, 'options.title', o.title);
  const sub = userText(where, 'options.subtitle', o.subtitle);
  const isRecord = typeof net === 'object' && net !== null && 'network' in net && typeof (net as { timestep?: unknown }).timestep === 'number';
  const timestep = o.timestep ?? (isRecord ? (net as { timestep: number }).timestep : undefined);
  if (timestep !== undefined && !(typeof timestep === 'number' && Number.isInteger(timestep) && timestep >= 0)) {
    throw new TypeError(`${where}: options.timestep must be an integer ≥ 0, got ${typeName(timestep)} ${String(timestep)}`);
  }
  const n = asNetwork(isRecord ? (net as { network: Network }).network : (net as Network | ConvictionGraph), where);
  const scale = { ...snapshotScale([n]), ...checkScale(where, o.scale) };
  // A user title keeps the timestep too: in the subtitle, before any user subtitle.
  const stepText = timestep === undefined ? undefined : `timestep ${timestep}`;
  const heading = text ?? snapshotTitle(timestep);
  const subtitle = text !== undefined && stepText !== undefined && !text.includes(stepText) ? [stepText, sub].filter(Boolean).join('; ') : sub;
  return { data: snapshotTraces(n, scale), layout: snapshotLayout(heading, subtitle) };
}

/**
 * The snapshot of one run's network at `timestep` (its last substep), titled
 * with that timestep: `networkSnapshotAt(records, 57)`. Refuses the records of
 * several runs (filter to one first).
 */
export function networkSnapshotAt(records: ReadonlyArray<StateRecord<State>>, timestep: number, options: Omit<SnapshotOptions, 'timestep'> = {}): Figure {
  const where = 'networkSnapshotAt';
  if (!Array.isArray(records)) throw new TypeError(`${where}: records must be an array of records (e.g. simulate().results[0].records), got ${typeName(records)}`);
  if (!(typeof timestep === 'number' && Number.isInteger(timestep))) throw new TypeError(`${where}: timestep must be an integer, got ${typeName(timestep)}`);
  const runs = new Set(records.map((r) => `${r.simulation}/${r.subset}/${r.run}`));
  if (runs.size > 1) throw new RangeError(`${where}: the records hold ${runs.size} runs; pass one run's records (e.g. results[0].records)`);
  let found: StateRecord<State> | undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of records) {
    lo = Math.min(lo, r.timestep);
    hi = Math.max(hi, r.timestep);
    if (r.timestep === timestep && (!found || r.substep >= found.substep)) found = r;
  }
  if (!found) throw new RangeError(`${where}: no record at timestep ${timestep}; the records run from ${lo} to ${hi}`);
  return networkSnapshot(found, options);
}

/** Options of `networkSnapshotSlider`. */
export interface SliderOptions {
  /** Replaces the reference title (escaped); each frame adds its timestep. */
  title?: string;
  /** Which run to show (default: the first record's). */
  simulation?: number;
  subset?: number;
  run?: number;
}

/** The most frames a slider takes. */
export const MAX_FRAMES = 1001;

/** About 20 evenly spaced timesteps of the records, always with the last: frames cost ~7 kB each. */
export function defaultSliderTimesteps(timesteps: ReadonlyArray<number>): number[] {
  const sorted = [...new Set(timesteps)].sort((a, b) => a - b);
  const stride = Math.max(1, Math.ceil(sorted.length / 20));
  const picked = sorted.filter((_, k) => k % stride === 0);
  if (sorted.length > 0 && picked[picked.length - 1] !== sorted[sorted.length - 1]) picked.push(sorted[sorted.length - 1]);
  return picked;
}

/** Only what changes between frames; plotly merges a frame's partial traces into the figure's. */
function frameTrace(t: Trace): Trace {
  const keep = ['x', 'y', 'text', 'hovertext', 'marker'];
  return Object.fromEntries(Object.entries(t).filter(([k]) => keep.includes(k)));
}

/**
 * A snapshot with a slider and play button: one plotly frame per timestep (the
 * network at that timestep's last substep), colours and sizes on one scale for all frames.
 * Default timesteps: about 20 evenly spaced ones (see `defaultSliderTimesteps`).
 */
export function networkSnapshotSlider(
  records: ReadonlyArray<StateRecord<State>>,
  timesteps?: ReadonlyArray<number>,
  options: SliderOptions = {},
): Figure {
  const where = 'networkSnapshotSlider';
  if (!Array.isArray(records)) throw new TypeError(`${where}: records must be an array of records (e.g. simulate().results[0].records), got ${typeName(records)}`);
  const o = optionsOf(where, options, 'options', ['title', 'simulation', 'subset', 'run']);
  if (records.length === 0) throw new RangeError('networkSnapshotSlider: no records');
  if (timesteps !== undefined && !(Array.isArray(timesteps) && timesteps.every((t) => typeof t === 'number'))) {
    throw new TypeError(`${where}: timesteps must be an array of numbers, got ${typeName(timesteps)}`);
  }
  // Each frame costs about 7 kB of notebook: a bound keeps a mistaken range from exhausting a kernel.
  if (timesteps !== undefined && timesteps.length > MAX_FRAMES) {
    throw new RangeError(`${where}: ${timesteps.length} timesteps asked for; at most ${MAX_FRAMES} frames (pick every k-th timestep)`);
  }
  const first = records[0];
  const sim = o.simulation ?? first.simulation;
  const subset = o.subset ?? first.subset;
  const run = o.run ?? first.run;
  const own = records.filter((r) => r.simulation === sim && r.subset === subset && r.run === run);
  // The network of each timestep is its last substep's; timestep 0 (genesis) has only substep 0.
  const byTime = new Map<number, StateRecord<State>>();
  for (const r of [...own.filter((r) => r.timestep === 0), ...lastSubstep(own)]) byTime.set(r.timestep, r);
  const ts = timesteps ? [...timesteps] : defaultSliderTimesteps([...byTime.keys()].filter((t) => t > 0));
  if (ts.length === 0) throw new RangeError('networkSnapshotSlider: no timestep to show');
  const missing = ts.filter((t) => !byTime.has(t));
  if (missing.length > 0) {
    const [lo, hi] = extent(byTime.keys());
    throw new RangeError(`networkSnapshotSlider: no record at timestep ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} (run ${run}); timesteps run from ${lo} to ${hi}`);
  }
  const nets = ts.map((t) => byTime.get(t)!.network);
  const scale = snapshotScale(nets);
  const base = userText(where, 'options.title', o.title) ?? SNAPSHOT_TITLE;
  const frames: Frame[] = ts.map((t, k) => {
    const traces = snapshotTraces(nets[k], scale);
    return {
      name: String(t),
      data: traces.map(frameTrace),
      traces: traces.map((_, i) => i),
      layout: { title: title(`${base} — timestep ${t}`) },
    };
  });
  const animate = (names: Array<string | null> | null, duration: number) => ({
    method: 'animate',
    args: [names, { mode: 'immediate', fromcurrent: true, frame: { duration, redraw: true }, transition: { duration: 0 } }],
  });
  const layout = snapshotLayout(`${base} — timestep ${ts[0]}`, 'one frame per timestep, on one colour and size scale');
  layout.height = 580;
  layout.sliders = [
    {
      active: 0,
      currentvalue: { prefix: 'timestep ' },
      pad: { t: 30 },
      steps: ts.map((t) => ({ label: String(t), ...animate([String(t)], 0) })),
    },
  ];
  layout.updatemenus = [
    {
      type: 'buttons',
      direction: 'left',
      x: 0,
      y: 0,
      xanchor: 'right',
      yanchor: 'top',
      pad: { t: 60, r: 10 },
      buttons: [
        { label: 'Play', ...animate(null, 400) },
        { label: 'Pause', ...animate([null], 0) },
      ],
    },
  ];
  return { data: snapshotTraces(nets[0], scale), layout, frames };
}
