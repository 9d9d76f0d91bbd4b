/**
 * Figures of experiments: Monte Carlo bands over time (median, 25–75 and 5–95
 * percentile bands, one colour per group), a sweep's summary against the swept
 * parameter, and an A/B comparison of parameter sets panel by panel. Their
 * inputs come from `src/analysis/bands.ts`.
 */
import { escapeHtml } from '../analysis/escape';
import { groupLabels, type Band, type Stats, type SweepSummaryRow } from '../analysis/bands';
import { DASHES, DEFAULT_COLOURS, extent, optionsOf, round, runsText, title, typeName, userNumber, userText, userTexts, type Figure, type Trace } from './common';

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

/** Checks that `bands` is an array of bands (from `metricBands`); a TypeError naming the function and the argument otherwise. */
function checkBands(where: string, bands: unknown, name = 'bands'): ReadonlyArray<Band> {
  if (!Array.isArray(bands)) throw new TypeError(`${where}: ${name} must be an array of bands (metricBands(experiment, metric)), got ${typeName(bands)}`);
  bands.forEach((b, k) => {
    const band = b as Partial<Band> | null;
    if (typeof band !== 'object' || band === null || !Array.isArray(band.probs) || !Array.isArray(band.timesteps) || !Array.isArray(band.quantiles) || typeof band.runs !== 'number') {
      throw new TypeError(`${where}: ${name}[${k}] must be a band { probs, timesteps, quantiles, runs, … } from metricBands, got ${typeName(b)}`);
    }
  });
  return bands as ReadonlyArray<Band>;
}

/** "40 runs" or "10–40 runs each" over some bands. */
function runsOf(bands: ReadonlyArray<Band>): string {
  if (bands.length === 0) return '0 runs';
  const [lo, hi] = extent(bands.map((b) => b.runs));
  const each = bands.length > 1 ? ' each' : '';
  return lo === hi ? `${runsText(lo)}${each}` : `${lo}–${hi} runs${each}`;
}

/** What some bands show, for a subtitle: "median, 25–75% and 5–95% bands of 200 runs" (only what their probabilities allow). */
export function bandsDescription(bands: ReadonlyArray<Band>): string {
  const has = (p: number) => bands.length > 0 && bands.every((b) => probIndex(b, p) >= 0);
  const spans = ([
    [0.25, 0.75],
    [0.05, 0.95],
  ] as const)
    .filter(([lo, hi]) => has(lo) && has(hi))
    .map(([lo, hi]) => `${lo * 100}–${hi * 100}%`);
  const bandText = spans.length === 0 ? '' : `${spans.join(' and ')} band${spans.length > 1 ? 's' : ''}`;
  const what = has(0.5) ? (bandText ? `median${spans.length > 1 ? ',' : ' and'} ${bandText}` : 'median') : bandText || 'no median or band';
  return `${what} of ${runsOf(bands)}`;
}

/** Index of probability `p` in a band, or -1. */
function probIndex(band: Band, p: number): number {
  return band.probs.findIndex((q) => Math.abs(q - p) < 1e-9);
}

/**
 * The traces of some bands on one pair of axes: per band a 5–95 band, a 25–75
 * band and the median (whichever of those probabilities the band has), sharing a
 * legend group so one click hides a whole group. Every band is drawn before any
 * median, so each median stays visible over the other groups' bands; medians
 * differ in dash too, so two lying on one another (e.g. both at zero) both show.
 * Names are user text: escaped here.
 */
export function bandTraces(bands: ReadonlyArray<Band>, options: BandFigureOptions & { axis?: string; showlegend?: boolean } = {}): Trace[] {
  const names = userTexts('bandTraces', 'options.names', options.names) ?? groupLabels(bands).map(escapeHtml);
  const digits = options.digits ?? 3;
  const axes = options.axis !== undefined ? { xaxis: `x${options.axis}`, yaxis: `y${options.axis}` } : {};
  const fills: Trace[] = [];
  const medians: Trace[] = [];
  // Lighter fills when groups overlap, so a median shows through another group's bands.
  const opacities = bands.length > 1 ? [0.1, 0.2] : [0.15, 0.3];
  bands.forEach((band, g) => {
    const colour = options.colours?.[g] ?? DEFAULT_COLOURS[g % DEFAULT_COLOURS.length];
    const group = `band-${g}`;
    const ys = (p: number): Array<number | null> | null => {
      const k = probIndex(band, p);
      return k < 0 ? null : band.quantiles[k].map((v) => (v === null ? null : round(v, digits)));
    };
    for (const [lo, hi, opacity] of [
      [0.05, 0.95, opacities[0]],
      [0.25, 0.75, opacities[1]],
    ] as const) {
      const low = ys(lo);
      const high = ys(hi);
      if (!low || !high) continue;
      const label = `${names[g]}: ${lo * 100}–${hi * 100}%`;
      fills.push({ type: 'scatter', mode: 'lines', x: band.timesteps, y: low, line: { width: 0, color: colour }, showlegend: false, legendgroup: group, hoverinfo: 'skip', name: label, ...axes });
      fills.push({
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
      medians.push({
        type: 'scatter',
        mode: 'lines',
        name: `${names[g]} (median of ${runsText(band.runs)})`,
        x: band.timesteps,
        y: median,
        // The first group widest and solid, later ones narrower and dashed: coinciding medians all stay visible.
        line: { color: colour, width: Math.max(1.5, 3 - 0.5 * g), dash: DASHES[g % DASHES.length] },
        legendgroup: group,
        showlegend: options.showlegend ?? true,
        ...axes,
      });
    }
  });
  const traces = [...fills, ...medians];
  if (options.line !== undefined && bands.length > 0) {
    const [lo, hi] = extent(bands.flatMap((b) => b.timesteps));
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: String(options.line),
      x: [lo, hi],
      y: [options.line, options.line],
      line: { color: 'black', dash: 'dash', width: 1.5 },
      showlegend: false,
      hoverinfo: 'skip',
      ...axes,
    });
  }
  return traces;
}

/** Checks and escapes the options shared by the band figures. */
function bandOptions(where: string, options: BandFigureOptions, count: number): BandFigureOptions {
  const o = optionsOf(where, options, 'options', ['title', 'yTitle', 'names', 'colours', 'line', 'digits']);
  // Names are checked here and escaped where they are drawn (bandTraces).
  const names = o.names === undefined ? undefined : (userTexts(where, 'options.names', o.names) && o.names);
  if (names && names.length < count) throw new RangeError(`${where}: options.names has ${names.length} names for ${count} groups`);
  if (o.colours !== undefined && !(Array.isArray(o.colours) && o.colours.every((c) => typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c)))) {
    throw new TypeError(`${where}: options.colours must be an array of #rrggbb colours`);
  }
  const digits = o.digits ?? 3;
  if (!(Number.isInteger(digits) && digits >= 0 && digits <= 12)) throw new RangeError(`${where}: options.digits must be an integer in [0, 12], got ${String(o.digits)}`);
  return {
    ...o,
    title: userText(where, 'options.title', o.title),
    yTitle: userText(where, 'options.yTitle', o.yTitle),
    names,
    line: userNumber(where, 'options.line', o.line),
  };
}

/** Monte Carlo bands of one metric over time: median line, 25–75 and 5–95 percentile bands, one colour per group. */
export function bandsFigure(bands: Band | ReadonlyArray<Band>, options: BandFigureOptions = {}): Figure {
  const where = 'bandsFigure';
  const list = checkBands(where, Array.isArray(bands) ? bands : [bands]);
  const o = bandOptions(where, options, list.length);
  const metric = escapeHtml(String(list[0]?.metric ?? 'value'));
  return {
    data: bandTraces(list, o),
    layout: {
      title: title(o.title ?? metric, bandsDescription(list)),
      margin: { t: 100 },
      xaxis: { title: title('timestep') },
      yaxis: { title: title(o.yTitle ?? metric) },
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
  const where = 'panelsFigure';
  if (!Array.isArray(panels)) throw new TypeError(`${where}: panels must be an array of { bands, title?, yTitle?, line?, digits? }, got ${typeName(panels)}`);
  if (panels.length > 24) throw new RangeError(`${where}: ${panels.length} panels; at most 24`);
  const checked = panels.map((p, k) => {
    if (typeof p !== 'object' || p === null) throw new TypeError(`${where}: panels[${k}] must be an object { bands, … }, got ${typeName(p)}`);
    const bands = checkBands(where, (p as Panel).bands, `panels[${k}].bands`);
    return { ...bandOptions(where, { title: p.title, yTitle: p.yTitle, line: p.line, digits: p.digits }, 0), bands };
  });
  const count = Math.max(0, ...checked.map((p) => p.bands.length));
  const o = { ...optionsOf(where, options, 'options', ['title', 'columns', 'names', 'colours', 'height']), ...bandOptions(where, { title: options?.title, names: options?.names, colours: options?.colours }, count) };
  if (o.columns !== undefined && !(Number.isInteger(o.columns) && o.columns >= 1 && o.columns <= 12)) throw new RangeError(`${where}: options.columns must be an integer in [1, 12], got ${String(o.columns)}`);
  if (o.height !== undefined && !(typeof o.height === 'number' && o.height >= 100 && o.height <= 20000)) throw new RangeError(`${where}: options.height must be a number in [100, 20000], got ${String(o.height)}`);
  const columns = Math.max(1, Math.min(o.columns ?? 3, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const gap = 0.07;
  const width = (1 - gap * (columns - 1)) / columns;
  const vgap = 0.14;
  const height = (1 - vgap * (rows - 1)) / rows;
  const layout: Record<string, unknown> = {
    title: title(o.title ?? '', bandsDescription(checked.flatMap((p) => p.bands))),
    legend: { orientation: 'h', x: 0, y: -0.1 - 0.12 / rows, yanchor: 'top' },
    height: o.height ?? 380 * rows + 100,
    margin: { b: 90, t: 110 },
    hovermode: 'x',
  };
  const annotations: Record<string, unknown>[] = [];
  const data: Trace[] = [];
  checked.forEach((panel, k) => {
    const col = k % columns;
    const row = Math.floor(k / columns);
    const n = k === 0 ? '' : String(k + 1);
    const x0 = col * (width + gap);
    const y1 = 1 - row * (height + vgap);
    layout[`xaxis${n}`] = { domain: [x0, x0 + width], anchor: `y${n}`, title: title('timestep') };
    // The panel's heading names the metric; a y title only when asked for (it would crowd the panel to the left).
    layout[`yaxis${n}`] = { domain: [y1 - height, y1], anchor: `x${n}`, ...(panel.yTitle ? { title: title(panel.yTitle) } : {}) };
    const heading = panel.title ?? (panel.bands[0]?.metric !== undefined ? escapeHtml(String(panel.bands[0].metric)) : undefined);
    if (heading) {
      annotations.push({ text: `<b>${heading}</b>`, xref: 'paper', yref: 'paper', x: x0 + width / 2, y: y1, xanchor: 'center', yanchor: 'bottom', showarrow: false });
    }
    data.push(...bandTraces(panel.bands, { axis: n, showlegend: k === 0, names: o.names, colours: o.colours, line: panel.line, digits: panel.digits }));
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
  const where = 'abFigure';
  optionsOf(where, options, 'options', ['title', 'names', 'colours', 'panels', 'columns']);
  if (typeof bandsByMetric !== 'object' || bandsByMetric === null || Array.isArray(bandsByMetric)) {
    throw new TypeError(`${where}: bandsByMetric must be an object { metric: bands } (e.g. { funds: metricBands(ab, 'funds') }), got ${typeName(bandsByMetric)}`);
  }
  const o = optionsOf(where, options);
  if (o.panels !== undefined && !Array.isArray(o.panels)) throw new TypeError(`${where}: options.panels must be an array of { metric, title?, line?, digits? }, got ${typeName(o.panels)}`);
  const specs = o.panels ?? AB_PANELS.filter((p) => p.metric in bandsByMetric);
  const panels: Panel[] = specs.map((p) => {
    const bands = Object.prototype.hasOwnProperty.call(bandsByMetric, p.metric) ? bandsByMetric[p.metric] : undefined;
    if (!bands) throw new RangeError(`abFigure: no bands for the metric '${p.metric}'; have ${Object.keys(bandsByMetric).join(', ')}`);
    return { bands: checkBands(where, bands, `bandsByMetric.${p.metric}`), title: p.title ?? p.metric, line: p.line, digits: p.digits };
  });
  const first = panels[0]?.bands ?? [];
  // Raw here: panelsFigure escapes every name and title once.
  const names = o.names ?? groupLabels(first);
  return panelsFigure(panels, { title: o.title ?? `A/B: ${names.join(' vs ')}`, names, colours: o.colours, columns: o.columns });
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
  const where = 'sweepFigure';
  if (!Array.isArray(summary)) throw new TypeError(`${where}: summary must be an array of rows from sweepSummary(experiment), got ${typeName(summary)}`);
  if (summary.length === 0) throw new RangeError('sweepFigure: the summary is empty');
  summary.forEach((r, k) => {
    if (typeof r !== 'object' || r === null || typeof r.values !== 'object' || typeof r.passed !== 'object' || typeof r.runs !== 'number') {
      throw new TypeError(`${where}: summary[${k}] must be a row of sweepSummary(experiment), got ${typeName(r)}`);
    }
  });
  const o = optionsOf(where, options, 'options', ['x', 'logX', 'error', 'title']);
  const known = Object.keys(summary[0].values);
  if (o.x !== undefined && (typeof o.x !== 'string' || !known.includes(o.x))) {
    throw new RangeError(`${where}: unknown swept parameter '${String(o.x)}'; known: ${known.length > 0 ? known.join(', ') : 'none (the experiment carried no parameter sets)'}`);
  }
  if (o.error !== undefined && !['sd', 'sem', 'iqr'].includes(o.error)) throw new RangeError(`${where}: options.error must be 'sd', 'sem' or 'iqr', got ${String(o.error)}`);
  const userTitle = userText(where, 'options.title', o.title);
  const key = o.x ?? known[0];
  const xs = summary.map((r, k) => (key !== undefined && typeof r.values[key] === 'number' ? (r.values[key] as number) : k));
  const positive = xs.every((v) => v > 0);
  const [xlo, xhi] = extent(xs);
  const logX = o.logX ?? (positive && xhi / xlo > 5);
  const error = o.error ?? 'sd';
  const passed = summary.map((r) => centreAndError(r.passed, error, 0));
  const first = summary.map((r) => centreAndError(r.firstPass, 'iqr'));
  const runs = summary.map((r) => r.runs);
  const T = extent(summary.map((r) => r.timestep))[1];
  const xTitle = escapeHtml(key ?? 'subset');
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
      hovertext: summary.map((r, k) => `${escapeHtml(String(r.label))}: ${runsText(runs[k])}`),
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
  const ticks = { tickvals: xs, ticktext: xs.map((v) => escapeHtml(String(v))), tickangle: xs.length > 4 ? -45 : 0 };
  const xaxis = (domain: [number, number], anchor: string) => ({ domain, anchor, type: logX ? 'log' : 'linear', title: title(xTitle), ...ticks });
  const heading = (text: string, x: number) => ({ text: `<b>${text}</b>`, xref: 'paper', yref: 'paper', x, y: 1, xanchor: 'center', yanchor: 'bottom', showarrow: false });
  return {
    data,
    layout: {
      title: title(userTitle ?? `Sweep of ${xTitle}: when proposals start to pass`, `${runsOf(summary.map((r) => ({ runs: r.runs }) as Band))} per value; ${errorLabel}`),
      xaxis: xaxis([0, 0.28], 'y'),
      yaxis: { domain: [0, 1], anchor: 'x', title: title('proposals passed'), rangemode: 'tozero' },
      xaxis2: xaxis([0.36, 0.64], 'y2'),
      yaxis2: { domain: [0, 1], anchor: 'x2', title: title('share of runs'), range: [0, 1.05] },
      xaxis3: xaxis([0.72, 1], 'y3'),
      yaxis3: { domain: [0, 1], anchor: 'x3', title: title('timestep'), range: [0, T] },
      annotations: [heading('proposals passed', 0.14), heading('runs with a pass', 0.5), heading('first pass', 0.86)],
      legend: { orientation: 'h', x: 0, y: -0.3, yanchor: 'top' },
      height: 460,
      margin: { b: 110, t: 100 },
    },
  };
}
