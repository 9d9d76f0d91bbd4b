/**
 * The v3 notebook's twenty figures (MODEL_SPEC_V3 §9): genesis figures from
 * the genesis network, the rest from the v3 rdf rows (`toRows(records)` of v3
 * records, reduced to the last substep). `v3DocumentedFigures` gives them all,
 * named as the reference images are.
 */
import { lastSubstep, toRows, isV3State, type RowV3 } from '../analysis/dataframes';
import { fundsRequested, proposalIds } from '../analysis/metrics';
import { meanOverTime } from '../analysis/quantiles';
import type { StateRecord } from '../engine/types';
import { triggerThresholdV3 } from '../models/v3/maths';
import { DEFAULT_PARAMS, validateParams, type Params } from '../models/v3/params';
import type { State as V3State } from '../models/v3/state';
import { asNetwork, DEFAULT_COLOURS, optionsOf, round, roundAll, rowsOf, runsText, STATUS_COLOURS, title, typeName, userText, type Figure, type Trace } from './common';
import type { NamedFigure } from './documented';
import { affinityHeatmap, holdingsHistogram } from './distributions';
import { influenceNetwork } from './influence';
import { networkSnapshotAt } from './snapshot';
import { statusCounts, statusFunds } from './timeseries';

/** Options of the v3 single-figure builders. */
export interface V3FigureOptions {
  /** Replaces the reference title (escaped). */
  title?: string;
}

/** The genesis state's network and the genesis amounts the bars need, checked. */
function genesisOf(where: string, genesis: unknown): V3State {
  if (typeof genesis !== 'object' || genesis === null || !isV3State(genesis)) {
    throw new TypeError(`${where}: genesis must be a v3 state (simulateV3().results[0].records[0]), got ${typeName(genesis)}`);
  }
  asNetwork((genesis as V3State).network, where, 'genesis.network');
  return genesis as V3State;
}

/** Bars over the proposals' node ids (category axis), one colour. */
function proposalBars(ids: number[], values: number[], digits: number, heading: string, subtitle: string | undefined, yTitle: string, name: string): Figure {
  return {
    data: [{ type: 'bar', name, x: ids.map(String), y: roundAll(values, digits), marker: { color: STATUS_COLOURS.candidate } }],
    layout: {
      title: title(heading, subtitle),
      xaxis: { title: title('Proposal identifier'), type: 'category' },
      yaxis: { title: title(yTitle) },
      ...(subtitle ? { margin: { t: 90 } } : {}),
    },
  };
}

/** Figure 3: each genesis proposal's request as a fraction of the genesis funds F0. */
export function requestShareBar(genesis: V3State, options: V3FigureOptions = {}): Figure {
  const where = 'requestShareBar';
  const text = userText(where, 'options.title', optionsOf(where, options, 'options', ['title']).title);
  const g = genesisOf(where, genesis);
  const shares = fundsRequested(g.network, true).map((r) => r / g.funds);
  return proposalBars(
    proposalIds(g.network, true),
    shares,
    5,
    text ?? 'Bar chart of Proposals Funds Requested',
    `genesis: ${shares.length} proposals, request / F0 (F0 = ${round(g.funds, 2)})`,
    'requested, as a fraction of the funds',
    'request / F0',
  );
}

/** The conviction each genesis proposal requires, with F0 and the total supply S0, as the original's figures 4-5 compute it. */
export function genesisConvictionRequired(genesis: V3State, params: Partial<Params> = {}): { ids: number[]; required: number[]; ceiling: number } {
  const where = 'genesisConvictionRequired';
  const g = genesisOf(where, genesis);
  if (typeof params !== 'object' || params === null) throw new TypeError(`${where}: params must be an object of v3 parameters`);
  const p = { ...DEFAULT_PARAMS, ...params };
  validateParams(p);
  const required = fundsRequested(g.network, true).map((r) => triggerThresholdV3(r, g.funds, g.total_supply, p.beta, p.rho, p.alpha));
  return { ids: proposalIds(g.network, true), required, ceiling: g.effective_supply / (1 - p.alpha) };
}

/**
 * Figure 4: the conviction each genesis proposal requires divided by
 * E0/(1 − alpha). As the original draws it (slip 12): the trigger uses the
 * total supply S0 and the ceiling the effective supply E0, and the "percentage"
 * is a fraction. The subtitle says both.
 */
export function convictionRequiredShareBar(genesis: V3State, params: Partial<Params> = {}, options: V3FigureOptions = {}): Figure {
  const where = 'convictionRequiredShareBar';
  const text = userText(where, 'options.title', optionsOf(where, options, 'options', ['title']).title);
  const { ids, required, ceiling } = genesisConvictionRequired(genesisOf(where, genesis), params);
  return proposalBars(
    ids,
    required.map((c) => c / ceiling),
    5,
    text ?? 'Bar chart of Proposals as Percentage of Max Conviction',
    `genesis: the trigger with F0 and the total supply S0, over E0/(1 − alpha) = ${round(ceiling, 0)}<br>with the effective supply E0 (the original's mix); a fraction, not a percentage`,
    'conviction required / (E0 / (1 − alpha))',
    'required / ceiling',
  );
}

/** Figure 5: the conviction each genesis proposal requires (trigger with F0 and the total supply S0). */
export function convictionRequiredBar(genesis: V3State, params: Partial<Params> = {}, options: V3FigureOptions = {}): Figure {
  const where = 'convictionRequiredBar';
  const text = userText(where, 'options.title', optionsOf(where, options, 'options', ['title']).title);
  const { ids, required } = genesisConvictionRequired(genesisOf(where, genesis), params);
  return proposalBars(ids, required, 1, text ?? 'Bar chart of Proposals Conviction Required', 'genesis: trigger with F0 and the total supply S0', 'Amount of Conviction', 'conviction required');
}

/** Options of `v3Lines`. */
export interface V3LinesOptions extends V3FigureOptions {
  /** The y axis title (escaped; default none). */
  yTitle?: string;
  /** The columns' legend names (escaped; default the column names). */
  names?: ReadonlyArray<string>;
}

/** The most columns `v3Lines` draws. */
const MAX_LINES = 12;

/**
 * Lines of some rdf columns over time (figures 7, 8 and 14-20), one per
 * column in matplotlib's colours. Rows of several runs: the mean of each
 * column at each timestep, and the subtitle says of how many runs.
 */
export function v3Lines(rows: ReadonlyArray<{ timestep: number }>, columns: ReadonlyArray<string>, options: V3LinesOptions = {}): Figure {
  const where = 'v3Lines';
  const o = optionsOf(where, options, 'options', ['title', 'yTitle', 'names']);
  const text = userText(where, 'options.title', o.title);
  const yTitle = userText(where, 'options.yTitle', o.yTitle);
  const all = rowsOf<Record<string, unknown> & { timestep: number }>(where, rows);
  if (!Array.isArray(columns) || columns.length === 0 || columns.length > MAX_LINES || !columns.every((c) => typeof c === 'string')) {
    throw new TypeError(`${where}: columns must be 1 to ${MAX_LINES} column names, got ${typeName(columns)}`);
  }
  if (o.names !== undefined && !(Array.isArray(o.names) && o.names.length === columns.length)) {
    throw new RangeError(`${where}: options.names must give one name per column (${columns.length})`);
  }
  const names = o.names?.map((n, k) => userText(where, `options.names[${k}]`, n) as string);
  for (const c of columns) {
    if (all.length > 0 && !all.some((r) => c in r)) {
      throw new RangeError(`${where}: unknown column '${userText(where, 'column', c)}'; the rows have ${Object.keys(all[0]).join(', ')} (v3 rdf rows: lastSubstep(toRows(records)))`);
    }
  }
  const rdf: typeof all = all.length > 0 && all.every((r) => typeof r.substep === 'number') ? (lastSubstep(all as unknown as ReadonlyArray<RowV3>) as unknown as typeof all) : all;
  const runs = new Set(rdf.map((r) => `${String(r.simulation)}/${String(r.subset)}/${String(r.run)}`)).size;
  const data: Trace[] = columns.map((c, k) => {
    const { timesteps, values } = meanOverTime(rdf, c);
    return {
      type: 'scatter',
      mode: 'lines',
      name: names?.[k] ?? userText(where, 'column', c),
      x: timesteps,
      y: values.map((v) => (v === null ? null : round(v, 4))),
      line: { color: DEFAULT_COLOURS[k % DEFAULT_COLOURS.length], width: 2 },
    };
  });
  const ts = rdf.map((r) => r.timestep);
  const span = ts.length > 0 ? `timesteps ${Math.min(...ts)}–${Math.max(...ts)}` : 'no timesteps';
  const subtitle = runs > 1 ? `mean of ${runsText(runs)} at every timestep, ${span}` : `one run, ${span}`;
  return {
    data,
    layout: {
      title: title(text ?? columns.map((c) => userText(where, 'column', c)).join(', '), subtitle),
      xaxis: { title: title('timestep') },
      yaxis: yTitle ? { title: title(yTitle) } : {},
      margin: { t: 90 },
    },
  };
}

/** The rdf snapshots of figures 12 and 13: rdf rows 0 and 50, i.e. timesteps 1 and 51. */
export const V3_SNAPSHOT_ROWS: readonly [number, number] = [0, 50];

/**
 * The twenty figures of the v3 notebook (MODEL_SPEC_V3 §9) from one v3 run's
 * records, named as the reference images (`01-genesis-holdings-histogram`, …).
 * `params` are the run's parameters (for the trigger of figures 4-5); the
 * influence network's layout is seeded (`layoutSeed`, default 0).
 */
export function v3DocumentedFigures(records: ReadonlyArray<StateRecord<V3State>>, params: Partial<Params> = {}, options: { layoutSeed?: number } = {}): NamedFigure[] {
  const where = 'v3DocumentedFigures';
  if (!Array.isArray(records)) throw new TypeError(`${where}: records must be an array of v3 records (simulateV3().results[0].records), got ${typeName(records)}`);
  if (records.length === 0) throw new RangeError(`${where}: the run has no records`);
  if (!isV3State(records[0])) throw new TypeError(`${where}: the records are not v3 records (no total_supply); for v1 use documentedFigures`);
  const runs = new Set(records.map((r) => `${r.simulation}/${r.subset}/${r.run}`));
  if (runs.size > 1) throw new RangeError(`${where}: the records hold ${runs.size} runs; pass one run's records (results[0].records)`);
  const o = optionsOf(where, options, 'options', ['layoutSeed']);
  const genesis: StateRecord<V3State> = records[0] as StateRecord<V3State>;
  if (genesis.timestep !== 0) throw new RangeError(`${where}: the first record must be the genesis record (timestep 0); keep every record (keep: 'all')`);
  const final = records[records.length - 1];
  const rdf = lastSubstep(toRows([...records], { model: 'v3' }));
  if (rdf.length === 0) throw new RangeError(`${where}: the run has no timestep after genesis`);
  const T = rdf[rdf.length - 1].timestep;
  const snapshot = (k: number) => {
    if (k >= rdf.length) throw new RangeError(`${where}: the reference snapshot of rdf row ${k} needs at least ${k + 1} timesteps; the run has ${rdf.length}`);
    const t = rdf[k].timestep;
    return networkSnapshotAt(records, t, { subtitle: `rdf row ${k} (the original's nets[${k}]): timestep ${t}` });
  };
  const lines = (columns: string[], text: string, yTitle?: string) => v3Lines(rdf, columns, { title: text, yTitle });
  return [
    { name: '01-genesis-holdings-histogram', figure: withSubtitle(holdingsHistogram(genesis.network), `genesis: ${genesis.network.participantCount} participants`, 'Amount of Honey') },
    {
      name: '02-influence-network',
      figure: withSubtitle(influenceNetwork(genesis.network, { seed: o.layoutSeed ?? 0 }), `genesis: ${genesis.network.participantCount} participants, spring layout (seed ${o.layoutSeed ?? 0})`),
    },
    { name: '03-genesis-request-share', figure: requestShareBar(genesis) },
    { name: '04-genesis-conviction-required-share', figure: convictionRequiredShareBar(genesis, params) },
    { name: '05-genesis-conviction-required', figure: convictionRequiredBar(genesis, params) },
    { name: '06-genesis-affinity-heatmap', figure: affinityHeatmap(genesis.network, { scale: 'red-yellow-green', subtitle: 'genesis, affinities in [−1, 1]' }) },
    { name: '07-sentiment', figure: lines(['sentiment'], 'Sentiment over time') },
    { name: '08-funds-and-candidate-funds', figure: lines(['funds', 'candidate_funds'], 'Funds and candidate funds', 'Honey') },
    {
      name: '09-final-affinity-heatmap',
      figure: affinityHeatmap(final.network, { scale: 'red-yellow-green', title: `affinities between participants and proposals, timestep ${final.timestep}` }),
    },
    { name: '10-proposal-status-counts', figure: withSubtitle(statusCounts(rdf, { stacked: true }), `one run, timesteps 1–${T}, stacked`) },
    { name: '11-proposal-status-funds', figure: withSubtitle(statusFunds(rdf, { stacked: true }), `one run, timesteps 1–${T}, stacked`) },
    { name: '12-network-snapshot-row0', figure: snapshot(V3_SNAPSHOT_ROWS[0]) },
    { name: '13-network-snapshot-row50', figure: snapshot(V3_SNAPSHOT_ROWS[1]) },
    { name: '14-total-supply-and-funds', figure: lines(['total_supply', 'funds'], 'Total Supply and Funds', 'Honey') },
    { name: '15-effective-supply', figure: lines(['effective_supply'], 'Effective supply over time', 'Honey') },
    { name: '16-participant-count', figure: lines(['participant_count'], 'Count of Participants') },
    { name: '17-supply-share-for-voting', figure: lines(['fraction_of_supply_for_voting'], 'Metric: Fraction of Supply For Voting', 'E / S') },
    { name: '18-supply-in-pool', figure: lines(['fraction_of_supply_in_pool'], 'Metric: Fraction of Supply in Pool', 'S / F (the inverse of its name)') },
    {
      name: '19-proposal-stage-percentages',
      figure: lines(['percentageOfActiveProposals', 'percentageOfCompletedProposals', 'percentageOfKilledProposals'], 'Metric: Percentage of Proposal in Stage', 'share of proposals'),
    },
    {
      name: '20-fund-stage-percentages',
      figure: lines(
        ['percentageOfActiveFundsRequested', 'percentageOfCompletedFundsRequested', 'percentageOfKilledFundsRequested'],
        'Metric: Percentage of Funds in Stage',
        'share of funds requested',
      ),
    },
  ];
}

/** A figure with a subtitle added (and optionally its x axis retitled), its title kept. */
function withSubtitle(fig: Figure, subtitle: string, xTitle?: string): Figure {
  const t = fig.layout.title as { text: string; subtitle?: { text: string } };
  const layout: Record<string, unknown> = { ...fig.layout, title: title(t.text, t.subtitle ? `${t.subtitle.text}; ${subtitle}` : subtitle), margin: { ...(fig.layout.margin as object), t: 100 } };
  if (xTitle) layout.xaxis = { ...(fig.layout.xaxis as object), title: title(xTitle) };
  return { ...fig, layout };
}
