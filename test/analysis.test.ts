/**
 * Post-processing (MODEL_SPEC §8): df rows, the rdf selection, the tidy long form
 * and quantiles over time, on a hand-built history whose every value is worked
 * out by hand below, then on one real run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DirectedGraph } from 'graphology';
import { inspect } from 'node:util';
import {
  DF_COLUMN_NAMES,
  FRAME_COLUMN_NAMES,
  TIDY_COLUMN_NAMES,
  lastSubstep,
  meanOverTime,
  medianOf,
  quantilesOverTime,
  recordsOf,
  tidyProposals,
  toDataFrame,
  toDataFrames,
  toRows,
} from '../src/analysis';
import { affinityMatrix, candidateStakes, holdingsOf, participantIds, proposalStatuses, ARRAY_METRIC_NAMES } from '../src/analysis/metrics';
import type { StateRecord } from '../src/engine/types';
import { simulate } from '../src/models/v1';
import { Network, type EdgeAttrs, type NodeAttrs, type ProposalStatus } from '../src/models/shared/network';
import type { State } from '../src/models/v1/state';

// ---- a tiny hand-built history ---------------------------------------------

/** A node in id order: a participant (holdings) or a proposal. */
type NodeSpec =
  | { holdings: number }
  | { status: ProposalStatus; fr: number; conv: number; trig: number; age: number };

/** Affinity of participant `p` to proposal `q` (node ids): any fixed, distinct values in [0, 1]. */
function aff(p: number, q: number): number {
  return ((p + 1) * 10 + q) / 100;
}

/** A network from nodes in id order and stakes `{"p-q": tokens}` keyed by node ids. */
function build(nodes: NodeSpec[], stakes: Record<string, number> = {}): Network {
  const net = new Network();
  nodes.forEach((n, id) => {
    if ('holdings' in n) {
      net.addParticipant(n.holdings, (j) => ({ affinity: aff(id, net.proposalId(j)) }));
    } else {
      net.addProposal(
        { status: n.status, funds_requested: n.fr, conviction: n.conv, trigger: n.trig, age: n.age },
        (i) => aff(net.participantId(i), id),
      );
    }
  });
  for (const [key, tokens] of Object.entries(stakes)) {
    const [p, q] = key.split('-').map(Number);
    const i = participantIds(net).indexOf(p);
    const j = Array.from({ length: net.proposalCount }, (_, k) => net.proposalId(k)).indexOf(q);
    net.setTokens(i, j, tokens);
  }
  return net;
}

const P = (holdings: number): NodeSpec => ({ holdings });
const Q = (status: ProposalStatus, fr: number, conv: number, trig: number, age: number): NodeSpec => ({ status, fr, conv, trig, age });

/** Genesis: participants 0 and 1, candidates 2, 3, 4. */
const net0 = build([P(100), P(300), Q('candidate', 100, 0, 400, 0), Q('candidate', 200, 0, 800, 0), Q('candidate', 50, 0, 250, 0)]);
/** Timestep 1, substep 1: only ages changed. */
const net1a = build([P(100), P(300), Q('candidate', 100, 0, 400, 1), Q('candidate', 200, 0, 800, 1), Q('candidate', 50, 0, 250, 1)]);
/** Timestep 1, last substep: 2 passed (active), 3 and 4 gathered conviction; funds 1000 -> 900. */
const net1b = build(
  [P(100), P(300), Q('active', 100, NaN, NaN, 1), Q('candidate', 200, 200, 800, 1), Q('candidate', 50, 125, 250, 1)],
  { '0-3': 40, '1-3': 200, '1-4': 100, '0-2': 5 },
);
/** Timestep 2, last substep: participant 5 and candidate 6 arrived; 2 completed, 3 killed. */
const net2b = build([
  P(100),
  P(300),
  Q('completed', 100, NaN, NaN, 2),
  Q('killed', 200, 20, NaN, 2),
  Q('candidate', 50, 200, 250, 2),
  P(60),
  Q('candidate', 90, 0, 300, 0),
]);
/** Timestep 3, last substep: no candidate left. */
const net3b = build([
  P(100),
  P(300),
  Q('completed', 100, NaN, NaN, 3),
  Q('killed', 200, 10, NaN, 3),
  Q('active', 50, NaN, NaN, 3),
  P(60),
  Q('killed', 90, 0, NaN, 1),
]);

function rec(network: Network, funds: number, timestep: number, substep: number, run = 1): StateRecord<State> {
  return { network, funds, simulation: 0, subset: 0, run, timestep, substep };
}

/** Two blocks per timestep, three timesteps: 1 + 3 * 2 = 7 records. */
const history: StateRecord<State>[] = [
  rec(net0, 1000, 0, 0),
  rec(net1a, 1000, 1, 1),
  rec(net1b, 900, 1, 2),
  rec(net2b, 900, 2, 1),
  rec(net2b, 900, 2, 2),
  rec(net3b, 900, 3, 1),
  rec(net3b, 850, 3, 2),
];

/** |a - b| tiny, for values that went through interpolation. */
function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);
}

// ---- the tests ---------------------------------------------------------------

describe('metrics added for the analysis', () => {
  it('reads statuses, holdings, participant ids, the affinity matrix and the candidate stakes', () => {
    assert.deepEqual(proposalStatuses(net2b), ['candidate', 'candidate']);
    assert.deepEqual(proposalStatuses(net2b, true), ['completed', 'killed', 'candidate', 'candidate']);
    assert.deepEqual(holdingsOf(net2b), [100, 300, 60]);
    assert.deepEqual(participantIds(net2b), [0, 1, 5]);
    // Rows are proposals 2, 3, 4; columns participants 0, 1; aff(p, q) = ((p + 1) * 10 + q) / 100.
    assert.deepEqual(affinityMatrix(net0), [
      [0.12, 0.22],
      [0.13, 0.23],
      [0.14, 0.24],
    ]);
    // The 5 tokens on active proposal 2 are not a candidate stake.
    assert.deepEqual(candidateStakes(net1b), [
      { i: 0, j: 1, tokens: 40 },
      { i: 1, j: 1, tokens: 200 },
      { i: 1, j: 2, tokens: 100 },
    ]);
  });
});

describe('toRows: the df', () => {
  const rows = toRows(history);

  it('has one row per record with every §8 column, in order, after the record meta columns', () => {
    assert.equal(rows.length, 7);
    const expected = [
      'simulation', 'subset', 'run', 'timestep', 'substep', 'funds', 'participant_count', 'proposal_count',
      'candidate_count', 'active_count', 'completed_count', 'failed_count', 'killed_count',
      'candidate_funds', 'active_funds', 'completed_funds', 'failed_funds', 'killed_funds',
      'max_conviction_share_of_trigger',
      'conviction', 'candidate_funds_requested', 'funds_requested', 'share_of_funds_requested',
      'share_of_funds_requested_all', 'triggers', 'conviction_share_of_trigger', 'age', 'age_all',
      'conviction_all', 'triggers_all', 'conviction_share_of_trigger_all',
    ];
    assert.deepEqual(Object.keys(rows[0]), expected);
    assert.deepEqual([...DF_COLUMN_NAMES], expected);
  });

  it('copies the record meta columns', () => {
    assert.deepEqual(
      rows.map((r) => [r.timestep, r.substep, r.run, r.simulation, r.subset]),
      [[0, 0, 1, 0, 0], [1, 1, 1, 0, 0], [1, 2, 1, 0, 0], [2, 1, 1, 0, 0], [2, 2, 1, 0, 0], [3, 1, 1, 0, 0], [3, 2, 1, 0, 0]],
    );
  });

  it('counts participants, proposals and proposals per status', () => {
    const r = rows[4]; // timestep 2: candidates 4 and 6, completed 2, killed 3
    assert.equal(r.participant_count, 3);
    assert.equal(r.proposal_count, 4);
    assert.deepEqual(
      [r.candidate_count, r.active_count, r.completed_count, r.failed_count, r.killed_count],
      [2, 0, 1, 0, 1],
    );
    assert.deepEqual([rows[2].candidate_count, rows[2].active_count], [2, 1]);
  });

  it('adds up the funds requested per status', () => {
    const r = rows[4];
    // candidates 50 + 90, completed 100, killed 200
    assert.deepEqual([r.candidate_funds, r.active_funds, r.completed_funds, r.failed_funds, r.killed_funds], [140, 0, 100, 0, 200]);
    assert.deepEqual([rows[2].candidate_funds, rows[2].active_funds], [250, 100]);
    assert.equal(rows[2].funds, 900);
  });

  it('lists candidates and every proposal in the array columns', () => {
    const r = rows[2]; // timestep 1, last substep, funds 900
    assert.deepEqual(r.conviction, [200, 125]);
    assert.deepEqual(r.conviction_all, [NaN, 200, 125]);
    assert.deepEqual(r.candidate_funds_requested, [200, 50]);
    assert.deepEqual(r.funds_requested, [100, 200, 50]);
    assert.deepEqual(r.triggers, [800, 250]);
    assert.deepEqual(r.triggers_all, [NaN, 800, 250]);
    assert.deepEqual(r.age, [1, 1]);
    assert.deepEqual(r.age_all, [1, 1, 1]);
    assert.deepEqual(rows[4].age, [2, 0]);
  });

  it('divides requests by the funds and conviction by the trigger', () => {
    const r = rows[2];
    assert.deepEqual(r.share_of_funds_requested, [200 / 900, 50 / 900]);
    assert.deepEqual(r.share_of_funds_requested_all, [100 / 900, 200 / 900, 50 / 900]);
    assert.deepEqual(r.conviction_share_of_trigger, [0.25, 0.5]);
    assert.deepEqual(r.conviction_share_of_trigger_all, [NaN, 0.25, 0.5]);
    assert.equal(r.max_conviction_share_of_trigger, 0.5);
    // timestep 2: 200 / 250 and 0 / 300
    assert.deepEqual(rows[4].conviction_share_of_trigger, [0.8, 0]);
    // timestep 3: no candidate
    assert.deepEqual(rows[6].conviction_share_of_trigger, []);
    assert.equal(rows[6].max_conviction_share_of_trigger, null);
  });

  it('takes the records of an experiment result in job order', () => {
    const other = history.map((r) => ({ ...r, run: 2 }));
    const result = {
      results: [
        { simulation: 0, subset: 0, run: 1, records: history, metrics: [] },
        { simulation: 0, subset: 0, run: 2, records: other, metrics: [] },
      ],
      failures: [],
    };
    assert.equal(recordsOf(result).length, 14);
    assert.deepEqual(toRows(result).map((r) => r.run), [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
  });

  it('reads a network built from a graphology graph the same way', () => {
    const g = new DirectedGraph<NodeAttrs, EdgeAttrs>();
    g.addNode('0', { type: 'participant', holdings: 10 });
    g.addNode('1', { type: 'proposal', status: 'candidate', conviction: 3, age: 2, funds_requested: 40, trigger: 12 });
    g.addNode('2', { type: 'proposal', status: 'failed', conviction: NaN, age: 9, funds_requested: 60, trigger: NaN });
    g.addDirectedEdge('0', '1', { type: 'support', affinity: 0.5, tokens: 10, conviction: 3 });
    g.addDirectedEdge('0', '2', { type: 'support', affinity: 0.1, tokens: 0, conviction: NaN });
    const [row] = toRows([{ network: Network.fromGraph(g), funds: 200, simulation: 0, subset: 0, run: 1, timestep: 4, substep: 4 }]);
    assert.deepEqual([row.candidate_count, row.failed_count, row.failed_funds], [1, 1, 60]);
    assert.deepEqual(row.conviction_share_of_trigger, [0.25]);
    assert.deepEqual(row.share_of_funds_requested_all, [0.2, 0.3]);
  });
});

describe('lastSubstep: the rdf', () => {
  it('keeps the last substep of each timestep and drops genesis', () => {
    const rdf = lastSubstep(toRows(history));
    assert.deepEqual(rdf.map((r) => [r.timestep, r.substep]), [[1, 2], [2, 2], [3, 2]]);
    assert.deepEqual(rdf.map((r) => r.funds), [900, 900, 850]);
  });

  it('takes the maximum substep per simulation', () => {
    const meta = (simulation: number, timestep: number, substep: number) => ({ simulation, subset: 0, run: 1, timestep, substep });
    const rows = [meta(0, 0, 0), meta(0, 1, 1), meta(0, 1, 2), meta(1, 0, 0), meta(1, 1, 1), meta(1, 2, 1)];
    assert.deepEqual(lastSubstep(rows), [meta(0, 1, 2), meta(1, 1, 1), meta(1, 2, 1)]);
  });

  it('never keeps a genesis row, even when it is all there is', () => {
    assert.deepEqual(lastSubstep([{ simulation: 0, subset: 0, run: 1, timestep: 0, substep: 0 }]), []);
  });

  it('works on records too', () => {
    assert.deepEqual(lastSubstep(history).map((r) => r.network), [net1b, net2b, net3b]);
  });
});

describe('tidyProposals: the long form', () => {
  const tidy = tidyProposals(history);

  it('has one row per (timestep, proposal) at the last substep', () => {
    // 3 proposals at timestep 1, 4 at timesteps 2 and 3
    assert.equal(tidy.length, 11);
    assert.deepEqual(tidy.map((r) => [r.timestep, r.proposal]), [
      [1, 2], [1, 3], [1, 4], [2, 2], [2, 3], [2, 4], [2, 6], [3, 2], [3, 3], [3, 4], [3, 6],
    ]);
  });

  it('carries each proposal’s status, conviction, trigger, share, age and request', () => {
    assert.deepEqual(tidy[4], {
      simulation: 0, subset: 0, run: 1, timestep: 2, proposal: 3, status: 'killed',
      conviction: 20, trigger: NaN, conviction_share_of_trigger: NaN, age: 2, funds_requested: 200,
    });
    assert.deepEqual(tidy[5], {
      simulation: 0, subset: 0, run: 1, timestep: 2, proposal: 4, status: 'candidate',
      conviction: 200, trigger: 250, conviction_share_of_trigger: 0.8, age: 2, funds_requested: 50,
    });
  });
});

describe('quantilesOverTime', () => {
  const rdf = lastSubstep(toRows(history));

  it('computes linear (type 7) quantiles of array cells per timestep', () => {
    const q = quantilesOverTime(rdf, 'conviction_share_of_trigger');
    assert.deepEqual(q.timesteps, [1, 2, 3]);
    assert.deepEqual(q.probs, [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(q.counts, [2, 2, 0]);
    // t1: [0.25, 0.5] -> 0.25 + p * 0.25; t2: [0, 0.8] -> p * 0.8
    const expected = [
      [0.25, 0],
      [0.3125, 0.2],
      [0.375, 0.4],
      [0.4375, 0.6],
      [0.5, 0.8],
    ];
    expected.forEach((vals, k) => {
      close(q.series[k][0], vals[0], `p${q.probs[k]} at t1`);
      close(q.series[k][1], vals[1], `p${q.probs[k]} at t2`);
      // No candidate at t3: a gap, not a zero.
      assert.equal(q.series[k][2], null);
    });
  });

  it('interpolates within a timestep of three values', () => {
    // conviction_all at t2 is [NaN, 20, 200, 0]: NaN dropped, sorted [0, 20, 200]
    const q = quantilesOverTime(rdf, 'conviction_all', [0.5, 0.75]);
    assert.equal(q.series[0][1], 20);
    close(q.series[1][1], 110, 'p75 of [0, 20, 200]'); // index 1.5: 20 + 0.5 * 180
  });

  it('gives the same quantiles from the tidy form (candidates by default)', () => {
    const tidy = tidyProposals(history);
    assert.deepEqual(quantilesOverTime(tidy, 'conviction_share_of_trigger'), quantilesOverTime(rdf, 'conviction_share_of_trigger'));
    // Counting killed proposals too: t1 [200, 125] -> 162.5; t2 [20, 200, 0] -> 20; t3 [10, 0] -> 5
    const q = quantilesOverTime(tidy, 'conviction', [0.5], { statuses: ['candidate', 'killed'] });
    assert.deepEqual(q.series[0], [162.5, 20, 5]);
  });

  it('pools the runs of a timestep', () => {
    const rows = [
      { timestep: 1, x: [1, 3] },
      { timestep: 1, x: [2] },
      { timestep: 2, x: 7 },
    ];
    const q = quantilesOverTime(rows, 'x', [0.5]);
    assert.deepEqual(q.series[0], [2, 7]);
  });

  it('rejects a probability outside [0, 1]', () => {
    assert.throws(() => quantilesOverTime(rdf, 'conviction', [1.5]), /probabilities must be in \[0, 1\], got 1.5/);
  });

  it('means and medians', () => {
    const m = meanOverTime([{ timestep: 2, v: 4 }, { timestep: 1, v: 1 }, { timestep: 2, v: 8 }, { timestep: 3, v: NaN }], 'v');
    assert.deepEqual(m, { timesteps: [1, 2, 3], values: [1, 6, null] });
    assert.equal(medianOf([5, NaN, 1, 3, 10]), 4);
    assert.equal(medianOf([NaN]), null);
  });
});

describe('DataFrames', () => {
  it('builds a numeric danfo DataFrame of the df rows: meta and scalar columns, no array column', () => {
    const df = toDataFrame(toRows(history));
    assert.deepEqual(df.shape, [7, 19]);
    assert.deepEqual(df.columns, [...FRAME_COLUMN_NAMES]);
    assert.deepEqual([...FRAME_COLUMN_NAMES], DF_COLUMN_NAMES.slice(0, 19));
    for (const c of ARRAY_METRIC_NAMES) assert.ok(!df.columns.includes(c), `${c} must not be a frame column`);
    assert.ok(df.dtypes.every((t) => t === 'int32' || t === 'float32'), `dtypes ${df.dtypes.join(', ')}`);
    const values = df.values as number[][];
    assert.equal(values[4][df.columns.indexOf('candidate_funds')], 140);
    // No candidate at timestep 3: the missing maximum is NaN in the frame (null in the rows).
    assert.ok(Number.isNaN(values[6][df.columns.indexOf('max_conviction_share_of_trigger')]));
  });

  it('rounds, sums and describes like pandas, since every column is numeric', () => {
    const df = toDataFrame(toRows(history));
    const share = df.round(1)['max_conviction_share_of_trigger'].values as number[];
    // rows: genesis 0/400 = 0, t1s1 0, t1s2 max(0.25, 0.5), t2 0.8 twice, t3 none twice
    assert.deepEqual(share.slice(0, 5), [0, 0, 0.5, 0.8, 0.8]);
    assert.ok(Number.isNaN(share[6]));
    assert.equal(df['funds'].sum(), 1000 * 2 + 900 * 4 + 850);
  });

  it('refuses an array column instead of turning it into text', () => {
    assert.throws(() => toDataFrame(toRows(history), ['timestep', 'conviction']), /^TypeError: toDataFrame: column 'conviction' holds arrays/);
  });

  it('keeps a string column (the tidy status) as strings and numbers as numbers', () => {
    const tidy = toDataFrame(tidyProposals(history));
    assert.deepEqual(tidy.columns, [...TIDY_COLUMN_NAMES]);
    assert.equal(tidy.dtypes[tidy.columns.indexOf('status')], 'string');
    assert.equal(tidy.dtypes[tidy.columns.indexOf('conviction')], 'float32');
    assert.deepEqual((tidy['status'].values as string[]).slice(0, 3), ['active', 'candidate', 'candidate']);
  });

  it('gives an empty frame with the frame columns for no rows', () => {
    const df = toDataFrame([]);
    assert.deepEqual(df.columns, [...FRAME_COLUMN_NAMES]);
    assert.equal(df.shape[0], 0);
  });

  it('prints danfo frames as readable text under console.log (what tslab shows for a cell value)', () => {
    const df = toDataFrame(toRows(history)).loc({ columns: ['timestep', 'max_conviction_share_of_trigger'] });
    const shown = inspect(df.head(3));
    assert.equal(shown, ['   timestep  max_conviction_share_of_trigger', '0         0                                0', '1         1                                0', '2         1                              0.5', '[3 rows × 2 columns]'].join('\n'));
    // Results of danfo operations (base classes) and Series print the same way.
    assert.match(inspect(df.round(2)), /\[7 rows × 2 columns\]$/);
    assert.match(inspect(df['timestep']), /^   timestep\n0         0\n/);
  });
});

describe('a real run: simulate({ seed: 1 })', () => {
  const result = simulate({ seed: 1 });
  const { df, rdf, tidy, rows, rdfRows, tidyRows } = toDataFrames(result);

  it('has 401 df rows and 100 rdf rows with every §8 column', () => {
    assert.equal(rows.length, 401);
    assert.deepEqual(df.shape, [401, 19]);
    assert.deepEqual(rdf.shape, [100, 19]);
    assert.deepEqual(tidy.shape, [tidyRows.length, TIDY_COLUMN_NAMES.length]);
    // The tidy form is built on first read, once.
    const lazy = toDataFrames(result);
    assert.equal(typeof Object.getOwnPropertyDescriptor(lazy, 'tidy')?.get, 'function');
    assert.equal(lazy.tidy, lazy.tidy);
    assert.deepEqual(lazy.tidyRows, tidyRows);
    assert.deepEqual(rdfRows.map((r) => r.timestep), Array.from({ length: 100 }, (_, k) => k + 1));
    assert.ok(rdfRows.every((r) => r.substep === 4));
    const spec = [
      'conviction', 'candidate_count', 'active_count', 'completed_count', 'failed_count', 'killed_count',
      'candidate_funds', 'active_funds', 'completed_funds', 'failed_funds', 'killed_funds',
      'candidate_funds_requested', 'funds_requested', 'share_of_funds_requested', 'share_of_funds_requested_all',
      'triggers', 'conviction_share_of_trigger', 'age', 'age_all', 'conviction_all', 'triggers_all',
      'conviction_share_of_trigger_all',
    ];
    for (const c of spec) assert.ok(c in rdfRows[0], `rdf rows lack ${c}`);
    for (const c of spec) if (!(ARRAY_METRIC_NAMES as string[]).includes(c)) assert.ok(rdf.columns.includes(c), `rdf lacks ${c}`);
    // rdf.round(2) works: every frame column is numeric (the failing call).
    assert.equal(rdf.round(2).shape[0], 100);
    for (const c of ARRAY_METRIC_NAMES) assert.ok(Array.isArray(rdfRows[99][c]), `${c} is an array`);
  });

  it('keeps the invariants between columns', () => {
    for (const r of rdfRows) {
      assert.equal(r.conviction.length, r.candidate_count);
      assert.equal(r.funds_requested.length, r.proposal_count);
      const sum = r.candidate_funds_requested.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - r.candidate_funds) < 1e-6 * Math.max(1, sum));
      r.conviction.forEach((c, k) => close(r.conviction_share_of_trigger[k], c / r.triggers[k], 'share'));
    }
    // Tidy form: one row per proposal per timestep.
    const tidy = tidyProposals(result);
    assert.equal(tidy.length, rdfRows.reduce((a, r) => a + r.proposal_count, 0));
  });
});
