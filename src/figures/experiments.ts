/**
 * Figures of experiments: Monte Carlo bands over time (median, 25–75 and 5–95
 * percentile bands, one colour per group), a sweep's summary against the swept
 * parameter, and an A/B comparison of parameter sets panel by panel. Their
 * inputs come from `src/analysis/bands.ts`.
 */
import { groupLabels, type Band, type Stats, type SweepSummaryRow } from '../analysis/bands';
import { DEFAULT_COLOURS, round, title, type Figure, type Trace } from './common';

/** `#rrggbb` as `rgba(r,g,b,alpha)`. */
export function rgba(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`rgba: expected a #rrggbb colour, got ${hex}`);
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}

/** Options shared by the band figures. */
export interface BandFigureOptions {
  title?: string;
  yTitle?: string;
  /** One name per band (default: from the parameters that differ, else simulation and subset). */
  names?: ReadonlyArray<string>;
  /** One colour per band (#rrggbb; default matplotlib's cycle). */
  colours?: ReadonlyArray<string>;
  /** A dashed horizontal reference line (e.g. 1 for a share of trigger). */
  line?: number;
  /** Decimals of the plotted values (default 3). */
  digits?: number;
}

/** Index of probability `p` in a band, or -1. */
function probIndex(band: Band, p: number): number {
  return band.probs.findIndex((q) => Math.abs(q - p) < 1e-9);
}

/**
 * The traces of some bands on one pair of axes: per band a 5–95 band, a 25–75
 * band and the median (whichever of those probabilities the band has), sharing a
 * legend group so one click hides a whole group.
 */
export function bandTraces(bands: ReadonlyArray<Band>, options: BandFigureOptions & { axis?: string; showlegend?: boolean } = {}): Trace[] {
  const names = options.names ?? groupLabels(bands);
  const digits = options.digits ?? 3;
  const axes = options.axis !== undefined ? { xaxis: `x${options.axis}`, yaxis: `y${options.axis}` } : {};
  const traces: Trace[] = [];
  bands.forEach((band, g) => {
    const colour = options.colours?.[g] ?? DEFAULT_COLOURS[g % DEFAULT_COLOURS.length];
    const group = `band-${g}`;
    const ys = (p: number): Array<number | null> | null => {
      const k = probIndex(band, p);
      return k < 0 ? null : band.quantiles[k].map((v) => (v === null ? null : round(v, digits)));
    };
    for (const [lo, hi, opacity] of [
      [0.05, 0.95, 0.15],
      [0.25, 0.75, 0.3],
    ] as const) {
      const low = ys(lo);
      const high = ys(hi);
      if (!low || !high) continue;
      const label = `${names[g]}: ${lo * 100}–${hi * 100}%`;
      traces.push({ type: 'scatter', mode: 'lines', x: band.timesteps, y: low, line: { width: 0, color: colour }, showlegend: false, legendgroup: group, hoverinfo: 'skip', name: label, ...axes });
      traces.push({
        type: 'scatter',
        mode: 'lines',
        x: band.timesteps,
        y: high,
        fill: 'tonexty',
        fillcolor: rgba(colour, opacity),
        line: { width: 0, color: colour },
        showlegend: false,
        legendgroup: group,
        hoverinfo: 'skip',
        name: label,
        ...axes,
      });
    }
    const median = ys(0.5);
    if (median) {
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: `${names[g]} (median of ${band.runs} runs)`,
        x: band.timesteps,
        y: median,
        line: { color: colour, width: 2 },
        legendgroup: group,
        showlegend: options.showlegend ?? true,
        ...axes,
      });
    }
  });
  if (options.line !== undefined && bands.length > 0) {
    const ts = bands.flatMap((b) => b.timesteps);
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: String(options.line),
      x: [Math.min(...ts), Math.max(...ts)],
      y: [options.line, options.line],
      line: { color: 'black', dash: 'dash', width: 1.5 },
      showlegend: false,
      hoverinfo: 'skip',
      ...axes,
    });
  }
  return traces;
}

/** Monte Carlo bands of one metric over time: median line, 25–75 and 5–95 percentile bands, one colour per group. */
export function bandsFigure(bands: Band | ReadonlyArray<Band>, options: BandFigureOptions = {}): Figure {
  const list = Array.isArray(bands) ? (bands as ReadonlyArray<Band>) : [bands as Band];
  const metric = list[0]?.metric ?? 'value';
  const runs = list[0]?.runs;
  return {
    data: bandTraces(list, options),
    layout: {
      title: title(options.title ?? `${metric}: median, 25–75% and 5–95% of ${runs ?? 0} runs`),
      xaxis: { title: title('timestep') },
      yaxis: { title: title(options.yTitle ?? metric) },
      legend: { orientation: 'h', x: 0, y: -0.24, yanchor: 'top' },
      hovermode: 'x',
    },
  };
}

/** One panel of `panelsFigure`: some bands (one per group) of a metric. */
export interface Panel {
  bands: ReadonlyArray<Band>;
  title?: string;
  yTitle?: string;
  line?: number;
  digits?: number;
}

/** Panels of bands side by side (`columns` per row), groups in the same colours in every panel, one legend. */
export function panelsFigure(panels: ReadonlyArray<Panel>, options: { title?: string; columns?: number; names?: ReadonlyArray<string>; colours?: ReadonlyArray<string>; height?: number } = {}): Figure {
  const columns = Math.max(1, Math.min(options.columns ?? 3, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const gap = 0.07;
  const width = (1 - gap * (columns - 1)) / columns;
  const vgap = 0.14;
  const height = (1 - vgap * (rows - 1)) / rows;
  const layout: Record<string, unknown> = {
    title: title(options.title ?? ''),
    legend: { orientation: 'h', x: 0, y: -0.1 - 0.12 / rows, yanchor: 'top' },
    height: options.height ?? 380 * rows + 80,
    margin: { b: 90 },
    hovermode: 'x',
  };
  const annotations: Record<string, unknown>[] = [];
  const data: Trace[] = [];
  panels.forEach((panel, k) => {
    const col = k % columns;
    const row = Math.floor(k / columns);
    const n = k === 0 ? '' : String(k + 1);
    const x0 = col * (width + gap);
    const y1 = 1 - row * (height + vgap);
    layout[`xaxis${n}`] = { domain: [x0, x0 + width], anchor: `y${n}`, title: title('timestep') };
    // The panel's heading names the metric; a y title only when asked for (it would crowd the panel to the left).
    layout[`yaxis${n}`] = { domain: [y1 - height, y1], anchor: `x${n}`, ...(panel.yTitle ? { title: title(panel.yTitle) } : {}) };
    if (panel.title ?? panel.bands[0]?.metric) {
      annotations.push({ text: `<b>${panel.title ?? panel.bands[0].metric}</b>`, xref: 'paper', yref: 'paper', x: x0 + width / 2, y: y1, xanchor: 'center', yanchor: 'bottom', showarrow: false });
    }
    data.push(...bandTraces(panel.bands, { axis: n, showlegend: k === 0, names: options.names, colours: options.colours, line: panel.line, digits: panel.digits }));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** The default panels of an A/B comparison: candidate counts, funds and the largest conviction share of trigger. */
export const AB_PANELS: ReadonlyArray<{ metric: string; title: string; line?: number; digits?: number }> = [
  { metric: 'candidate_count', title: 'candidates', digits: 2 },
  { metric: 'funds', title: 'funds', digits: 1 },
  { metric: 'max_conviction_share_of_trigger', title: 'max conviction share of trigger', line: 1, digits: 3 },
];

/**
 * A/B: two (or more) parameter sets compared panel by panel, their bands
 * overlaid in each panel. `bandsByMetric` maps each panel's metric to its bands
 * (one per parameter set, e.g. `metricBands(ab, metric)`).
 */
export function abFigure(
  bandsByMetric: Readonly<Record<string, ReadonlyArray<Band>>>,
  options: { title?: string; names?: ReadonlyArray<string>; colours?: ReadonlyArray<string>; panels?: ReadonlyArray<{ metric: string; title?: string; line?: number; digits?: number }>; columns?: number } = {},
): Figure {
  const specs = options.panels ?? AB_PANELS.filter((p) => p.metric in bandsByMetric);
  const panels: Panel[] = specs.map((p) => {
    const bands = bandsByMetric[p.metric];
    if (!bands) throw new RangeError(`abFigure: no bands for the metric '${p.metric}'; have ${Object.keys(bandsByMetric).join(', ')}`);
    return { bands, title: p.title ?? p.metric, line: p.line, digits: p.digits };
  });
  const first = panels[0]?.bands ?? [];
  const names = options.names ?? groupLabels(first);
  return panelsFigure(panels, { title: options.title ?? `A/B: ${names.join(' vs ')}`, names, colours: options.colours, columns: options.columns });
}

/** Which spread the sweep figure's error bars show. */
export type ErrorKind = 'sd' | 'sem' | 'iqr';

/**
 * The y value and asymmetric error bar of some stats: mean ± sd or sem, or the
 * median with 25–75%. With `floor`, the lower bar stops there (counts are never negative).
 */
export function centreAndError(s: Stats, kind: ErrorKind, floor = -Infinity): { y: number | null; plus: number | null; minus: number | null } {
  if (s.n === 0) return { y: null, plus: null, minus: null };
  if (kind === 'iqr') return { y: s.median, plus: (s.q75 as number) - (s.median as number), minus: (s.median as number) - (s.q25 as number) };
  const e = (kind === 'sd' ? s.sd : s.sem) as number;
  const y = s.mean as number;
  return { y, plus: e, minus: Math.min(e, y - floor) };
}

/** Options of `sweepFigure`. */
export interface SweepFigureOptions {
  /** The swept parameter for the x axis (default: the first differing one). */
  x?: string;
  /** Log x axis (default: true when the values span more than a factor 5). */
  logX?: boolean;
  /** Error bars: standard deviation (default), standard error or interquartile range (then the median is the centre). */
  error?: ErrorKind;
  title?: string;
}

/**
 * A sweep against its parameter in three panels: proposals passed by the end
 * (with error bars), share of runs in which anything passed, and the timestep
 * of the first pass (median and 25–75%, over the runs that had one).
 */
export function sweepFigure(summary: ReadonlyArray<SweepSummaryRow>, options: SweepFigureOptions = {}): Figure {
  if (summary.length === 0) throw new RangeError('sweepFigure: the summary is empty');
  const key = options.x ?? Object.keys(summary[0].values)[0];
  const xs = summary.map((r, k) => (key !== undefined && typeof r.values[key] === 'number' ? (r.values[key] as number) : k));
  const positive = xs.every((v) => v > 0);
  const logX = options.logX ?? (positive && Math.max(...xs) / Math.min(...xs) > 5);
  const error = options.error ?? 'sd';
  const passed = summary.map((r) => centreAndError(r.passed, error, 0));
  const first = summary.map((r) => centreAndError(r.firstPass, 'iqr'));
  const runs = summary.map((r) => r.runs);
  const T = Math.max(...summary.map((r) => r.timestep));
  const xTitle = key ?? 'subset';
  const colour = DEFAULT_COLOURS[0];
  const errorLabel = { sd: 'mean ± sd, cut at 0', sem: 'mean ± standard error, cut at 0', iqr: 'median, 25–75%' }[error];
  const bar = (e: Array<{ plus: number | null; minus: number | null }>) => ({
    type: 'data',
    symmetric: false,
    array: e.map((v) => (v.plus === null ? null : round(v.plus, 3))),
    arrayminus: e.map((v) => (v.minus === null ? null : round(v.minus, 3))),
    color: colour,
  });
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: `proposals passed by t = ${T} (${errorLabel})`,
      x: xs,
      y: passed.map((p) => (p.y === null ? null : round(p.y, 3))),
      error_y: bar(passed),
      line: { color: colour },
      hovertext: summary.map((r, k) => `${r.label}: ${runs[k]} runs`),
    },
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: 'share of runs where a proposal passed',
      x: xs,
      y: summary.map((r) => round(r.anyPassed, 3)),
      xaxis: 'x2',
      yaxis: 'y2',
      line: { color: DEFAULT_COLOURS[1] },
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'timestep of the first pass (median, 25–75%)',
      x: xs,
      y: first.map((p) => (p.y === null ? null : round(p.y, 2))),
      error_y: { ...bar(first), color: DEFAULT_COLOURS[2] },
      xaxis: 'x3',
      yaxis: 'y3',
      marker: { color: DEFAULT_COLOURS[2], size: 8 },
      hovertext: summary.map((r) => `${r.firstPass.n} of ${r.runs} runs had a pass`),
    },
  ];
  // Ticks at the swept values themselves (a log axis would label 2, 3, 4, ... between decades).
  const ticks = { tickvals: xs, ticktext: xs.map((v) => String(v)), tickangle: xs.length > 4 ? -45 : 0 };
  const xaxis = (domain: [number, number], anchor: string) => ({ domain, anchor, type: logX ? 'log' : 'linear', title: title(xTitle), ...ticks });
  const heading = (text: string, x: number) => ({ text: `<b>${text}</b>`, xref: 'paper', yref: 'paper', x, y: 1, xanchor: 'center', yanchor: 'bottom', showarrow: false });
  return {
    data,
    layout: {
      title: title(options.title ?? `Sweep of ${xTitle}: when proposals start to pass`),
      xaxis: xaxis([0, 0.28], 'y'),
      yaxis: { domain: [0, 1], anchor: 'x', title: title('proposals passed'), rangemode: 'tozero' },
      xaxis2: xaxis([0.36, 0.64], 'y2'),
      yaxis2: { domain: [0, 1], anchor: 'x2', title: title('share of runs'), range: [0, 1.05] },
      xaxis3: xaxis([0.72, 1], 'y3'),
      yaxis3: { domain: [0, 1], anchor: 'x3', title: title('timestep'), range: [0, T] },
      annotations: [heading('proposals passed', 0.14), heading('runs with a pass', 0.5), heading('first pass', 0.86)],
      legend: { orientation: 'h', x: 0, y: -0.3, yanchor: 'top' },
      height: 440,
      margin: { b: 110 },
    },
  };
}
