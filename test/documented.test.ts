import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentedFigures } from '../src/figures/documented';
import { simulate } from '../src/models/v1';

describe('#.documentedFigures', () => {
  it('should throw if the run has no records, or the records of several runs', () => {
    assert.throws(() => documentedFigures([]), /documentedFigures: the run has no records/);
    const two = simulate({ seed: 1, runs: 2, timesteps: 3 }).results.flatMap((r) => r.records);
    assert.throws(() => documentedFigures(two), /^RangeError: documentedFigures: the records hold 2 runs; pass one run's records/);
    assert.throws(() => documentedFigures(null as never), /^TypeError: documentedFigures: records must be an array/);
  });

  it('should build the nine figures of MODEL_SPEC §9 in order, named like the reference images', () => {
    const records = simulate({ seed: 107 }).results[0].records;
    const figs = documentedFigures(records);
    assert.deepEqual(
      figs.map((f) => f.name),
      [
        '1-genesis-holdings-histogram',
        '2-genesis-funds-requested-bar',
        '3-genesis-affinity-heatmap',
        '4-final-affinity-heatmap',
        '5-proposal-status-counts',
        '6-proposal-status-funds',
        '7-network-snapshot-t3',
        '8-network-snapshot-t56',
        '9-conviction-share-of-trigger-quantiles',
      ],
    );
    const kinds = figs.map((f) => f.figure.data[0]?.type);
    assert.deepEqual(kinds.slice(0, 4), ['bar', 'bar', 'heatmap', 'heatmap']);
    // Genesis histogram counts every genesis participant; the final heatmap has a row per final proposal.
    const hist = figs[0].figure.data[0] as { y: number[] };
    assert.equal(hist.y.reduce((a, b) => a + b, 0), 60);
    const last = records[records.length - 1].network;
    assert.equal((figs[3].figure.data[0] as { z: unknown[] }).z.length, last.proposalCount);
    const titles = figs.map((f) => (f.figure.layout.title as { text: string }).text);
    // The reference's K = 3 and K = 56 index an rdf that starts at timestep 1: timesteps 4 and 57 (MODEL_SPEC §9).
    assert.equal(titles[6], 'Tokens Staked by Participants to Proposals, timestep 4');
    assert.equal(titles[7], 'Tokens Staked by Participants to Proposals, timestep 57');
    const subtitles = figs.map((f) => (f.figure.layout.title as { subtitle?: { text: string } }).subtitle?.text);
    assert.equal(subtitles[6], 'reference K = 3: nets[3] of an rdf that starts at timestep 1');
    assert.equal(subtitles[7], 'reference K = 56: nets[56] of an rdf that starts at timestep 1');
    // What the snapshots draw is the network at those timesteps' last substep.
    const at57 = records.filter((r) => r.timestep === 57).at(-1)!.network;
    const drawn = figs[7].figure.data.find((t) => t.name === 'candidate') as { text: string[] };
    assert.equal(drawn.text.length, at57.proposalsWithStatus('candidate').length);
    // One run: figures 5, 6 and 9 average nothing and say nothing about runs.
    for (const k of [4, 5, 8]) assert.equal(subtitles[k], undefined);
    // The quantile plot carries its dashed line at 1.
    const dashed = figs[8].figure.data.find((t) => (t.line as { dash?: string } | undefined)?.dash === 'dash') as { y: number[] };
    assert.ok(dashed && dashed.y.every((v) => v === 1));
  });
});
