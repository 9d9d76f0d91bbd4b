import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRng } from '../src/engine/rng';
import { median } from '../src/models/shared/median';
import { Network } from '../src/models/shared/network';
import { SortedValues } from '../src/models/shared/sorted';

describe('#.SortedValues', () => {
  it('should give hand-worked medians as values arrive, NaN when empty or holding a NaN', () => {
    const s = SortedValues.of([], 0);
    assert.ok(Number.isNaN(s.median()));
    s.add(new Float64Array([3, 1]), 2);
    assert.equal(s.median(), 2);
    s.add(new Float64Array([2, 9, 0]), 2); // only the first two count
    assert.equal(s.size, 4);
    assert.equal(s.median(), 2.5); // 1 2 3 9
    s.add(new Float64Array([-5]), 1);
    assert.equal(s.median(), 2); // -5 1 2 3 9
    s.add(new Float64Array([NaN]), 1);
    assert.equal(s.size, 6);
    assert.ok(Number.isNaN(s.median()));
  });

  it('should equal the selection median over 500 seeded sequences of arrivals, growing past its capacity', () => {
    const rng = runRng('sorted', 0, 0, 1);
    for (let t = 0; t < 500; t++) {
      const all: number[] = [];
      const first = Array.from({ length: Math.floor(rng() * 5) }, () => Array.from({ length: 3 }, () => rng()));
      const s = SortedValues.of(first, 3);
      for (const col of first) all.push(...col);
      for (let k = 0; k < 12; k++) {
        const m = Math.floor(rng() * 20);
        const fresh = Float64Array.from({ length: m }, () => (t % 3 === 0 ? Math.floor(rng() * 4) : rng()));
        all.push(...fresh);
        s.add(fresh, m);
        const want = median(all);
        assert.ok(Object.is(s.median(), want), `sequence ${t}, step ${k}: ${s.median()} vs ${want}`);
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
