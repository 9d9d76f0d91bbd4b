import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRng } from '../src/engine/rng';
import { median } from '../src/models/shared/median';
import { Network } from '../src/models/shared/network';
import { MedianIndex } from '../src/models/shared/median-index';

/** An index over growing columns: `add` appends a column's worth, as arrivals do. */
function indexOver(columns: number[][], arrival: number): { index: MedianIndex; push: (values: number[]) => void } {
  const all = () => ({ columns: [columns.flat()], length: columns.flat().length, arrival });
  const index = new MedianIndex(all());
  return {
    index,
    push(values) {
      columns.push(values);
      index.add(Float64Array.from(values), values.length, all);
    },
  };
}

describe('#.MedianIndex', () => {
  it('should give hand-worked medians as values arrive, NaN when empty or holding a NaN', () => {
    const { index, push } = indexOver([], 1);
    assert.ok(Number.isNaN(index.median()));
    push([3, 1]);
    assert.equal(index.median(), 2);
    push([2, 9]);
    assert.equal(index.size, 4);
    assert.equal(index.median(), 2.5); // 1 2 3 9
    push([-5]);
    assert.equal(index.median(), 2); // -5 1 2 3 9
    push([NaN]);
    assert.equal(index.size, 6);
    assert.ok(Number.isNaN(index.median()));
  });

  it('should equal the selection median over 300 seeded sequences, its window rebuilt as the median leaves it', () => {
    const rng = runRng('median-index', 0, 0, 1);
    for (let t = 0; t < 300; t++) {
      // Skewed arrivals (all high, then all low) push the median out of a 2,048-value window.
      const first = Array.from({ length: 3000 }, () => rng());
      const { index, push } = indexOver([first], 1);
      const all = [...first];
      for (let k = 0; k < 12; k++) {
        const m = 1 + Math.floor(rng() * 600);
        const skew = k < 6 ? 1 : -1;
        const values = Array.from({ length: m }, () => (t % 3 === 0 ? Math.floor(rng() * 4) : skew + rng()));
        all.push(...values);
        push(values);
        const want = median(all);
        assert.ok(Object.is(index.median(), want), `sequence ${t}, step ${k}: ${index.median()} vs ${want}`);
      }
    }
  });
});

describe('#.medianAffinity', () => {
  /** A network of n participants and m proposals with seeded affinities. */
  function grown(n: number, m: number, seed: string): Network {
    const rng = runRng(seed, 0, 0, 1);
    const net = new Network();
    for (let i = 0; i < n; i++) net.addParticipant(1, () => ({ affinity: rng() }));
    for (let j = 0; j < m; j++) net.addProposal({ funds_requested: 1, trigger: 1 }, () => rng());
    return net;
  }
  /** The median by copying every affinity, as it was computed before the order was kept. */
  function fromScratch(net: Network): number {
    const all: number[] = [];
    for (let j = 0; j < net.proposalCount; j++) all.push(...net.affinityColumn(j));
    return median(all);
  }

  it('should follow arrivals of both kinds, through forks, equal to the median from scratch', () => {
    const rng = runRng('arrivals', 0, 0, 1);
    let net = grown(5, 3, 'a');
    assert.equal(net.medianAffinity(), fromScratch(net));
    for (let k = 0; k < 200; k++) {
      const parent = net;
      net = net.fork();
      if (rng() < 0.5) net.addParticipant(1, () => ({ affinity: rng() }));
      else net.addProposal({ funds_requested: 1, trigger: 1 }, () => rng());
      assert.equal(net.medianAffinity(), fromScratch(net), `arrival ${k}`);
      // The parent kept its own edges: asked again, it gives its own median.
      assert.equal(parent.medianAffinity(), fromScratch(parent), `parent ${k}`);
    }
  });

  it('should see a changed affinity', () => {
    const net = grown(3, 3, 'b');
    net.medianAffinity();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) net.setAffinity(i, j, i + j);
    assert.equal(net.medianAffinity(), 2); // 0 1 1 2 2 2 3 3 4
  });
});
