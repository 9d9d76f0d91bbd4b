/**
 * Figures over time: status counts and funds (MODEL_SPEC §9, figures 5-6) and
 * the quantile plot (figure 9). Rows of several runs are summarised openly (the
 * subtitle says how, and of how many runs), and rows of several parameter sets
 * (simulations or subsets) are never blended: each gets its own lines.
 */
import { escapeHtml } from '../analysis/escape';
import { lastSubstep } from '../analysis/dataframes';
import { meanOverTime, PERCENTILES, quantilesOverTime, type QuantileSeries } from '../analysis/quantiles';
import type { RecordMeta } from '../engine/types';
import { DEFAULT_PARAMS } from '../models/v1/params';
import {
  DASHES,
  DEFAULT_COLOURS,
  FIGURE_STATUS_ORDER,
  optionsOf,
  round,
  rowsOf,
  runsText,
  STATUS_COLOURS,
  title,
  typeName,
  userText,
  userTexts,
  type Figure,
  type Trace,
} from './common';

/** Rows over time: rdf rows, df rows (reduced to the rdf here), tidy rows or the CLI's table rows. */
export type TimeRows = ReadonlyArray<{ timestep: number }>;

/** The rdf of rows that carry substeps (df rows); rows without substeps (rdf-like already) as they are. */
function rdfOf(rows: TimeRows): TimeRows {
  const withSubsteps = rows.length > 0 && rows.every((r) => typeof (r as Partial<RecordMeta>).substep === 'number');
  return withSubsteps ? lastSubstep(rows as ReadonlyArray<RecordMeta>) : rows;
}

/** The rows of one parameter set (one simulation and subset), its label and its number of runs. */
interface RowGroup<R> {
  simulation: number | null;
  subset: number | null;
  label: string;
  runs: number;
  rows: R[];
}

/**
 * Rows split by (simulation, subset), in ascending order, each labelled by the
 * parameters that differ between groups when the rows carry them (the CLI's
 * swept columns: "rho = 0.002"), else by "simulation s, subset k". Rows without
 * those columns are one group.
 */
function groupRows<R extends { timestep: number }>(rows: ReadonlyArray<R>): Array<RowGroup<R>> {
  const num = (r: R, k: string): number | null => {
    const v = (r as Record<string, unknown>)[k];
    return typeof v === 'number' ? v : null;
  };
  const groups = new Map<string, { simulation: number | null; subset: number | null; rows: R[]; perStep: Map<number, number>; runs: Set<number> }>();
  for (const r of rows) {
    const sim = num(r, 'simulation');
    const sub = num(r, 'subset');
    const key = `${sim}/${sub}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { simulation: sim, subset: sub, rows: [], perStep: new Map(), runs: new Set() }));
    g.rows.push(r);
    g.perStep.set(r.timestep, (g.perStep.get(r.timestep) ?? 0) + 1);
    const run = num(r, 'run');
    if (run !== null) g.runs.add(run);
  }
  const list = [...groups.values()].sort((a, b) => (a.simulation ?? 0) - (b.simulation ?? 0) || (a.subset ?? 0) - (b.subset ?? 0));
  const paramKeys = Object.keys(DEFAULT_PARAMS).filter((k) => {
    const values = list.map((g) => (g.rows[0] as Record<string, unknown>)[k]);
    return values[0] !== undefined && values.some((v) => v !== values[0]);
  });
  const sims = new Set(list.map((g) => g.simulation));
  return list.map((g) => {
    const first = g.rows[0] as Record<string, unknown>;
    const label =
      paramKeys.length > 0
        ? paramKeys.map((k) => `${k} = ${String(first[k])}`).join(', ')
        : sims.size > 1
          ? `simulation ${g.simulation}, subset ${g.subset}`
          : `subset ${g.subset}`;
    // Runs: their ids, or without ids the most rows at one timestep (a run has one rdf row per timestep).
    let runs = g.runs.size;
    if (runs === 0) for (const n of g.perStep.values()) runs = Math.max(runs, n);
    return { simulation: g.simulation, subset: g.subset, label: escapeHtml(label), runs, rows: g.rows };
  });
}

/** "40 runs" or "10–40 runs" over the groups. */
function runsRange(groups: ReadonlyArray<{ runs: number }>): string {
  const runs = groups.map((g) => g.runs);
  const lo = Math.min(...runs);
  const hi = Math.max(...runs);
  return lo === hi ? runsText(lo) : `${lo}–${hi} runs`;
}

/** The column names of rows (the first 1000 rows looked at), for error messages. */
function knownColumns(rows: ReadonlyArray<object>, keep: (v: unknown) => boolean = () => true): string[] {
  const names = new Set<string>();
  for (const r of rows.slice(0, 1000)) for (const [k, v] of Object.entries(r)) if (keep(v)) names.add(k);
  return [...names];
}

/** Throws `where: unknown column …; known columns: …` unless some row has `column`. */
function checkColumn(where: string, rows: ReadonlyArray<object>, column: string, hint: string, keep?: (v: unknown) => boolean): void {
  if (rows.length === 0 || rows.some((r) => column in r)) return;
  throw new RangeError(`${where}: unknown column '${column}'; the rows have ${knownColumns(rows, keep).join(', ')}${hint}`);
}

/** Options of the status figures. */
export interface StatusFigureOptions {
  /** Stacked areas instead of the reference's lines. */
  stacked?: boolean;
  title?: string;
  /** One name per parameter set when the rows hold several (default: from the swept columns, else simulation and subset). */
  names?: ReadonlyArray<string>;
}

/** Line style of each status: distinct dashes, and the lower a line is drawn the wider, so lines lying on one another (all at zero) all stay visible. */
const STATUS_LINES: Readonly<Record<string, { dash: string; width: number }>> = {
  candidate: { dash: 'solid', width: 2 },
  active: { dash: 'solid', width: 6 },
  completed: { dash: 'dash', width: 4.5 },
  killed: { dash: 'dot', width: 3.5 },
  failed: { dash: 'dashdot', width: 2 },
};

/** One trace per status (and per parameter set) of `${status}${suffix}` over time, in the reference legend order and the status colours. */
function statusFigure(where: string, rows: TimeRows, suffix: '_count' | '_funds', digits: number, figTitle: string, yTitle: string, options: StatusFigureOptions): Figure {
  const o = optionsOf(where, options, 'options', ['stacked', 'title', 'names']);
  const text = userText(where, 'options.title', o.title);
  const names = userTexts(where, 'options.names', o.names);
  const rdf = rdfOf(rowsOf(where, rows));
  for (const status of FIGURE_STATUS_ORDER) checkColumn(where, rdf, `${status}${suffix}`, ' (pass rdf rows: lastSubstep(toRows(records)))');
  const groups = groupRows(rdf);
  if (names && names.length !== groups.length) throw new RangeError(`${where}: options.names has ${names.length} names for ${groups.length} parameter sets`);
  const several = groups.length > 1;
  const data: Trace[] = [];
  groups.forEach((g, k) => {
    const label = names?.[k] ?? g.label;
    for (const status of FIGURE_STATUS_ORDER) {
      const column = `${status}${suffix}`;
      // Several runs of one parameter set: their mean at each timestep (one run: the column itself).
      const { timesteps, values } = meanOverTime(g.rows, column);
      const style = STATUS_LINES[status];
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: several ? `${column}, ${label}` : column,
        x: timesteps,
        y: values.map((v) => (v === null ? null : round(v, digits))),
        line: o.stacked
          ? { color: STATUS_COLOURS[status], width: 1 }
          : { color: STATUS_COLOURS[status], width: several ? 2 : style.width, dash: several ? DASHES[k % DASHES.length] : style.dash },
        ...(several ? { legendgroup: `set-${k}`, legendgrouptitle: { text: label } } : {}),
        ...(o.stacked ? { stackgroup: several ? `status-${k}` : 'status' } : {}),
      });
    }
  });
  const subtitle = several
    ? `${groups.length} parameter sets, one line style each; mean of ${runsRange(groups)} each at every timestep`
    : groups.length === 1 && groups[0].runs > 1
      ? `mean of ${runsText(groups[0].runs)} at every timestep`
      : undefined;
  return {
    data,
    layout: {
      title: title(text ?? figTitle, subtitle),
      xaxis: { title: title('timestep') },
      yaxis: { title: title(yTitle) },
      legend: several ? { orientation: 'v' } : { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.2, yanchor: 'top' },
      ...(subtitle ? { margin: { t: 100 } } : {}),
    },
  };
}

/**
 * Figure 5: number of proposals in each status over time (rdf rows; df rows are
 * reduced to the rdf). Several runs of one parameter set: their mean, said in the
 * subtitle; several parameter sets: one line style each, never averaged together.
 */
export function statusCounts<R extends { timestep: number }>(rows: ReadonlyArray<R>, options: StatusFigureOptions = {}): Figure {
  return statusFigure('statusCounts', rows, '_count', 2, 'Proposal Status', 'count of proposals', options);
}

/** Figure 6: funds requested by the proposals in each status over time (runs and parameter sets as `statusCounts`). */
export function statusFunds<R extends { timestep: number }>(rows: ReadonlyArray<R>, options: StatusFigureOptions = {}): Figure {
  return statusFigure('statusFunds', rows, '_funds', 2, 'Proposal Status weighted by funds requested', 'Funds worth of proposals', options);
}

/** Options of the quantile plots. */
export interface QuantilePlotOptions {
  /** Probabilities (default 0, 0.25, 0.5, 0.75, 1; at most 21); ignored when quantiles are given. */
  probs?: ReadonlyArray<number>;
  /** A dashed horizontal reference line at this value (null: none). */
  line?: number | null;
  title?: string;
  /** One name per parameter set when the rows hold several. */
  names?: ReadonlyArray<string>;
}

/** The keys of `QuantilePlotOptions`. */
const QUANTILE_OPTIONS = ['probs', 'line', 'title', 'names'];

/** "25<sup>th</sup> Percentile" for 0.25, as the reference legend. */
export function percentileLabel(p: number): string {
  return `${+(100 * p).toFixed(1)}<sup>th</sup> Percentile`;
}

/** Checks a QuantileSeries-like input. */
function isQuantileSeries(input: unknown): input is QuantileSeries {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'series' in input;
}

/**
 * Quantiles of `column` over time (rdf, df or tidy rows, or precomputed
 * quantiles): one line per percentile. Rows of several runs are pooled per
 * timestep (the subtitle says so); several parameter sets get a line style each.
 * An unknown column is an error listing the rows' columns.
 */
export function quantilePlot<R extends { timestep: number }>(input: ReadonlyArray<R> | QuantileSeries, column: string, options: QuantilePlotOptions = {}): Figure {
  return quantileFigure('quantilePlot', input, column, optionsOf('quantilePlot', options, 'options', QUANTILE_OPTIONS));
}

/** `quantilePlot`, its errors prefixed with the public function called (`where`). */
function quantileFigure<R extends { timestep: number }>(where: string, input: ReadonlyArray<R> | QuantileSeries, column: string, o: QuantilePlotOptions): Figure {
  if (typeof column !== 'string') throw new TypeError(`${where}: column must be a string, got ${typeName(column)}`);
  const text = userText(where, 'options.title', o.title);
  const names = userTexts(where, 'options.names', o.names);
  if (o.line !== undefined && o.line !== null && !(typeof o.line === 'number' && Number.isFinite(o.line))) {
    throw new TypeError(`${where}: options.line must be a finite number or null, got ${typeName(o.line)}`);
  }
  if (o.probs !== undefined && !(Array.isArray(o.probs) && o.probs.length >= 1 && o.probs.length <= 21 && o.probs.every((p) => typeof p === 'number'))) {
    throw new RangeError(`${where}: options.probs must be 1 to 21 probabilities in [0, 1]`);
  }
  let sets: Array<{ label: string; runs: number; q: QuantileSeries }>;
  if (isQuantileSeries(input)) {
    if (!Array.isArray(input.probs) || !Array.isArray(input.series) || !Array.isArray(input.timesteps)) {
      throw new TypeError(`${where}: input must be rows or quantiles { column, probs, timesteps, series } (quantilesOverTime)`);
    }
    if (input.column !== column) throw new RangeError(`${where}: the quantiles are of '${input.column}', not '${column}'`);
    sets = [{ label: '', runs: 1, q: input }];
  } else {
    const rows = rdfOf(rowsOf<R>(where, input, 'input'));
    const numeric = (v: unknown) => typeof v === 'number' || Array.isArray(v) || v === null;
    checkColumn(where, rows, column, '', numeric);
    sets = groupRows(rows).map((g) => ({ label: g.label, runs: g.runs, q: quantilesOverTime(g.rows, column, o.probs ?? PERCENTILES) }));
    if (sets.length === 0) sets = [{ label: '', runs: 0, q: quantilesOverTime([], column, o.probs ?? PERCENTILES) }];
  }
  if (names && names.length !== sets.length) throw new RangeError(`${where}: options.names has ${names.length} names for ${sets.length} parameter sets`);
  const several = sets.length > 1;
  const data: Trace[] = [];
  sets.forEach(({ label, q }, g) => {
    const set = names?.[g] ?? label;
    q.probs.forEach((p, k) =>
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: several ? `${percentileLabel(p)}, ${set}` : percentileLabel(p),
        x: q.timesteps,
        // Null where no value exists (e.g. no candidate): a gap, not a made-up zero.
        y: q.series[k].map((v) => (v === null ? null : round(v, 4))),
        connectgaps: false,
        // Lower percentiles drawn wider beneath the higher ones: lines that coincide (several at zero) all stay visible.
        line: { color: DEFAULT_COLOURS[k % DEFAULT_COLOURS.length], width: Math.max(2, 7 - 2.5 * k), ...(several ? { dash: DASHES[g % DASHES.length] } : {}) },
        ...(several ? { legendgroup: `set-${g}`, legendgrouptitle: { text: set } } : {}),
      }),
    );
  });
  const line = o.line === undefined ? null : o.line;
  const ts = sets.flatMap((s) => s.q.timesteps);
  if (line !== null && ts.length > 0) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of ts) {
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: String(line),
      x: [lo, hi],
      y: [line, line],
      line: { color: 'black', dash: 'dash', width: 2 },
      showlegend: false,
      hoverinfo: 'skip',
    });
  }
  const runs = sets.map((s) => s.runs);
  const pooled = runs.some((n) => n > 1);
  const subtitle = several
    ? `${sets.length} parameter sets, one line style each; values of ${runsRange(sets)} each pooled at every timestep`
    : pooled
      ? `values of ${runsText(runs[0])} pooled at every timestep`
      : undefined;
  const col = escapeHtml(column);
  // A margin around the values, so the wide lines of a percentile at the lowest value are not cut in half by the frame.
  let ylo = line ?? Infinity;
  let yhi = line ?? -Infinity;
  for (const { q } of sets) {
    for (const series of q.series) {
      for (const v of series) {
        if (v === null || !Number.isFinite(v)) continue;
        ylo = Math.min(ylo, v);
        yhi = Math.max(yhi, v);
      }
    }
  }
  const pad = ylo <= yhi ? Math.max(yhi - ylo, Math.abs(yhi), 1e-9) * 0.04 : 0;
  const yrange = ylo <= yhi ? { range: [round(ylo - pad, 6), round(yhi + pad, 6)] } : {};
  return {
    data,
    layout: {
      title: title(text ?? `${col} Quantile Plot`, subtitle),
      xaxis: { title: title('timestep') },
      yaxis: { title: title(col), ...yrange },
      ...(subtitle ? { margin: { t: 100 } } : {}),
    },
  };
}

/** Figure 9: 0/25/50/75/100th percentiles of the candidates' conviction share of trigger over time, dashed line at 1. */
export function convictionShareQuantiles<R extends { timestep: number }>(input: ReadonlyArray<R> | QuantileSeries, options: QuantilePlotOptions = {}): Figure {
  const o = optionsOf('convictionShareQuantiles', options, 'options', QUANTILE_OPTIONS);
  return quantileFigure('convictionShareQuantiles', input, 'conviction_share_of_trigger', { ...o, line: o.line === undefined ? 1 : o.line });
}
