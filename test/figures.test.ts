/**
 * Figure builders (MODEL_SPEC §9): trace types, data, titles, axis labels,
 * status colours, the dashed line at 1 and the slider's frames, on hand-built
 * networks whose values are worked out by hand below; then sizes on a real run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastSubstep, quantilesOverTime, toRows } from '../src/analysis';
import type { StateRecord } from '../src/engine/types';
import {
  affinityHeatmap,
  compact,
  convictionShareQuantiles,
  defaultSliderTimesteps,
  edgeBin,
  fundsRequestedBar,
  holdingsHistogram,
  networkSnapshot,
  networkSnapshotAt,
  networkSnapshotSlider,
  percentileLabel,
  quantilePlot,
  round,
  shareLabel,
  statusCounts,
  statusFunds,
  SNAPSHOT_STATUS_COLOURS,
  type Figure,
} from '../src/figures';
import { simulate } from '../src/models/v1';
import { Network, type ProposalStatus } from '../src/models/shared/network';
import type { State } from '../src/models/v1/state';

// ---- hand-built networks -----------------------------------------------------

type NodeSpec = { holdings: number } | { status: ProposalStatus; fr: number; conv: number; trig: number };

/** Affinity of participant `p` to proposal `q` (node ids): fixed, distinct values in [0, 1]. */
const aff = (p: number, q: number): number => ((p + 1) * 10 + q) / 100;

/** A network from nodes in id order and stakes `{"p-q": tokens}` keyed by node ids. */
function build(nodes: NodeSpec[], stakes: Record<string, number> = {}): Network {
  const net = new Network();
  nodes.forEach((n, id) => {
    if ('holdings' in n) net.addParticipant(n.holdings, (j) => ({ affinity: aff(id, net.proposalId(j)) }));
    else net.addProposal({ status: n.status, funds_requested: n.fr, conviction: n.conv, trigger: n.trig }, (i) => aff(net.participantId(i), id));
  });
  const pIds = Array.from({ length: net.participantCount }, (_, i) => net.participantId(i));
  const qIds = Array.from({ length: net.proposalCount }, (_, j) => net.proposalId(j));
  for (const [key, tokens] of Object.entries(stakes)) {
    const [p, q] = key.split('-').map(Number);
    net.setTokens(pIds.indexOf(p), qIds.indexOf(q), tokens);
  }
  return net;
}
const P = (holdings: number): NodeSpec => ({ holdings });
const Q = (status: ProposalStatus, fr: number, conv: number, trig: number): NodeSpec => ({ status, fr, conv, trig });

/** Participants 0 (100 tokens) and 1 (300); proposal 2 active, candidates 3 (200/800) and 4 (125/250). */
const net1 = build(
  [P(100), P(300), Q('active', 100, NaN, NaN), Q('candidate', 200, 200, 800), Q('candidate', 50, 125, 250)],
  { '0-3': 40, '1-3': 200, '1-4': 100, '0-2': 5 },
);
/** Participant 5 and candidate 6 arrived; 2 completed, 3 killed. */
const net2 = build(
  [P(100), P(300), Q('completed', 100, NaN, NaN), Q('killed', 200, 20, NaN), Q('candidate', 50, 200, 250), P(60), Q('candidate', 90, 0, 300)],
  { '1-4': 150, '5-4': 50 },
);

function rec(network: Network, funds: number, timestep: number, substep: number): StateRecord<State> {
  return { network, funds, simulation: 0, subset: 0, run: 1, timestep, substep };
}
const net0 = build([P(100), P(300), Q('candidate', 100, 0, 400), Q('candidate', 200, 0, 800), Q('candidate', 50, 0, 250)]);
const history = [rec(net0, 1000, 0, 0), rec(net0, 1000, 1, 1), rec(net1, 900, 1, 2), rec(net2, 900, 2, 1), rec(net2, 900, 2, 2)];

/** A trace of a figure as a loose record, for reading. */
type T = Record<string, any>;
const traces = (f: Figure): T[] => f.data as T[];
const layoutOf = (f: Figure): T => f.layout as T;
const titleOf = (f: Figure): string => layoutOf(f).title.text;
const axisTitles = (f: Figure): [string, string] => [layoutOf(f).xaxis.title.text, layoutOf(f).yaxis.title.text];
const byName = (f: Figure, name: string): T => {
  const t = traces(f).find((d) => d.name === name);
  assert.ok(t, `no trace named ${name}`);
  return t;
};

// ---- helpers -------------------------------------------------------------------

describe('figure helpers', () => {
  it('rounds, drops NaN and infinities to null, and formats short numbers', () => {
    assert.equal(round(1.23456, 2), 1.23);
    assert.equal(round(NaN, 2), null);
    assert.equal(round(Infinity, 2), null);
    assert.deepEqual([compact(48312), compact(9.66), compact(2_500_000), compact(0)], ['48.3k', '9.7', '2.5M', '0']);
  });

  it('bins edge tokens into 5 colour bins of (k/5, (k+1)/5] of the maximum', () => {
    assert.deepEqual([40, 41, 100, 199, 200].map((t) => edgeBin(t, 200)), [0, 1, 2, 4, 4]);
    assert.equal(edgeBin(3, 0), 0);
  });

  it('labels conviction as a whole percentage of the trigger', () => {
    assert.deepEqual([shareLabel(0.052), shareLabel(0.25), shareLabel(0), shareLabel(NaN)], ['5%', '25%', '0%', '']);
    // Truncated like the reference's int(100 * conviction / trigger): 99.6 % is not yet 100 %.
    assert.deepEqual([shareLabel(0.996), shareLabel(0.499)], ['99%', '49%']);
    assert.equal(percentileLabel(0.25), '25<sup>th</sup> Percentile');
  });
});

// ---- figures of one network ----------------------------------------------------

describe('holdingsHistogram (figure 1)', () => {
  const f = holdingsHistogram(build([P(0), P(10), P(10), P(20), P(100)]));

  it('draws 10 pre-binned bars with the reference title', () => {
    const [bar] = traces(f);
    assert.equal(traces(f).length, 1);
    assert.equal(bar.type, 'bar');
    assert.deepEqual(bar.x, [5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
    assert.deepEqual(bar.y, [1, 2, 1, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(bar.width, new Array(10).fill(10));
    assert.equal(titleOf(f), 'Histogram of Participants Token Holdings');
    assert.deepEqual(axisTitles(f), ['holdings (tokens)', 'participants']);
  });

  it('accepts a graphology graph and a title', () => {
    const g = holdingsHistogram(net1.toGraph(), { title: 'genesis' });
    assert.deepEqual(traces(g)[0].y, [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(titleOf(g), 'genesis');
  });

  it('takes a bin count within [1, 10000] and refuses others before any work (1e9 bins used to abort the process)', () => {
    // holdings 100 and 300 in 4 bins of 50: one in the first, one in the last (closed) bin.
    assert.deepEqual(traces(holdingsHistogram(net1, { bins: 4 }))[0].y, [1, 0, 0, 1]);
    // A typo is an error listing the options, not an option silently ignored.
    assert.throws(() => holdingsHistogram(net1, { bin: 4 } as never), /^RangeError: holdingsHistogram: unknown options key 'bin'; known: title, bins$/);
    assert.throws(() => networkSnapshot(net1, { titel: 'x' } as never), /^RangeError: networkSnapshot: unknown options key 'titel'; known: title, subtitle, timestep, scale$/);
    assert.throws(() => quantilePlot([], 'age', { prob: [0.5] } as never), /^RangeError: quantilePlot: unknown options key 'prob'; known: probs, line, title, names$/);
    for (const bins of [1e9, 0, -3, 2.5, NaN, '10']) {
      assert.throws(
        () => holdingsHistogram(net1, { bins } as never),
        (e: Error) => e instanceof RangeError && e.message === `holdingsHistogram: options.bins must be an integer in [1, 10000], got ${bins}`,
      );
    }
  });
});

describe('fundsRequestedBar (figure 2)', () => {
  const f = fundsRequestedBar(net1);

  it('has one bar per proposal by node id, coloured by status', () => {
    const [bar] = traces(f);
    assert.equal(bar.type, 'bar');
    assert.deepEqual(bar.x, ['2', '3', '4']);
    assert.deepEqual(bar.y, [100, 200, 50]);
    assert.deepEqual(bar.marker.color, ['#ff7f0e', '#1f77b4', '#1f77b4']);
    assert.equal(titleOf(f), 'Histogram of Proposals Funds Requested');
    assert.equal(axisTitles(f)[0], 'Proposals');
    assert.equal(layoutOf(f).xaxis.type, 'category');
  });
});

describe('affinityHeatmap (figures 3 and 4)', () => {
  it('has proposals as rows and participants as columns', () => {
    const f = affinityHeatmap(net2);
    const [h] = traces(f);
    assert.equal(h.type, 'heatmap');
    assert.deepEqual(h.x, ['0', '1', '5']);
    assert.deepEqual(h.y, ['2', '3', '4', '6']);
    // aff(p, q) = ((p + 1) * 10 + q) / 100
    assert.deepEqual(h.z, [
      [0.12, 0.22, 0.62],
      [0.13, 0.23, 0.63],
      [0.14, 0.24, 0.64],
      [0.16, 0.26, 0.66],
    ]);
    assert.deepEqual([h.zmin, h.zmax], [0, 1]);
    assert.equal(titleOf(f), 'affinities between participants and proposals');
    assert.deepEqual(axisTitles(f), ['participant_id', 'proposal_id']);
    assert.equal(layoutOf(f).yaxis.autorange, 'reversed');
  });

  it('works on the genesis graph too', () => {
    const [h] = traces(affinityHeatmap(net0.toGraph()));
    assert.deepEqual(h.z.length, 3);
    assert.deepEqual(h.x, ['0', '1']);
  });
});

// ---- figures over time -----------------------------------------------------------

describe('statusCounts and statusFunds (figures 5 and 6)', () => {
  const rows = toRows(history);

  it('draws one line per status in the reference order and the status colours, from the rdf', () => {
    const f = statusCounts(rows);
    assert.deepEqual(traces(f).map((t) => t.name), ['candidate_count', 'active_count', 'completed_count', 'killed_count', 'failed_count']);
    // The reference figures 5 and 6 (pandas' cycle): killed red, failed purple.
    assert.deepEqual(traces(f).map((t) => t.line.color), ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd']);
    // Lines at zero stay distinguishable: no two statuses share a dash and a width.
    assert.equal(new Set(traces(f).map((t) => `${t.line.dash}/${t.line.width}`)).size, 5);
    assert.ok(traces(f).every((t) => t.type === 'scatter' && t.mode === 'lines'));
    // df rows reduced to the last substeps: timesteps 1 and 2 (genesis and substep 1 dropped)
    assert.deepEqual(byName(f, 'candidate_count').x, [1, 2]);
    assert.deepEqual(byName(f, 'candidate_count').y, [2, 2]);
    assert.deepEqual(byName(f, 'active_count').y, [1, 0]);
    assert.deepEqual(byName(f, 'killed_count').y, [0, 1]);
    assert.equal(titleOf(f), 'Proposal Status');
    // One run: nothing averaged, no subtitle.
    assert.equal(layoutOf(f).title.subtitle, undefined);
    assert.deepEqual(axisTitles(f), ['timestep', 'count of proposals']);
  });

  it('weights the statuses by funds requested', () => {
    const f = statusFunds(lastSubstep(rows));
    // t1: candidates 200 + 50, active 100; t2: candidates 50 + 90, completed 100, killed 200
    assert.deepEqual(byName(f, 'candidate_funds').y, [250, 140]);
    assert.deepEqual(byName(f, 'active_funds').y, [100, 0]);
    assert.deepEqual(byName(f, 'completed_funds').y, [0, 100]);
    assert.deepEqual(byName(f, 'killed_funds').y, [0, 200]);
    assert.equal(titleOf(f), 'Proposal Status weighted by funds requested');
    assert.deepEqual(axisTitles(f), ['timestep', 'Funds worth of proposals']);
  });

  const counts = (candidate: number, killed = 0) => ({ candidate_count: candidate, active_count: 0, completed_count: 0, killed_count: killed, failed_count: 0 });

  it('averages the runs of one parameter set, says so in the subtitle, and stacks on request', () => {
    const rows2 = [
      { simulation: 0, subset: 0, run: 1, timestep: 1, ...counts(2) },
      { simulation: 0, subset: 0, run: 2, timestep: 1, ...counts(5) },
      { simulation: 0, subset: 0, run: 1, timestep: 2, ...counts(4) },
    ];
    const f = statusCounts(rows2, { stacked: true });
    assert.deepEqual(byName(f, 'candidate_count').y, [3.5, 4]);
    assert.ok(traces(f).every((t) => t.stackgroup === 'status'));
    assert.equal(layoutOf(f).title.subtitle.text, 'mean of 2 runs at every timestep');
    // A null cell is no value: the mean of what is there (no value at all: a gap, not a zero).
    const withGap = statusCounts([{ run: 1, timestep: 1, ...counts(2), killed_count: null }] as never);
    assert.deepEqual(byName(withGap, 'killed_count').y, [null]);
  });

  it('never blends parameter sets: a sweep gets one line style per subset, labelled by its swept value', () => {
    // The CLI's rows: a two-value rho sweep, two runs of rho 0.02, one of rho 0.002.
    const sweep = [
      { simulation: 0, subset: 0, run: 1, timestep: 1, rho: 0.02, ...counts(3) },
      { simulation: 0, subset: 0, run: 2, timestep: 1, rho: 0.02, ...counts(5) },
      { simulation: 0, subset: 1, run: 1, timestep: 1, rho: 0.002, ...counts(1, 2) },
    ];
    const f = statusCounts(sweep);
    assert.equal(traces(f).length, 10);
    assert.deepEqual(byName(f, 'candidate_count, rho = 0.02').y, [4]);
    assert.deepEqual(byName(f, 'candidate_count, rho = 0.002').y, [1]);
    assert.deepEqual(byName(f, 'killed_count, rho = 0.002').y, [2]);
    assert.notEqual(byName(f, 'candidate_count, rho = 0.02').line.dash, byName(f, 'candidate_count, rho = 0.002').line.dash);
    assert.equal(layoutOf(f).title.subtitle.text, '2 parameter sets, one line style each; mean of 1–2 runs each at every timestep');
    // rdf rows carry no parameters: labelled by subset; names given replace the labels.
    const rdfLike = sweep.map(({ rho: _rho, ...r }) => r);
    assert.ok(traces(statusCounts(rdfLike)).some((t) => t.name === 'candidate_count, subset 1'));
    assert.ok(traces(statusCounts(rdfLike, { names: ['low', 'high'] })).some((t) => t.name === 'failed_count, high'));
    assert.throws(() => statusCounts(rdfLike, { names: ['one'] }), /^RangeError: statusCounts: options.names has 1 names for 2 parameter sets$/);
  });

  it('refuses rows without the status columns, listing the columns they have', () => {
    assert.throws(
      () => statusCounts([{ timestep: 1, candidate_count: 2 }]),
      (e: Error) => e instanceof RangeError && e.message === "statusCounts: unknown column 'active_count'; the rows have timestep, candidate_count (pass rdf rows: lastSubstep(toRows(records)))",
    );
    assert.throws(() => statusFunds(null as never), (e: Error) => e instanceof TypeError && /^statusFunds: rows must be an array of rows/.test(e.message));
    assert.throws(() => statusCounts([{ t: 1 }] as never), /^TypeError: statusCounts: rows\[0\] must be a row with a numeric timestep, got object$/);
    assert.throws(() => statusCounts(rows, 'title' as never), /^TypeError: statusCounts: options must be an object, got string$/);
    assert.throws(() => statusCounts(rows, { title: 42 } as never), /^TypeError: statusCounts: options.title must be a string, got number$/);
  });
});

describe('convictionShareQuantiles (figure 9)', () => {
  const f = convictionShareQuantiles(toRows(history));

  it('draws the 0/25/50/75/100th percentiles and a dashed line at 1', () => {
    const ts = traces(f);
    assert.equal(ts.length, 6);
    assert.deepEqual(ts.slice(0, 5).map((t) => t.name), [0, 25, 50, 75, 100].map((p) => `${p}<sup>th</sup> Percentile`));
    // t1 shares [0.25, 0.5]: median 0.375; t2 [0.8, 0]: median 0.4
    assert.deepEqual(ts[2].x, [1, 2]);
    assert.deepEqual(ts[2].y, [0.375, 0.4]);
    assert.deepEqual(ts[0].y, [0.25, 0]);
    assert.deepEqual(ts[4].y, [0.5, 0.8]);
    // The 0th and 25th percentiles coincide at t2 (both 0): the earlier is drawn wider, so both show.
    assert.deepEqual(ts.slice(0, 5).map((t) => t.line.width), [7, 4.5, 2, 2, 2]);
    // Values 0 to 1 (the line): 4 % of margin either side, so a line at 0 is not half cut by the frame.
    assert.deepEqual(layoutOf(f).yaxis.range, [-0.04, 1.04]);
    const line = ts[5];
    assert.deepEqual([line.x, line.y], [[1, 2], [1, 1]]);
    assert.equal(line.line.dash, 'dash');
    assert.equal(line.line.color, 'black');
    assert.equal(line.showlegend, false);
    assert.equal(titleOf(f), 'conviction_share_of_trigger Quantile Plot');
    assert.deepEqual(axisTitles(f), ['timestep', 'conviction_share_of_trigger']);
    assert.equal(layoutOf(f).title.subtitle, undefined);
  });

  it('says when it pools runs, and splits parameter sets by line style', () => {
    const rows = [
      { simulation: 0, subset: 0, run: 1, timestep: 1, conviction_share_of_trigger: [0.1, 0.3] },
      { simulation: 0, subset: 0, run: 2, timestep: 1, conviction_share_of_trigger: [0.5] },
    ];
    const pooled = convictionShareQuantiles(rows);
    // 0.1, 0.3, 0.5 pooled: median 0.3
    assert.deepEqual(traces(pooled)[2].y, [0.3]);
    assert.equal(layoutOf(pooled).title.subtitle.text, 'values of 2 runs pooled at every timestep');
    const split = convictionShareQuantiles([...rows, { simulation: 0, subset: 1, run: 1, timestep: 1, conviction_share_of_trigger: [2] }]);
    assert.equal(traces(split).length, 11);
    assert.deepEqual(traces(split)[2].y, [0.3]);
    assert.deepEqual(traces(split)[7].y, [2]);
    assert.equal(traces(split)[7].name, '50<sup>th</sup> Percentile, subset 1');
    assert.notEqual(traces(split)[2].line.dash, traces(split)[7].line.dash);
  });

  it('refuses an unknown column, listing the known ones, and quantiles of another column', () => {
    const rdf = lastSubstep(toRows(history));
    assert.throws(
      () => quantilePlot(rdf, 'nope'),
      (e: Error) => e instanceof RangeError && /^quantilePlot: unknown column 'nope'; the rows have simulation, subset, run, timestep, substep, funds, .*conviction_share_of_trigger/.test(e.message),
    );
    assert.throws(() => quantilePlot(rdf, 42 as never), /^TypeError: quantilePlot: column must be a string, got number$/);
    assert.throws(() => quantilePlot('rows' as never, 'age'), /^TypeError: quantilePlot: input must be an array of rows/);
    assert.throws(() => quantilePlot(rdf, 'age', { probs: new Array(1000).fill(0.5) }), /^RangeError: quantilePlot: options.probs must be 1 to 21 probabilities/);
    assert.throws(() => quantilePlot(rdf, 'age', { line: 'one' as never }), /^TypeError: quantilePlot: options.line must be a finite number or null/);
    assert.throws(() => convictionShareQuantiles(null as never), /^TypeError: convictionShareQuantiles: input must be an array of rows/);
    assert.throws(() => convictionShareQuantiles([{ timestep: 1, funds: 3 }]), /^RangeError: convictionShareQuantiles: unknown column 'conviction_share_of_trigger'; the rows have timestep, funds$/);
    assert.throws(() => quantilePlot(quantilesOverTime(rdf, 'age'), 'funds'), /^RangeError: quantilePlot: the quantiles are of 'age', not 'funds'$/);
  });

  it('leaves a gap where there is no candidate', () => {
    const rows = [
      { timestep: 1, conviction_share_of_trigger: [0.2] },
      { timestep: 2, conviction_share_of_trigger: [] },
      { timestep: 3, conviction_share_of_trigger: [0.4, 0.6] },
    ];
    const g = convictionShareQuantiles(rows);
    assert.deepEqual(traces(g)[2].y, [0.2, null, 0.5]);
    assert.equal(traces(g)[2].connectgaps, false);
  });

  it('plots any column without the line unless asked', () => {
    const g = quantilePlot(lastSubstep(toRows(history)), 'age', { probs: [0.5] });
    assert.equal(traces(g).length, 1);
    // candidate ages: t1 [0, 0] (net1 built with age 0), t2 [0, 0]
    assert.deepEqual(traces(g)[0].y, [0, 0]);
    assert.equal(axisTitles(g)[1], 'age');
  });
});

// ---- network snapshots --------------------------------------------------------------

describe('networkSnapshot (figures 7 and 8)', () => {
  const f = networkSnapshot(net1);
  const ts = traces(f);

  it('has 5 edge bins, the participants and one trace per status', () => {
    assert.equal(ts.length, 11);
    assert.deepEqual(ts.slice(5).map((t) => t.name), ['participants', 'candidate', 'active', 'completed', 'failed', 'killed']);
    assert.ok(ts.every((t) => t.type === 'scatter'));
    assert.equal(titleOf(f), 'Tokens Staked by Participants to Proposals');
    assert.equal(layoutOf(f).xaxis.visible, false);
  });

  it('puts participants in a column on the left and proposals on the right, coloured by status', () => {
    const p = byName(f, 'participants');
    assert.deepEqual([p.x, p.y], [[0, 0], [0, 1]]);
    // Sizes grow with sqrt(holdings / max): 3 + 12 * sqrt(100 / 300) = 9.93 -> 9.9, and 15.
    assert.deepEqual(p.marker.size, [9.9, 15]);
    const c = byName(f, 'candidate');
    const a = byName(f, 'active');
    // Proposals centred in 3 slots: 1/6, 1/2, 5/6.
    assert.deepEqual([c.x, c.y, a.x, a.y], [[1, 1], [0.5, 0.833], [1], [0.167]]);
    assert.equal(c.marker.color, SNAPSHOT_STATUS_COLOURS.candidate);
    assert.equal(a.marker.color, SNAPSHOT_STATUS_COLOURS.active);
    // Snapshots keep MODEL_SPEC §9's snapshot colours: killed black, failed grey.
    assert.equal(byName(f, 'killed').marker.color, '#000000');
    assert.equal(byName(f, 'failed').marker.color, '#7f7f7f');
    assert.equal(byName(f, 'completed').marker.color, '#2ca02c');
    // Requests 200 and 50 of at most 200: 6 + 16 * sqrt(1) = 22 and 6 + 16 * sqrt(0.25) = 14.
    assert.deepEqual(c.marker.size, [22, 14]);
  });

  it('labels each candidate with its conviction as a percentage of its trigger', () => {
    assert.deepEqual(byName(f, 'candidate').text, ['25%', '50%']);
    assert.equal(byName(f, 'candidate').mode, 'markers+text');
    assert.equal(byName(f, 'active').text, undefined);
  });

  it('draws only the stakes on candidates, binned by tokens (max 200: bins of 40), every bin in the legend', () => {
    // 0->3 (40 tokens) bin 0; 1->4 (100) bin 2; 1->3 (200) bin 4; 0->2 is on an active proposal: not drawn.
    // Empty bins hold one point off the axes (plotly drops a trace without points from the legend).
    assert.deepEqual(ts.slice(0, 5).map((t) => t.y), [[0, 0.5, null], [-1], [1, 0.833, null], [-1], [1, 0.5, null]]);
    assert.deepEqual(layoutOf(f).yaxis.range, [1.04, -0.04]);
    assert.deepEqual(ts[0].x, [0, 1, null]);
    assert.deepEqual(ts.slice(0, 5).map((t) => t.name), ['0–40 tokens', '40–80 tokens', '80–120 tokens', '120–160 tokens', '160–200 tokens']);
    const colours = ts.slice(0, 5).map((t) => t.line.color);
    assert.equal(new Set(colours).size, 5);
  });

  it('takes a title and a fixed scale', () => {
    const g = networkSnapshot(net1.toGraph(), { title: 'timestep 3', scale: { maxTokens: 400 } });
    assert.equal(titleOf(g), 'timestep 3');
    // Bins of 80 tokens now: 40 -> bin 0, 100 -> bin 1, 200 -> bin 2.
    assert.deepEqual(traces(g).slice(0, 5).map((t) => t.y), [[0, 0.5, null], [1, 0.833, null], [1, 0.5, null], [-1], [-1]]);
    assert.throws(() => networkSnapshot(net1, { scale: { maxTokens: -1 } }), /^RangeError: networkSnapshot: options.scale.maxTokens must be a finite number ≥ 0, got -1$/);
  });

  it('carries the timestep in its title: from a record, from the option, or beside a user title', () => {
    assert.equal(titleOf(networkSnapshot(history[2])), 'Tokens Staked by Participants to Proposals, timestep 1');
    assert.equal(titleOf(networkSnapshot(net1, { timestep: 4 })), 'Tokens Staked by Participants to Proposals, timestep 4');
    const g = networkSnapshot(history[4], { title: 'Stakes', subtitle: 'seed 1' });
    assert.deepEqual(layoutOf(g).title, { text: 'Stakes', subtitle: { text: 'timestep 2; seed 1' } });
    // networkSnapshotAt takes one run's records and a timestep, and refuses several runs.
    assert.equal(titleOf(networkSnapshotAt(history, 2)), 'Tokens Staked by Participants to Proposals, timestep 2');
    assert.deepEqual(byName(networkSnapshotAt(history, 2), 'candidate').text, ['80%', '0%']);
    assert.throws(() => networkSnapshotAt(history, 9), /^RangeError: networkSnapshotAt: no record at timestep 9; the records run from 0 to 2$/);
    assert.throws(() => networkSnapshotAt([...history, { ...history[1], run: 2 }], 1), /networkSnapshotAt: the records hold 2 runs/);
  });

  it('names itself and the argument when given something that is not a network', () => {
    for (const [name, build] of [
      ['networkSnapshot', (x: never) => networkSnapshot(x)],
      ['holdingsHistogram', (x: never) => holdingsHistogram(x)],
      ['fundsRequestedBar', (x: never) => fundsRequestedBar(x)],
      ['affinityHeatmap', (x: never) => affinityHeatmap(x)],
    ] as const) {
      for (const bad of [null, undefined, 42, {}, [1, 2]]) {
        assert.throws(() => build(bad as never), (e: Error) => e instanceof TypeError && e.message.startsWith(`${name}: net must be a Network or a graphology graph`), `${name}(${JSON.stringify(bad)})`);
      }
    }
    // A record instead of its network: the hint says which field to pass.
    assert.throws(() => holdingsHistogram(history[0] as never), /\(a record: pass record.network\)$/);
  });
});

describe('networkSnapshotSlider', () => {
  it('has one frame per timestep and a slider step per frame', () => {
    const f = networkSnapshotSlider(history, [1, 2]);
    assert.equal(f.frames?.length, 2);
    assert.deepEqual(f.frames?.map((fr) => fr.name), ['1', '2']);
    const slider = layoutOf(f).sliders[0];
    assert.deepEqual(slider.steps.map((s: T) => s.label), ['1', '2']);
    assert.deepEqual(slider.steps[1].args[0], ['2']);
    assert.equal(slider.steps[1].method, 'animate');
    // The figure's traces are the first frame's; each frame replaces all 11.
    assert.equal(traces(f).length, 11);
    for (const fr of f.frames ?? []) assert.equal(fr.data.length, 11);
    // Frame 2 is the last substep of timestep 2: 3 participants, candidates 4 and 6.
    const frame2 = f.frames![1];
    assert.equal((frame2.data[5] as T).y.length, 3);
    assert.deepEqual((frame2.data[6] as T).text, ['80%', '0%']);
    assert.equal((frame2.layout as T).title.text, 'Tokens Staked by Participants to Proposals — timestep 2');
  });

  it('scales edge colours on the largest stake of all frames', () => {
    // Largest stake over both frames: 200 (bins of 40). Frame 2: 150 -> bin 3, 50 -> bin 1.
    const f = networkSnapshotSlider(history, [1, 2]);
    const ys = f.frames![1].data.slice(0, 5).map((t) => (t as T).y.length);
    // Empty bins keep one off-axis point for the legend.
    assert.deepEqual(ys, [1, 3, 1, 3, 1]);
  });

  it('can show genesis, and rejects a timestep without a record', () => {
    assert.equal(networkSnapshotSlider(history, [0, 2]).frames?.length, 2);
    assert.throws(() => networkSnapshotSlider(history, [1, 7]), /no record at timestep 7/);
    assert.throws(() => networkSnapshotSlider(history, Array.from({ length: 5000 }, (_, k) => k)), /^RangeError: networkSnapshotSlider: 5000 timesteps asked for; at most 1001 frames/);
    assert.throws(() => networkSnapshotSlider({} as never), /^TypeError: networkSnapshotSlider: records must be an array/);
  });

  it('defaults to about 20 evenly spaced timesteps with the last', () => {
    const ts = defaultSliderTimesteps(Array.from({ length: 100 }, (_, k) => k + 1));
    assert.deepEqual(ts, [1, 6, 11, 16, 21, 26, 31, 36, 41, 46, 51, 56, 61, 66, 71, 76, 81, 86, 91, 96, 100]);
    assert.deepEqual(defaultSliderTimesteps([3, 1, 2]), [1, 2, 3]);
    assert.deepEqual(networkSnapshotSlider(history).frames?.map((fr) => fr.name), ['1', '2']);
  });
});

// ---- a real run: everything stays small ----------------------------------------------------

describe('figures of a real run: simulate({ seed: 1 })', () => {
  const records = simulate({ seed: 1 }).results[0].records;
  const rows = toRows(records);
  const rdfRecords = lastSubstep(records);

  it('build all nine figures and the slider, well under the notebook budget', () => {
    const figs: Record<string, Figure> = {
      holdings: holdingsHistogram(records[0].network),
      requested: fundsRequestedBar(records[0].network),
      genesisAffinity: affinityHeatmap(records[0].network),
      finalAffinity: affinityHeatmap(records[records.length - 1].network),
      counts: statusCounts(rows),
      funds: statusFunds(rows),
      t3: networkSnapshot(rdfRecords[2].network),
      t56: networkSnapshot(rdfRecords[55].network),
      quantiles: convictionShareQuantiles(rows),
      slider: networkSnapshotSlider(records),
    };
    const sizes = Object.fromEntries(Object.entries(figs).map(([k, f]) => [k, JSON.stringify(f).length]));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    assert.ok(total < 400_000, `figures weigh ${total} bytes: ${JSON.stringify(sizes)}`);
    assert.equal(figs.slider.frames?.length, 21);
    assert.equal(traces(figs.counts)[0].x.length, 100);
    assert.equal(traces(figs.quantiles)[0].x.length, 100);
    // Every candidate of the final network is labelled.
    assert.equal(byName(figs.t56, 'candidate').text.length, lastSubstep(rows)[55].candidate_count);
  });
});
