import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DF_COLUMN_NAMES,
  DF_COLUMN_NAMES_V3,
  FRAME_COLUMN_NAMES,
  FRAME_COLUMN_NAMES_V3,
  lastSubstep,
  modelOf,
  toDataFrames,
  toRows,
} from '../src/analysis/dataframes';
import { tidyProposals } from '../src/analysis/tidy';
import { simulate } from '../src/models/v1';
import { simulateV3 } from '../src/models/v3';

const v3 = simulateV3({ seed: 1, rng: 'numpy', timesteps: 12 });
const v3records = v3.results[0].records;

describe('v3 df/rdf (MODEL_SPEC_V3 §8)', () => {
  it('detects v3 records by their total_supply and gives them the v3 columns, v1 columns first', () => {
    assert.equal(modelOf(v3records), 'v3');
    const rows = toRows(v3records);
    assert.equal(rows.length, 1 + 6 * 12);
    assert.deepEqual(Object.keys(rows[0]), [...DF_COLUMN_NAMES_V3]);
    assert.deepEqual(DF_COLUMN_NAMES_V3.slice(0, 5 + 13), DF_COLUMN_NAMES.slice(0, 5 + 13));
    for (const c of ['participant_count', 'sentiment', 'total_supply', 'effective_supply', 'percentageOfActiveProposals', 'percentageOfCompletedProposals',
      'percentageOfKilledProposals', 'percentageOfActiveFundsRequested', 'percentageOfCompletedFundsRequested', 'percentageOfKilledFundsRequested']) {
      assert.ok(FRAME_COLUMN_NAMES_V3.includes(c), c);
    }
  });

  it('keeps the last substep (6) of each timestep: rdf row 0 is timestep 1, with the original seed-1 values', () => {
    const rdf = lastSubstep(toRows(v3records, { model: 'v3' }));
    assert.equal(rdf.length, 12);
    assert.deepEqual(rdf.map((r) => r.substep), Array(12).fill(6));
    const r0 = rdf[0];
    assert.equal(r0.timestep, 1);
    // At t = 1 of np.random.seed(1): 8 proposals, 5 killed (test/v3-metrics.test.ts); S grows by gamma·S0 in PSUB 2.
    assert.equal(r0.proposal_count, 8);
    assert.equal(r0.killed_count, 5);
    assert.equal(r0.percentageOfKilledProposals, 5 / 8);
    assert.equal(r0.total_supply, 22392.22 + 0.001 * 22392.22);
    const rec = v3records.find((r) => r.timestep === 1 && r.substep === 6)!;
    assert.equal(r0.sentiment, rec.sentiment);
    assert.equal(r0.effective_supply, rec.effective_supply);
    assert.equal(r0.funds, rec.funds);
    assert.equal(r0.participant_count, rec.network.participantCount);
  });

  it('builds numeric df and rdf frames with the v3 columns, and the tidy form of the proposals', () => {
    const frames = toDataFrames(v3);
    assert.equal(frames.model, 'v3');
    assert.deepEqual(frames.rdf.columns, [...FRAME_COLUMN_NAMES_V3]);
    assert.deepEqual(frames.rdf.shape, [12, FRAME_COLUMN_NAMES_V3.length]);
    assert.deepEqual(frames.df.shape, [73, FRAME_COLUMN_NAMES_V3.length]);
    for (const c of FRAME_COLUMN_NAMES_V3) assert.notEqual(frames.rdf.column(c).dtype, 'string', c);
    // Genesis holds 0 for the stage records: NaN in the df's first row.
    assert.ok(Number.isNaN(frames.df.column('percentageOfKilledProposals').values[0] as number));
    const tidy = tidyProposals(v3records);
    const last = frames.rdfRows[frames.rdfRows.length - 1];
    assert.equal(tidy.filter((r) => r.timestep === 12).length, last.proposal_count);
    assert.equal(frames.tidyRows.length, tidy.length);
  });

  it('leaves v1 unchanged: v1 columns by default, and a v3 request on v1 records is an error', () => {
    const v1 = simulate({ seed: 3, timesteps: 3 }).results[0].records;
    assert.equal(modelOf(v1), 'v1');
    assert.deepEqual(Object.keys(toRows(v1)[0]), [...DF_COLUMN_NAMES]);
    assert.deepEqual(toDataFrames(v1).rdf.columns, [...FRAME_COLUMN_NAMES]);
    assert.throws(() => toRows(v1, { model: 'v3' }), /^RangeError: toRows: options.model is 'v3' but the records hold no total_supply/);
    assert.throws(() => toRows(v1, { model: 'v4' as 'v1' }), /toRows: options.model must be 'v1' or 'v3', got "v4"/);
    assert.throws(() => toDataFrames(v1, { model: 'v2' as 'v1' }), /toDataFrames: options.model/);
    // A v3 record read as v1 gives the v1 columns only.
    assert.deepEqual(Object.keys(toRows(v3records, { model: 'v1' })[0]), [...DF_COLUMN_NAMES]);
  });

  it('gives empty frames their model\'s columns', () => {
    const frames = toDataFrames([], { model: 'v3' });
    assert.deepEqual(frames.rdf.columns, [...FRAME_COLUMN_NAMES_V3]);
  });
});
