/** Figures over time: status counts and funds (MODEL_SPEC §9, figures 5-6) and the quantile plot (figure 9). */
import { lastSubstep } from '../analysis/dataframes';
import { meanOverTime, PERCENTILES, quantilesOverTime, type QuantileSeries } from '../analysis/quantiles';
import type { RecordMeta } from '../engine/types';
import { DEFAULT_COLOURS, FIGURE_STATUS_ORDER, round, STATUS_COLOURS, title, type Figure, type Trace } from './common';

/** Rows over time: rdf rows, df rows (reduced to the rdf here), tidy rows or the CLI's table rows. */
export type TimeRows = ReadonlyArray<{ timestep: number }>;

/** The rdf of rows that carry substeps (df rows); rows without substeps (rdf-like already) as they are. */
function rdfOf(rows: TimeRows): TimeRows {
  const withSubsteps = rows.length > 0 && rows.every((r) => typeof (r as Partial<RecordMeta>).substep === 'number');
  return withSubsteps ? lastSubstep(rows as ReadonlyArray<RecordMeta>) : rows;
}

/** Options of the status figures. */
export interface StatusFigureOptions {
  /** Stacked areas instead of the reference's lines. */
  stacked?: boolean;
  title?: string;
}

/** One trace per status of `${status}${suffix}` over time, in the reference legend order and the status colours. */
function statusFigure(rows: TimeRows, suffix: '_count' | '_funds', digits: number, figTitle: string, yTitle: string, options: StatusFigureOptions): Figure {
  const rdf = rdfOf(rows);
  const data: Trace[] = FIGURE_STATUS_ORDER.map((status) => {
    const column = `${status}${suffix}`;
    // Several runs: their mean at each timestep (one run: the column itself).
    const { timesteps, values } = meanOverTime(rdf, column);
    return {
      type: 'scatter',
      mode: 'lines',
      name: column,
      x: timesteps,
      y: values.map((v) => (v === null ? null : round(v, digits))),
      line: { color: STATUS_COLOURS[status], width: 2 },
      ...(options.stacked ? { stackgroup: 'status' } : {}),
    };
  });
  return {
    data,
    layout: {
      title: title(options.title ?? figTitle),
      xaxis: { title: title('timestep') },
      yaxis: { title: title(yTitle) },
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.2, yanchor: 'top' },
    },
  };
}

/** Figure 5: number of proposals in each status over time (rdf rows; df rows are reduced to the rdf; several runs or subsets are averaged, so filter first to compare them). */
export function statusCounts<R extends { timestep: number }>(rows: ReadonlyArray<R>, options: StatusFigureOptions = {}): Figure {
  return statusFigure(rows, '_count', 2, 'Proposal Status', 'count of proposals', options);
}

/** Figure 6: funds requested by the proposals in each status over time. */
export function statusFunds<R extends { timestep: number }>(rows: ReadonlyArray<R>, options: StatusFigureOptions = {}): Figure {
  return statusFigure(rows, '_funds', 2, 'Proposal Status weighted by funds requested', 'Funds worth of proposals', options);
}

/** Options of the quantile plots. */
export interface QuantilePlotOptions {
  /** Probabilities (default 0, 0.25, 0.5, 0.75, 1); ignored when quantiles are given. */
  probs?: ReadonlyArray<number>;
  /** A dashed horizontal reference line at this value (null: none). */
  line?: number | null;
  title?: string;
}

/** "25<sup>th</sup> Percentile" for 0.25, as the reference legend. */
export function percentileLabel(p: number): string {
  return `${+(100 * p).toFixed(1)}<sup>th</sup> Percentile`;
}

/** Quantiles of `column` over time (rdf, df or tidy rows, or precomputed quantiles): one line per percentile. */
export function quantilePlot<R extends { timestep: number }>(input: ReadonlyArray<R> | QuantileSeries, column: string, options: QuantilePlotOptions = {}): Figure {
  const q: QuantileSeries =
    'series' in input ? input : quantilesOverTime(rdfOf(input), column, options.probs ?? PERCENTILES);
  const data: Trace[] = q.probs.map((p, k) => ({
    type: 'scatter',
    mode: 'lines',
    name: percentileLabel(p),
    x: q.timesteps,
    // Null where no value exists (e.g. no candidate): a gap, not a made-up zero.
    y: q.series[k].map((v) => (v === null ? null : round(v, 4))),
    connectgaps: false,
    line: { color: DEFAULT_COLOURS[k % DEFAULT_COLOURS.length], width: 2 },
  }));
  const line = options.line === undefined ? null : options.line;
  if (line !== null && q.timesteps.length > 0) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: String(line),
      x: [q.timesteps[0], q.timesteps[q.timesteps.length - 1]],
      y: [line, line],
      line: { color: 'black', dash: 'dash', width: 2 },
      showlegend: false,
      hoverinfo: 'skip',
    });
  }
  return {
    data,
    layout: {
      title: title(options.title ?? `${q.column} Quantile Plot`),
      xaxis: { title: title('timestep') },
      yaxis: { title: title(q.column) },
    },
  };
}

/** Figure 9: 0/25/50/75/100th percentiles of the candidates' conviction share of trigger over time, dashed line at 1. */
export function convictionShareQuantiles<R extends { timestep: number }>(input: ReadonlyArray<R> | QuantileSeries, options: QuantilePlotOptions = {}): Figure {
  return quantilePlot(input, 'conviction_share_of_trigger', { ...options, line: options.line === undefined ? 1 : options.line });
}
