import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { influenceNetwork } from '../src/figures/influence';
import { springLayout } from '../src/figures/layout';
import { simulateV3 } from '../src/models/v3';

describe('#.springLayout', () => {
  it('should be the same for the same seed, inside [−1, 1]², and differ for another seed', () => {
    const edges = [{ source: 0, target: 1 }, { source: 1, target: 2 }];
    const a = springLayout(4, edges, { seed: 3 });
    assert.deepEqual(springLayout(4, edges, { seed: 3 }), a);
    assert.notDeepEqual(springLayout(4, edges, { seed: 4 }), a);
    for (const [x, y] of a) assert.ok(Math.abs(x) <= 1 + 1e-12 && Math.abs(y) <= 1 + 1e-12);
    assert.ok(a.some(([x, y]) => Math.abs(x) > 0.999 || Math.abs(y) > 0.999), 'scaled to the frame');
  });

  it('should pull linked nodes together: two cliques of five lie apart', () => {
    const edges = [];
    for (const base of [0, 5]) for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) edges.push({ source: base + i, target: base + j });
    const pos = springLayout(10, edges, { seed: 1 });
    const d = (i: number, j: number) => Math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]);
    let inside = 0;
    let across = 0;
    for (let i = 0; i < 10; i++) {
      for (let j = i + 1; j < 10; j++) {
        if ((i < 5) === (j < 5)) inside += d(i, j) / 20;
        else across += d(i, j) / 25;
      }
    }
    assert.ok(inside < across / 2, `inside ${inside} vs across ${across}`);
  });

  it('should refuse sizes and iterations out of range, naming them', () => {
    assert.throws(() => springLayout(1e9, []), /springLayout: n must be an integer in \[0, 100000\]/);
    assert.throws(() => springLayout(3, [], { iterations: 1e6 }), /iterations must be an integer in \[0, 1000\]/);
    assert.throws(() => springLayout(3, [{ source: 0, target: 5 }]), /edge 0 -> 5 needs node indices in \[0, 2\]/);
  });
});

describe('#.influenceNetwork', () => {
  it('should draw every participant and one segment per influence link of a v3 genesis', () => {
    const g = simulateV3({ seed: 1, rng: 'numpy', timesteps: 1 }).results[0].records[0].network;
    const fig = influenceNetwork(g);
    const [lines, points] = fig.data as Array<{ x: unknown[] }>;
    assert.equal(points.x.length, g.participantCount);
    assert.equal(lines.x.length, 3 * g.linkCount('influence'));
    assert.match(JSON.stringify(fig.layout), /105 links/);
  });
});
