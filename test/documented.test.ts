import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentedFigures } from '../src/figures/documented';
import { simulate } from '../src/model';

describe('#.documentedFigures', () => {
  it('should throw if the run has no records', () => {
    assert.throws(() => documentedFigures([]), /documentedFigures: the run has no records/);
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
    assert.match(titles[6], /timestep 3$/);
    assert.match(titles[7], /timestep 56$/);
    // The quantile plot carries its dashed line at 1.
    const dashed = figs[8].figure.data.find((t) => (t.line as { dash?: string } | undefined)?.dash === 'dash') as { y: number[] };
    assert.ok(dashed && dashed.y.every((v) => v === 1));
  });
});
