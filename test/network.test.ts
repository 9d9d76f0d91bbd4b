import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DirectedGraph } from 'graphology';
import { runRng } from '../src/engine/rng';
import { simulate } from '../src/models/v1';
import { Network, STATUSES, type ConvictionGraph, type EdgeAttrs, type NodeAttrs, type ProposalStatus } from '../src/models/shared/network';
import { exportOf, networkValues, tinyNetwork } from './helpers/tiny';

/** 2 participants (ids 0, 1) and 2 proposals (ids 2, 3) with distinct values everywhere. */
function twoByTwo(): Network {
  return tinyNetwork({
    holdings: [100, 300],
    proposals: [
      { funds_requested: 1000, trigger: 5e5, conviction: 12, age: 3 },
      { funds_requested: 500, trigger: NaN, conviction: NaN, age: 9, status: 'active' },
    ],
    affinity: [
      [0.9, 0.6],
      [0.2, 0.1],
    ],
    tokens: [
      [70, 0],
      [30, 0],
    ],
    conviction: [
      [8, NaN],
      [4, NaN],
    ],
  });
}

/** Every write method of the API, applied once to `net`. */
const WRITES: Array<[string, (net: Network) => unknown]> = [
  ['setHoldings', (n) => n.setHoldings(0, 1)],
  ['setStatus', (n) => n.setStatus(0, 'killed')],
  ['setConviction', (n) => n.setConviction(0, 1)],
  ['setAge', (n) => n.setAge(0, 1)],
  ['setTrigger', (n) => n.setTrigger(0, 1)],
  ['setFundsRequested', (n) => n.setFundsRequested(0, 1)],
  ['setAffinity', (n) => n.setAffinity(0, 0, 0.5)],
  ['setTokens', (n) => n.setTokens(0, 0, 1)],
  ['setEdgeConviction', (n) => n.setEdgeConviction(0, 0, 1)],
  ['writableAffinity', (n) => n.writableAffinity(0)],
  ['writableTokens', (n) => n.writableTokens(0)],
  ['writableEdgeConviction', (n) => n.writableEdgeConviction(0)],
  ['addParticipant', (n) => n.addParticipant(5, () => ({ affinity: 0.5 }))],
  ['addProposal', (n) => n.addProposal({ funds_requested: 1, trigger: 1 }, () => 0.5)],
];

describe('#.Network', () => {
  it('should give node ids in creation order, shared by both kinds', () => {
    const net = new Network();
    assert.equal(net.addParticipant(10, () => ({ affinity: 0 })), 0);
    assert.equal(net.addProposal({ funds_requested: 5, trigger: 7 }, () => 0.4), 0);
    assert.equal(net.addParticipant(20, () => ({ affinity: 0.3, tokens: 6, conviction: 2 })), 1);
    assert.equal(net.addProposal({ funds_requested: 6, trigger: 8, status: 'killed', conviction: 3, age: 4 }, (i) => i + 0.1), 1);
    assert.deepEqual([net.participantId(0), net.proposalId(0), net.participantId(1), net.proposalId(1)], [0, 1, 2, 3]);
    assert.deepEqual([net.participantCount, net.proposalCount, net.nodeCount], [2, 2, 4]);
    // new proposal: candidate, conviction 0, age 0 by default; edges tokens 0, conviction 0
    assert.deepEqual([net.status(0), net.conviction(0), net.age(0), net.fundsRequested(0), net.trigger(0)], ['candidate', 0, 0, 5, 7]);
    assert.deepEqual([net.status(1), net.conviction(1), net.age(1)], ['killed', 3, 4]);
    // participant 1 arrived after proposal 0: its edge to it carries the given attributes
    assert.deepEqual([net.affinity(1, 0), net.tokens(1, 0), net.edgeConviction(1, 0)], [0.3, 6, 2]);
    assert.deepEqual([net.affinity(0, 0), net.tokens(0, 0), net.edgeConviction(0, 0)], [0.4, 0, 0]);
    assert.deepEqual([net.affinity(0, 1), net.affinity(1, 1), net.tokens(1, 1), net.edgeConviction(1, 1)], [0.1, 1.1, 0, 0]);
    assert.deepEqual(net.proposalsWithStatus('candidate'), [0]);
    assert.deepEqual(net.proposalsWithStatus('killed'), [1]);
    assert.deepEqual(net.proposalsWithStatus('active'), []);
    assert.equal(net.isCandidate(0), true);
    assert.equal(net.isCandidate(1), false);
  });

  it('should expose read-only column views of length participantCount', () => {
    const net = twoByTwo();
    assert.deepEqual([...net.affinityColumn(0)], [0.9, 0.2]);
    assert.deepEqual([...net.tokensColumn(0)], [70, 30]);
    assert.deepEqual([...net.edgeConvictionColumn(0)], [8, 4]);
  });

  it('should grow past the initial column capacities', () => {
    const net = new Network();
    for (let j = 0; j < 40; j++) net.addProposal({ funds_requested: j, trigger: j }, () => 0.5);
    for (let i = 0; i < 150; i++) net.addParticipant(i, (j) => ({ affinity: j / 100, tokens: i + j, conviction: i * j }));
    assert.equal(net.nodeCount, 190);
    for (let i = 0; i < 150; i += 7) {
      assert.equal(net.holdings(i), i);
      assert.equal(net.participantId(i), 40 + i);
      for (let j = 0; j < 40; j += 3) assert.deepEqual([net.affinity(i, j), net.tokens(i, j), net.edgeConviction(i, j)], [j / 100, i + j, i * j]);
    }
    for (let j = 0; j < 40; j++) assert.equal(net.fundsRequested(j), j);
  });
});

describe('#.Network.fork', () => {
  it('should not show writes to a fork in the parent, for every write', () => {
    for (const [name, write] of WRITES) {
      const parent = twoByTwo();
      const before = networkValues(parent);
      const child = parent.fork();
      write(child);
      if (name.startsWith('writable')) {
        // write through the returned column
        const col = (child as unknown as Record<string, (j: number) => Float64Array>)[name](1);
        col[0] = 123456;
      }
      assert.deepEqual(networkValues(parent), before, `${name} on the fork changed the parent`);
    }
  });

  it('should not show writes to the parent in a fork, for every write', () => {
    for (const [name, write] of WRITES) {
      const parent = twoByTwo();
      const child = parent.fork();
      const before = networkValues(child);
      write(parent);
      if (name.startsWith('writable')) {
        const col = (parent as unknown as Record<string, (j: number) => Float64Array>)[name](1);
        col[1] = 654321;
      }
      assert.deepEqual(networkValues(child), before, `${name} on the parent changed the fork`);
    }
  });

  it('should keep the writes a fork makes', () => {
    const child = twoByTwo().fork();
    child.setHoldings(1, 7);
    child.setStatus(1, 'failed');
    child.writableTokens(0)[1] = 99;
    assert.equal(child.holdings(1), 7);
    assert.equal(child.status(1), 'failed');
    assert.equal(child.tokens(1, 0), 99);
    assert.equal(child.holdings(0), 100);
  });

  it('should keep two forks of one parent that both append participants independent', () => {
    const parent = twoByTwo();
    const before = networkValues(parent);
    const a = parent.fork();
    const b = parent.fork();
    // a appends first (in place, past the parent's length), then b appends to the same slot index
    assert.equal(a.addParticipant(111, (j) => ({ affinity: 0.11 + j, tokens: 11 + j, conviction: 1 + j })), 2);
    assert.equal(b.addParticipant(222, (j) => ({ affinity: 0.22 + j, tokens: 22 + j, conviction: 2 + j })), 2);
    assert.equal(a.addParticipant(333, () => ({ affinity: 0.33 })), 3);
    assert.deepEqual([a.holdings(2), a.holdings(3), b.holdings(2)], [111, 333, 222]);
    assert.deepEqual([a.participantId(2), a.participantId(3), b.participantId(2)], [4, 5, 4]);
    for (const j of [0, 1]) {
      assert.deepEqual([a.affinity(2, j), a.tokens(2, j), a.edgeConviction(2, j)], [0.11 + j, 11 + j, 1 + j]);
      assert.deepEqual([b.affinity(2, j), b.tokens(2, j), b.edgeConviction(2, j)], [0.22 + j, 22 + j, 2 + j]);
      assert.deepEqual([a.affinity(3, j), a.tokens(3, j), a.edgeConviction(3, j)], [0.33, 0, 0]);
    }
    assert.equal(b.participantCount, 3);
    assert.deepEqual(networkValues(parent), before);
    // the parent can still append its own participant without touching either fork
    parent.addParticipant(444, () => ({ affinity: 0.44, tokens: 4 }));
    assert.deepEqual([a.holdings(2), b.holdings(2), parent.holdings(2)], [111, 222, 444]);
    assert.deepEqual([a.tokens(2, 0), b.tokens(2, 0), parent.tokens(2, 0)], [11, 22, 4]);
  });

  it('should share what two forks append alike (a replay), and still keep their later writes apart', () => {
    const parent = twoByTwo();
    const a = parent.fork();
    const b = parent.fork();
    const edge = (j: number) => ({ affinity: 0.5 + j, tokens: 5 + j, conviction: 1 });
    a.addParticipant(111, edge);
    const alone = Network.encodeMany([a]).data.columns.length;
    b.addParticipant(111, edge);
    // b appended exactly what a did: it shares a's columns instead of copying them.
    assert.equal(Network.encodeMany([a, b]).data.columns.length, alone);
    assert.deepEqual(networkValues(b), networkValues(a));
    // Writes after that copy, as for any shared column; so does appending something else.
    b.setHoldings(2, 999);
    b.setTokens(2, 1, 7);
    a.addParticipant(333, () => ({ affinity: 0.3 }));
    b.addParticipant(444, () => ({ affinity: 0.4 }));
    assert.deepEqual([a.holdings(2), b.holdings(2), a.tokens(2, 1), b.tokens(2, 1)], [111, 999, 6, 7]);
    assert.deepEqual([a.holdings(3), b.holdings(3), a.affinity(3, 0), b.affinity(3, 0)], [333, 444, 0.3, 0.4]);
  });

  it('should keep two forks of one parent that both append proposals independent', () => {
    const parent = twoByTwo();
    const before = networkValues(parent);
    const a = parent.fork();
    const b = parent.fork();
    assert.equal(a.addProposal({ funds_requested: 11, trigger: 1, age: 1 }, (i) => 0.1 * (i + 1)), 2);
    assert.equal(b.addProposal({ funds_requested: 22, trigger: 2, status: 'killed' }, (i) => 0.2 * (i + 1)), 2);
    assert.deepEqual([a.fundsRequested(2), a.trigger(2), a.age(2), a.status(2)], [11, 1, 1, 'candidate']);
    assert.deepEqual([b.fundsRequested(2), b.trigger(2), b.age(2), b.status(2)], [22, 2, 0, 'killed']);
    assert.deepEqual([a.affinity(0, 2), a.affinity(1, 2)], [0.1, 0.2]);
    assert.deepEqual([b.affinity(0, 2), b.affinity(1, 2)], [0.2, 0.4]);
    assert.deepEqual([a.proposalId(2), b.proposalId(2)], [4, 4]);
    // then both append participants: the new edges land on each fork's own proposal column
    a.addParticipant(5, (j) => ({ affinity: j === 2 ? 0.55 : 0.5 }));
    b.addParticipant(6, (j) => ({ affinity: j === 2 ? 0.66 : 0.6 }));
    assert.deepEqual([a.affinity(2, 2), a.affinity(2, 0), b.affinity(2, 2), b.affinity(2, 0)], [0.55, 0.5, 0.66, 0.6]);
    assert.deepEqual(networkValues(parent), before);
  });

  it('should keep forks of forks independent across appends and writes (a chain of records)', () => {
    // like the engine: each version is frozen, the next one is a fork of it, and
    // sometimes a second fork of an old version is made (a re-run from a record)
    const versions: Network[] = [twoByTwo()];
    const snapshots: number[][] = [networkValues(versions[0])];
    for (let k = 1; k <= 30; k++) {
      const prev = versions[k - 1];
      prev.freeze();
      const next = prev.fork();
      if (k % 3 === 0) next.addParticipant(k, (j) => ({ affinity: (k + j) / 100, tokens: k, conviction: j }));
      if (k % 5 === 0) next.addProposal({ funds_requested: k, trigger: k }, (i) => (i + k) / 1000);
      next.setHoldings(k % next.participantCount, -k);
      next.writableTokens(k % next.proposalCount)[0] = k * 10;
      versions.push(next);
      snapshots.push(networkValues(next));
      // a sibling of `next`, from the same frozen parent, appending to the same slots
      const sibling = prev.fork();
      sibling.addParticipant(-1, () => ({ affinity: 1, tokens: -1, conviction: -1 }));
      sibling.addProposal({ funds_requested: -1, trigger: -1 }, () => 1);
    }
    versions.forEach((v, k) => assert.deepEqual(networkValues(v), snapshots[k], `version ${k} changed`));
    assert.equal(versions[30].participantCount, 2 + 10);
    assert.equal(versions[30].proposalCount, 2 + 6);
  });

  it('should survive random interleavings of forks, appends, writes and freezes (model-based)', () => {
    // Each live network is mirrored by a plain model; after every operation every
    // live network must equal its model.
    type Q = { st: number; c: number; a: number; r: number; t: number };
    type M = { h: number[]; q: Q[]; aff: number[][]; tok: number[][]; conv: number[][] };
    const check = (net: Network, m: M, tag: string) => {
      assert.equal(net.participantCount, m.h.length, tag);
      assert.equal(net.proposalCount, m.q.length, tag);
      for (let i = 0; i < m.h.length; i++) assert.ok(Object.is(net.holdings(i), m.h[i]), `${tag}: holdings ${i}`);
      for (let j = 0; j < m.q.length; j++) {
        const q = m.q[j];
        assert.ok(
          net.status(j) === STATUSES[q.st] && Object.is(net.conviction(j), q.c) && net.age(j) === q.a && net.fundsRequested(j) === q.r && Object.is(net.trigger(j), q.t),
          `${tag}: proposal ${j}`,
        );
        for (let i = 0; i < m.h.length; i++) {
          assert.ok(
            Object.is(net.affinity(i, j), m.aff[j][i]) && Object.is(net.tokens(i, j), m.tok[j][i]) && Object.is(net.edgeConviction(i, j), m.conv[j][i]),
            `${tag}: edge ${i},${j}`,
          );
        }
      }
    };
    for (let seed = 0; seed < 60; seed++) {
      const rng = runRng('cow', 0, 0, seed);
      const ri = (n: number) => Math.floor(rng() * n);
      const live: Array<{ net: Network; m: M; frozen: boolean }> = [
        { net: new Network(), m: { h: [], q: [], aff: [], tok: [], conv: [] }, frozen: false },
      ];
      let v = 0;
      for (let step = 0; step < 250; step++) {
        const k = ri(live.length);
        const x = live[k];
        const op = ri(10);
        v++;
        if (op <= 1 || live.length < 2) {
          live.push({ net: x.net.fork(), m: structuredClone(x.m), frozen: false });
        } else if (x.frozen) {
          assert.throws(() => x.net.setHoldings(0, v), /read-only/);
          continue;
        } else if (op === 2) {
          const vals = x.m.q.map(() => [rng(), rng(), rng()]);
          x.net.addParticipant(v, (j) => ({ affinity: vals[j][0], tokens: vals[j][1], conviction: vals[j][2] }));
          x.m.h.push(v);
          vals.forEach((e, j) => {
            x.m.aff[j].push(e[0]);
            x.m.tok[j].push(e[1]);
            x.m.conv[j].push(e[2]);
          });
        } else if (op === 3) {
          const a = x.m.h.map(() => rng());
          x.net.addProposal({ funds_requested: v, trigger: v + 0.5, age: 2, conviction: 3 }, (i) => a[i]);
          x.m.q.push({ st: 0, c: 3, a: 2, r: v, t: v + 0.5 });
          x.m.aff.push(a);
          x.m.tok.push(x.m.h.map(() => 0));
          x.m.conv.push(x.m.h.map(() => 0));
        } else if (op === 4 && x.m.h.length) {
          const i = ri(x.m.h.length);
          x.net.setHoldings(i, v);
          x.m.h[i] = v;
        } else if (op === 5 && x.m.q.length) {
          const j = ri(x.m.q.length);
          const s = ri(5);
          x.net.setStatus(j, STATUSES[s]);
          x.net.setAge(j, v);
          x.m.q[j].st = s;
          x.m.q[j].a = v;
        } else if (op === 6 && x.m.q.length && x.m.h.length) {
          const j = ri(x.m.q.length);
          const i = ri(x.m.h.length);
          x.net.setTokens(i, j, v);
          x.net.setEdgeConviction(i, j, -v);
          x.net.setAffinity(i, j, v / 1000);
          x.m.tok[j][i] = v;
          x.m.conv[j][i] = -v;
          x.m.aff[j][i] = v / 1000;
        } else if (op === 7 && x.m.q.length) {
          const j = ri(x.m.q.length);
          x.net.writableTokens(j).fill(v, 0, x.m.h.length);
          x.net.writableEdgeConviction(j).fill(NaN, 0, x.m.h.length);
          x.net.setConviction(j, NaN);
          x.net.setTrigger(j, v);
          x.net.setFundsRequested(j, 2 * v);
          x.m.tok[j].fill(v);
          x.m.conv[j].fill(NaN);
          x.m.q[j].c = NaN;
          x.m.q[j].t = v;
          x.m.q[j].r = 2 * v;
        } else if (op === 8) {
          x.net.freeze();
          x.frozen = true;
        } else if (op === 9 && live.length > 25) {
          live.splice(k, 1);
        }
        live.forEach((y, z) => check(y.net, y.m, `seed ${seed} step ${step} network ${z}`));
      }
    }
  });
});

describe('#.Network.encodeMany', () => {
  it('should round-trip a chain of sharing networks, each shared column sent once', () => {
    const chain: Network[] = [twoByTwo()];
    for (let k = 1; k <= 12; k++) {
      chain[k - 1].freeze();
      const next = chain[k - 1].fork();
      if (k % 4 === 0) next.addParticipant(k, () => ({ affinity: k / 20, tokens: k }));
      if (k % 6 === 0) next.addProposal({ funds_requested: k, trigger: k }, (i) => i / 10);
      next.setHoldings(0, k);
      chain.push(next);
    }
    const { data, transfer } = Network.encodeMany(chain);
    // each network refers to 2 + 6 + 3 * nQ columns; sharing makes the distinct ones far fewer
    const refs = chain.reduce((a, n) => a + 8 + 3 * n.proposalCount, 0);
    assert.ok(data.columns.length < refs / 3, `${data.columns.length} columns for ${refs} references`);
    assert.equal(transfer.length, data.columns.length);
    const back = Network.decodeMany(structuredClone(data));
    assert.equal(back.length, chain.length);
    back.forEach((n, k) => {
      assert.deepEqual(networkValues(n), networkValues(chain[k]), `network ${k}`);
      assert.equal(n.isFrozen, true);
    });
  });

  it('should give decoded networks whose forks append and write independently', () => {
    const a = twoByTwo();
    a.freeze();
    const b = a.fork();
    b.addParticipant(7, () => ({ affinity: 0.7, tokens: 7 }));
    b.freeze();
    const [da, db] = Network.decodeMany(Network.encodeMany([a, b]).data);
    const snapA = networkValues(da);
    const snapB = networkValues(db);
    // a fork of the shorter one appends to a slot the longer one already uses
    const fa = da.fork();
    fa.addParticipant(9, () => ({ affinity: 0.9, tokens: 9, conviction: 9 }));
    fa.setHoldings(0, -1);
    fa.writableTokens(0)[1] = -2;
    const fb = db.fork();
    fb.addProposal({ funds_requested: 3, trigger: 3 }, () => 0.3);
    fb.addParticipant(8, () => ({ affinity: 0.8 }));
    assert.deepEqual(networkValues(da), snapA);
    assert.deepEqual(networkValues(db), snapB);
    assert.deepEqual([fa.holdings(2), fb.holdings(2), fb.holdings(3)], [9, 7, 8]);
    assert.deepEqual([fa.tokens(2, 0), fb.tokens(2, 0), fb.tokens(3, 0)], [9, 7, 0]);
  });
});

describe('#.Network.freeze', () => {
  it('should throw on every write once frozen', () => {
    for (const [name, write] of WRITES) {
      const net = twoByTwo();
      net.freeze();
      assert.throws(() => write(net), /stored record and read-only; fork\(\) it to change it/, name);
    }
  });

  it('should still allow reads and forks, and a fork of a frozen network is writable', () => {
    const net = twoByTwo();
    const before = networkValues(net);
    net.freeze();
    assert.equal(net.isFrozen, true);
    assert.equal(net.holdings(1), 300);
    const child = net.fork();
    assert.equal(child.isFrozen, false);
    child.setHoldings(1, 5);
    child.addParticipant(1, () => ({ affinity: 0.5 }));
    assert.deepEqual(networkValues(net), before);
  });
});

describe('#.Network.toGraph', () => {
  it('should give every §2 attribute on nodes and edges, nodes in id order', () => {
    const net = new Network();
    net.addParticipant(10, () => ({ affinity: 0 }));
    net.addProposal({ funds_requested: 5, trigger: Infinity, conviction: 2, age: 3 }, () => 0.25);
    net.addParticipant(20, () => ({ affinity: 0.75, tokens: 15, conviction: 7.5 }));
    net.addProposal({ funds_requested: 6, trigger: NaN, status: 'active', conviction: NaN, age: 9 }, () => 1);
    net.setEdgeConviction(0, 1, NaN);
    const g = net.toGraph();
    assert.deepEqual(g.nodes(), ['0', '1', '2', '3']);
    assert.deepEqual(g.getNodeAttributes('0'), { type: 'participant', holdings: 10 });
    assert.deepEqual(g.getNodeAttributes('2'), { type: 'participant', holdings: 20 });
    assert.deepEqual(g.getNodeAttributes('1'), { type: 'proposal', status: 'candidate', conviction: 2, age: 3, funds_requested: 5, trigger: Infinity });
    assert.deepEqual(g.getNodeAttributes('3'), { type: 'proposal', status: 'active', conviction: NaN, age: 9, funds_requested: 6, trigger: NaN });
    assert.equal(g.size, 4);
    assert.deepEqual(g.getEdgeAttributes('2', '1'), { type: 'support', affinity: 0.75, tokens: 15, conviction: 7.5 });
    assert.deepEqual(g.getEdgeAttributes('0', '1'), { type: 'support', affinity: 0.25, tokens: 0, conviction: 0 });
    assert.deepEqual(g.getEdgeAttributes('0', '3'), { type: 'support', affinity: 1, tokens: 0, conviction: NaN });
    assert.equal(g.type, 'directed');
  });

  it('should name edges after their ends, so two graphs of one network export identically', () => {
    const net = twoByTwo();
    const g = net.toGraph();
    assert.deepEqual(g.edges(), ['0->2', '0->3', '1->2', '1->3']);
    assert.deepEqual(g.extremities('1->3'), ['1', '3']);
    assert.deepEqual(net.toGraph().export(), net.toGraph().export());
    assert.deepEqual(net.fork().toGraph().export(), g.export());
  });

  it('should give a fresh graph: changing it changes nothing in the network', () => {
    const net = twoByTwo();
    const before = networkValues(net);
    const g = net.toGraph();
    (g as unknown as DirectedGraph).setNodeAttribute('0', 'holdings', -1);
    (g as unknown as DirectedGraph).setEdgeAttribute('0', '2', 'tokens', -1);
    g.dropNode('1');
    assert.deepEqual(networkValues(net), before);
  });
});

describe('#.Network.fromGraph', () => {
  /** The graph of twoByTwo, built by hand. */
  function handGraph(): ConvictionGraph {
    const g: ConvictionGraph = new DirectedGraph<NodeAttrs, EdgeAttrs>();
    g.addNode('0', { type: 'participant', holdings: 100 });
    g.addNode('1', { type: 'participant', holdings: 300 });
    g.addNode('2', { type: 'proposal', status: 'candidate', conviction: 12, age: 3, funds_requested: 1000, trigger: 5e5 });
    g.addNode('3', { type: 'proposal', status: 'active', conviction: NaN, age: 9, funds_requested: 500, trigger: NaN });
    const e = (s: string, t: string, affinity: number, tokens: number, conviction: number) =>
      g.addDirectedEdge(s, t, { type: 'support', affinity, tokens, conviction });
    e('0', '2', 0.9, 70, 8);
    e('1', '2', 0.2, 30, 4);
    e('0', '3', 0.6, 0, NaN);
    e('1', '3', 0.1, 0, NaN);
    return g;
  }

  it('should throw if a support edge is missing', () => {
    const g = handGraph();
    g.dropEdge('1', '3');
    assert.throws(() => Network.fromGraph(g), /missing support edge 1 -> 3 \(the graph must be complete\)/);
  });

  it('should throw if a node key is not an integer id in [0, N-1]', () => {
    for (const bad of ['p0', '4', '-1', '1.5']) {
      const g = handGraph();
      g.dropNode('1');
      g.addNode(bad, { type: 'participant', holdings: 1 });
      for (const q of ['2', '3']) g.addDirectedEdge(bad, q, { type: 'support', affinity: 0, tokens: 0, conviction: 0 });
      assert.throws(() => Network.fromGraph(g), new RegExp(`node key '${bad.replace('.', '\\.')}' must be an integer id in \\[0, 3\\]`), bad);
    }
  });

  it('should throw if a status is not one of the five', () => {
    const g = handGraph();
    (g as unknown as DirectedGraph).setNodeAttribute('3', 'status', 'pending' as ProposalStatus);
    assert.throws(() => Network.fromGraph(g), /node 3 has status 'pending', allowed: candidate, active, completed, failed, killed/);
  });

  it('should throw if a node type is unknown', () => {
    const g = handGraph();
    g.replaceNodeAttributes('1', { type: 'voter', holdings: 1 } as unknown as NodeAttrs);
    assert.throws(() => Network.fromGraph(g), /node 1 has type 'voter', allowed: participant, proposal/);
  });

  it('should throw if an edge does not go from a participant to a proposal', () => {
    const g = handGraph();
    g.addDirectedEdge('2', '0', { type: 'support', affinity: 0, tokens: 0, conviction: 0 });
    assert.throws(() => Network.fromGraph(g), /edge 2 -> 0 must go from a participant to a proposal/);
    const h = handGraph();
    h.addDirectedEdge('0', '1', { type: 'support', affinity: 0, tokens: 0, conviction: 0 });
    assert.throws(() => Network.fromGraph(h), /edge 0 -> 1 must go/);
  });

  it('should build the network the graph describes', () => {
    const net = Network.fromGraph(handGraph());
    assert.deepEqual(networkValues(net), networkValues(twoByTwo()));
  });

  it('should accept nodes added in any order', () => {
    const src = handGraph();
    const g: ConvictionGraph = new DirectedGraph<NodeAttrs, EdgeAttrs>();
    for (const k of ['3', '1', '2', '0']) g.addNode(k, src.getNodeAttributes(k));
    src.forEachEdge((_e, a, s, t) => g.addDirectedEdge(s, t, a));
    assert.deepEqual(networkValues(Network.fromGraph(g)), networkValues(twoByTwo()));
  });

  it('should round-trip through toGraph with every attribute and interleaved ids', () => {
    const net = new Network();
    net.addParticipant(10, () => ({ affinity: 0 }));
    net.addProposal({ funds_requested: 5, trigger: Infinity, conviction: 2, age: 3 }, () => 0.25);
    net.addParticipant(20, () => ({ affinity: 0.75, tokens: 15, conviction: 7.5 }));
    for (const [k, st] of STATUSES.entries()) {
      net.addProposal({ funds_requested: 100 + k, trigger: k === 0 ? 1e6 : NaN, status: st, conviction: k === 1 ? NaN : k, age: k }, (i) => (i + k) / 10);
    }
    net.addParticipant(30, (j) => ({ affinity: j / 7, tokens: j * 3, conviction: j === 2 ? NaN : j }));
    const back = Network.fromGraph(net.toGraph());
    assert.deepEqual(networkValues(back), networkValues(net));
    assert.deepEqual(exportOf(back), exportOf(net));
    // and the rebuilt network is a working, writable network
    back.setHoldings(0, 1);
    assert.equal(net.holdings(0), 10);
  });

  it('should round-trip a network the model produced', () => {
    const res = simulate({ timesteps: 30, seed: 'round', params: { rho: 0.002 } });
    for (const rec of res.results[0].records.filter((r) => r.timestep % 10 === 0)) {
      assert.deepEqual(networkValues(Network.fromGraph(rec.network.toGraph())), networkValues(rec.network));
    }
  });
});

describe('#.Network.ownColumns', () => {
  it('should throw if the network is a frozen record', () => {
    const net = twoByTwo();
    net.freeze();
    assert.throws(() => net.ownColumns({ holdings: true }), /network: this network is a stored record and read-only/);
  });

  it('should copy the named columns into one buffer, leaving the parent and its values untouched', () => {
    const parent = twoByTwo();
    const before = networkValues(parent);
    const child = parent.fork();
    child.ownColumns({ holdings: true, proposal: ['conviction', 'age'], tokens: [0, 1], edgeConviction: [1] });
    assert.deepEqual(networkValues(child), before, 'owning changes no value');
    // Writes land in the child only, through every kind of column owned.
    child.setHoldings(0, 1);
    child.setConviction(1, 2);
    child.setAge(0, 3);
    child.writableTokens(1)[0] = 4;
    child.writableEdgeConviction(1)[1] = 5;
    assert.deepEqual(networkValues(parent), before);
    assert.deepEqual(
      [child.holdings(0), child.conviction(1), child.age(0), child.tokens(0, 1), child.edgeConviction(1, 1)],
      [1, 2, 3, 4, 5],
    );
    // The owned columns share one buffer (the point of the method).
    assert.equal(child.tokensColumn(0).buffer, child.tokensColumn(1).buffer);
    assert.equal(child.tokensColumn(0).buffer, child.edgeConvictionColumn(1).buffer);
  });

  it('should let owned columns grow when participants and proposals arrive, without touching the parent', () => {
    const parent = twoByTwo();
    const before = networkValues(parent);
    const child = parent.fork();
    child.ownColumns({ holdings: true, tokens: [0, 1], edgeConviction: [0, 1], proposal: ['status', 'trigger'] });
    for (let k = 0; k < 20; k++) child.addParticipant(100 + k, (j) => ({ affinity: 0.5, tokens: j + k, conviction: 0 }));
    child.addProposal({ funds_requested: 9, trigger: 1 }, () => 0.25);
    assert.equal(child.participantCount, 22);
    assert.equal(child.proposalCount, 3);
    assert.equal(child.holdings(21), 119);
    assert.equal(child.tokens(21, 1), 20);
    assert.equal(child.affinity(21, 2), 0.25);
    assert.equal(child.status(2), 'candidate');
    assert.deepEqual(networkValues(parent), before);
  });
});

/** Three participants with own sentiments, two proposals, influence 0→1, 0→2, 2→0 and conflict 1→0. */
function linked(): Network {
  const net = new Network();
  [10, 20, 30].forEach((h, i) => net.addParticipant(h, () => ({ affinity: 0 }), i / 10));
  net.addProposal({ funds_requested: 5, trigger: 1 }, (i) => i / 4);
  net.addProposal({ funds_requested: 6, trigger: 2 }, (i) => -i / 4);
  net.setLink('influence', 0, 1, 5);
  net.setLink('influence', 0, 2, 6);
  net.setLink('influence', 2, 0, 7);
  net.setLink('conflict', 1, 0, 0.9);
  return net;
}

describe('#.Network.setLink', () => {
  it('should create a link, and overwrite its value in place without adding one', () => {
    const net = linked();
    assert.equal(net.linkCount('influence'), 3);
    net.setLink('influence', 0, 1, 8);
    assert.equal(net.linkCount('influence'), 3);
    assert.equal(net.link('influence', 0, 1), 8);
    // An overwrite keeps the link's place among its source's links (the order a boost sums in).
    assert.deepEqual([...net.linksFrom('influence', 0)], [[1, 8], [2, 6]]);
    assert.equal(net.link('conflict', 0, 1), undefined);
    assert.equal(net.linksFrom('influence', 1).size, 0);
  });

  it('should refuse a self-link or an index out of range, naming the kind and the range', () => {
    const net = linked();
    assert.throws(() => net.setLink('influence', 1, 1, 5), /network\.setLink: influence link 1 -> 1 needs two different indices in \[0, 2\]/);
    assert.throws(() => net.setLink('conflict', 0, 2, 0.8), /conflict link 0 -> 2 needs two different indices in \[0, 1\]/);
  });

  it('should copy links on the first write after a fork, leaving the other version unchanged', () => {
    const a = linked();
    const b = a.fork();
    b.setLink('influence', 1, 2, 9);
    a.setLink('conflict', 0, 1, 0.8);
    assert.equal(a.link('influence', 1, 2), undefined);
    assert.equal(b.link('influence', 1, 2), 9);
    assert.equal(b.link('conflict', 0, 1), undefined);
    assert.equal(a.linkCount('influence'), 3);
    assert.equal(b.linkCount('influence'), 4);
  });

  it('should refuse writes to a frozen network', () => {
    const net = linked();
    net.freeze();
    assert.throws(() => net.setLink('influence', 1, 0, 5), /read-only/);
  });
});

describe('#.Network links across threads and graphs', () => {
  it('should carry sentiment and links through encodeMany/decodeMany', () => {
    const net = linked();
    const [back] = Network.decodeMany(Network.encodeMany([net]).data);
    assert.deepEqual([0, 1, 2].map((i) => back.participantSentiment(i)), [0, 0.1, 0.2]);
    assert.deepEqual([...back.linksFrom('influence', 0)], [[1, 5], [2, 6]]);
    assert.equal(back.link('conflict', 1, 0), 0.9);
    assert.equal(back.linkCount('influence'), 3);
  });

  it('should give a typed graph with support, influence and conflict edges, and rebuild the same network from it', () => {
    const net = linked();
    const g = net.toGraph();
    assert.equal(g.size, 3 * 2 + 3 + 1);
    assert.deepEqual(g.getEdgeAttributes('0->1'), { type: 'influence', influence: 5 });
    assert.deepEqual(g.getEdgeAttributes('4->3'), { type: 'conflict', conflict: 0.9 });
    assert.equal(g.getEdgeAttributes('1->3').type, 'support');
    assert.deepEqual(g.getNodeAttributes('2'), { type: 'participant', holdings: 30, sentiment: 0.2 });
    const back = Network.fromGraph(g);
    assert.deepEqual(back.toGraph().export(), g.export());
  });

  it('should leave v1 participants without a sentiment attribute', () => {
    const g = twoByTwo().toGraph();
    assert.deepEqual(Object.keys(g.getNodeAttributes('0')).sort(), ['holdings', 'type']);
  });
});
