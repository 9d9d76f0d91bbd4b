import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupResponse, noisyInput, stepResponse } from '../src/analysis/alpha';
import { parameterTableV3, reachTable } from '../src/analysis/compare';
import { groupResponseFigure, halfLifeFigure, noisyResponseFigure, stepResponseFigure } from '../src/figures/alpha';

const sub = (f: { layout: Record<string, unknown> }) => (f.layout.title as { subtitle?: { text: string } }).subtitle?.text ?? '';

describe('deriving-alpha figures', () => {
  it('halfLifeFigure marks v1 (0.5 at 1 day) and v3 (0.7937 at 3 days)', () => {
    const f = halfLifeFigure();
    assert.deepEqual([f.data[1].x, f.data[1].y], [[1], [0.5]]);
    assert.deepEqual([f.data[2].x, f.data[2].y], [[3], [0.7937]]);
    assert.throws(() => halfLifeFigure(0), /^RangeError: halfLifeFigure: maxDays must be a number in \[1, 1000\]/);
  });

  it('stepResponseFigure: with x = 1, alpha = 0.5 the recursion reaches 1.5 at t = 2 and halves after the step down', () => {
    const r = stepResponse({ x: 1, alpha: 0.5, until: 2, steps: 4 });
    const f = stepResponseFigure(r, { alpha: 0.5 });
    assert.deepEqual(f.data[2].y, [0, 1, 1.5, 0.75, 0.375]);
    assert.deepEqual(f.data[1].y, [0, 1, 1.5, 0.75, 0.375]);
    assert.match(sub(f), /^alpha = 0.5, 4 steps; largest \|recursion − closed form\| = 0.0e\+0$/);
    assert.throws(() => stepResponseFigure({} as never), /^TypeError: stepResponseFigure: response must be a stepResponse/);
  });

  it('noisyResponseFigure draws the steady level mean/(1 − alpha)', () => {
    const input = noisyInput({ steps: 50, mean: 10, sd: 3, seed: 1 });
    const f = noisyResponseFigure(input, 0.8);
    const mean = input.reduce((a, b) => a + b, 0) / 50;
    assert.equal((f.data[2].y as number[])[0], Math.round((mean / 0.2) * 1e4) / 1e4);
    assert.equal((f.data[1].y as number[]).length, 51);
    assert.throws(() => noisyResponseFigure([], 0.8), /noisyResponseFigure: input must be a non-empty array/);
  });

  it('groupResponseFigure: one and three participants, a line per edge plus total and summed response', () => {
    const one = groupResponse([[1, 1, 0]], 0.5);
    const three = groupResponse([[1, 0, 0], [0, 2, 0], [1, 1, 1]], 0.5);
    const f = groupResponseFigure([one, three], { names: ['A <i>', 'B'] });
    assert.equal(f.data.length, 1 + 2 + 3 + 2);
    assert.equal(f.data[0].name, 'A &#60;i&#62;: participant 1');
    assert.deepEqual(f.data[6].y, [0, 2, 4, 3]);
    assert.equal((f.layout.title as { text: string }).text, 'Conviction of 2 proposals, 1 and 3 participants');
    assert.throws(() => groupResponseFigure([one], { names: ['a', 'b'] }), /groupResponseFigure: options.names has 2 names for 1 proposals/);
  });
});

describe('v3 tables', () => {
  it('parameterTableV3 lists every v3 parameter from its declaration, overrides applied and validated', () => {
    const rows = parameterTableV3({ rho: 0.001 });
    assert.equal(rows.length, 16);
    const rho = rows.find((r) => r.parameter === 'rho')!;
    assert.deepEqual([rho.value, rho.default], [0.001, 0.0025]);
    assert.throws(() => parameterTableV3({ rho: 2 }), /params: rho/);
  });

  it('reachTable puts the two models side by side: v3 needs about an eighth of v1\'s share of the reachable conviction', () => {
    const rows = reachTable();
    const row = rows.find((r) => r.quantity === 'trigger / largest reachable conviction')!;
    assert.equal(row.v1, 0.3078);
    assert.equal(row.v3, 0.03913);
    assert.equal(rows.find((r) => String(r.quantity).startsWith('half-life'))!.v3, 3);
  });
});

describe('bandsAcross and passTable', () => {
  it('puts a v1 and a v3 experiment side by side, in order, and summarises their passes', async () => {
    const { simulate } = await import('../src/models/v1');
    const { simulateV3 } = await import('../src/models/v3');
    const { SCALAR_METRICS } = await import('../src/analysis/metrics');
    const { SCALAR_METRICS_V3 } = await import('../src/analysis/metrics-v3');
    const { bandsAcross, passTable } = await import('../src/analysis/compare');
    const v1 = simulate({ seed: 3, runs: 3, timesteps: 8, keep: 'metrics', metrics: SCALAR_METRICS });
    const v3 = simulateV3({ seed: 3, runs: 3, timesteps: 8, keep: 'metrics', metrics: SCALAR_METRICS_V3 });
    const bands = bandsAcross([v1, v3], 'participant_count');
    assert.equal(bands.length, 2);
    // Genesis: 60 participants in every v1 run, 30 in every v3 run.
    assert.equal(bands[0].quantiles[2][0], 60);
    assert.equal(bands[1].quantiles[2][0], 30);
    const rows = passTable({ v1: v1, v3: v3 });
    assert.deepEqual(rows.map((r) => [r.name, r.runs]), [['v1', 3], ['v3', 3]]);
    // v1 cannot pass before tmin = 7 days and needs far more conviction: nothing by day 8.
    assert.equal(rows[0]['runs with a pass'], 0);
    assert.equal(rows[0]['passed at T (mean ± sd)'], '0.0 ± 0.0');
    assert.throws(() => bandsAcross([], 'funds'), /^TypeError: bandsAcross: experiments must be a non-empty array/);
  });
});
