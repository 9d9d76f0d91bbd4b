/** Figures of one network: holdings histogram, funds requested bars, affinity heatmap (MODEL_SPEC §9, figures 1-4). */
import { affinityMatrix, fundsRequested, holdingsOf, participantIds, proposalIds, proposalStatuses } from '../analysis/metrics';
import { checkCount, histogram, MAX_BINS } from '../analysis/series';
import type { ConvictionGraph, Network } from '../models/shared/network';
import { asNetwork, compact, optionsOf, round, roundAll, STATUS_COLOURS, title, userText, type Figure } from './common';

/** Options shared by the single-network figures. */
export interface NetworkFigureOptions {
  /** Replaces the reference title (shown as typed: it is escaped). */
  title?: string;
}

/** Figure 1: histogram of the participants' token holdings (10 equal bins, as matplotlib's default; at most `MAX_BINS`). */
export function holdingsHistogram(net: Network | ConvictionGraph, options: NetworkFigureOptions & { bins?: number } = {}): Figure {
  const where = 'holdingsHistogram';
  const o = optionsOf(where, options, 'options', ['title', 'bins']);
  const text = userText(where, 'options.title', o.title);
  const bins = o.bins ?? 10;
  checkCount(where, 'options.bins', bins, 1, MAX_BINS);
  const { edges, counts } = histogram(holdingsOf(asNetwork(net, where)), bins);
  // Pre-binned bars rather than a plotly histogram trace: plotly's bin edges
  // would not match matplotlib's closed last bin, and 10 counts weigh less than every holding.
  const centers = counts.map((_, k) => round((edges[k] + edges[k + 1]) / 2, 2));
  return {
    data: [
      {
        type: 'bar',
        name: 'participants',
        x: centers,
        y: counts,
        width: counts.map((_, k) => round(edges[k + 1] - edges[k], 2)),
        marker: { color: STATUS_COLOURS.candidate },
        hovertext: counts.map((c, k) => `${compact(edges[k])}–${compact(edges[k + 1])}: ${c}`),
        hoverinfo: 'text',
      },
    ],
    layout: {
      title: title(text ?? 'Histogram of Participants Token Holdings'),
      xaxis: { title: title('holdings (tokens)') },
      yaxis: { title: title('participants') },
      bargap: 0,
    },
  };
}

/** Figure 2: bars of each proposal's funds requested, by node id, coloured by status (`STATUS_COLOURS`). */
export function fundsRequestedBar(net: Network | ConvictionGraph, options: NetworkFigureOptions = {}): Figure {
  const where = 'fundsRequestedBar';
  const text = userText(where, 'options.title', optionsOf(where, options, 'options', ['title']).title);
  const n = asNetwork(net, where);
  const statuses = proposalStatuses(n, true);
  return {
    data: [
      {
        type: 'bar',
        name: 'funds requested',
        x: proposalIds(n, true).map(String),
        y: roundAll(fundsRequested(n, true), 2),
        marker: { color: statuses.map((s) => STATUS_COLOURS[s]) },
        hovertext: statuses,
      },
    ],
    layout: {
      title: title(text ?? 'Histogram of Proposals Funds Requested'),
      // Category axis: ids are labels, not quantities.
      xaxis: { title: title('Proposals'), type: 'category' },
      yaxis: { title: title('funds requested') },
    },
  };
}

/** seaborn's "rocket" colour map (the reference heatmaps' default), sampled for plotly. */
export const ROCKET: ReadonlyArray<[number, string]> = [
  [0, '#03051a'],
  [0.2, '#4c1d4b'],
  [0.4, '#a11a5b'],
  [0.6, '#e83f3f'],
  [0.8, '#f69c73'],
  [1, '#faebdd'],
];

/** matplotlib's "RdYlGn" colour map (the v3 heatmaps'), sampled for plotly: red at −1, yellow at 0, green at 1. */
export const RED_YELLOW_GREEN: ReadonlyArray<[number, string]> = [
  [0, '#a50026'],
  [0.1, '#d73027'],
  [0.2, '#f46d43'],
  [0.3, '#fdae61'],
  [0.4, '#fee08b'],
  [0.5, '#ffffbf'],
  [0.6, '#d9ef8b'],
  [0.7, '#a6d96a'],
  [0.8, '#66bd63'],
  [0.9, '#1a9850'],
  [1, '#006837'],
];

/** Options of `affinityHeatmap`. */
export interface AffinityHeatmapOptions extends NetworkFigureOptions {
  /** 'rocket' on [0, 1] (v1, the default) or 'red-yellow-green' on [−1, 1] (v3, whose affinities are signed). */
  scale?: 'rocket' | 'red-yellow-green';
  /** A subtitle (escaped), e.g. the timestep. */
  subtitle?: string;
}

/** Figures 3 and 4 (v3: 6 and 9): heatmap of affinities, one row per proposal, one column per participant. */
export function affinityHeatmap(net: Network | ConvictionGraph, options: AffinityHeatmapOptions = {}): Figure {
  const where = 'affinityHeatmap';
  const o = optionsOf(where, options, 'options', ['title', 'scale', 'subtitle']);
  const text = userText(where, 'options.title', o.title);
  const sub = userText(where, 'options.subtitle', o.subtitle);
  if (o.scale !== undefined && o.scale !== 'rocket' && o.scale !== 'red-yellow-green') {
    throw new RangeError(`${where}: options.scale must be 'rocket' or 'red-yellow-green', got ${JSON.stringify(o.scale)}`);
  }
  const signed = o.scale === 'red-yellow-green';
  const n = asNetwork(net, where);
  const rows = proposalIds(n, true).length;
  return {
    data: [
      {
        type: 'heatmap',
        x: participantIds(n).map(String),
        y: proposalIds(n, true).map(String),
        z: affinityMatrix(n).map((row) => roundAll(row, 3)),
        zmin: signed ? -1 : 0,
        zmax: 1,
        colorscale: signed ? RED_YELLOW_GREEN : ROCKET,
        xgap: 1,
        ygap: 1,
        hovertemplate: 'participant %{x}<br>proposal %{y}<br>affinity %{z}<extra></extra>',
      },
    ],
    layout: {
      title: title(text ?? 'affinities between participants and proposals', sub),
      xaxis: { title: title('participant_id'), type: 'category' },
      // Reversed so the first proposal is the top row, as in the reference.
      yaxis: { title: title('proposal_id'), type: 'category', autorange: 'reversed' },
      // A strip as in the reference: rows stay about as tall as columns are wide.
      height: Math.max(260, 160 + 24 * rows),
    },
  };
}
