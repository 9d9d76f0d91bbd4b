/**
 * Trigger and conviction-growth figures (src/figures/trigger.ts): the values
 * they plot against hand-worked numbers of MODEL_SPEC §5 and the conviction
 * recursion, and the lines they draw (the numbers themselves: test/series.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alphaComparison, convictionGrowth, rhoBetaEffect, triggerSurface, type Trace } from '../src/figures';
import { DEFAULT_PARAMS } from '../src/models/v1/params';
import { assertClose } from './helpers/tiny';

/** supply 1e6, beta 0.2, rho 0.02: rho·supply = 20000. */
const P = { supply: 1e6, beta: 0.2, rho: 0.02, initial_funds: 10000 };

const traceNamed = (data: Trace[], prefix: string): Trace => {
  const t = data.find((d) => String(d.name).startsWith(prefix));
  assert.ok(t, `no trace named ${prefix}…; have ${data.map((d) => d.name).join(' | ')}`);
  return t;
};

describe('#.triggerSurface', () => {
  it('should colour log10 of the trigger, leave infinite cells blank, and draw the share = beta ray', () => {
    const fig = triggerSurface(P, { requested: [0, 1000, 2000], funds: [10000, 20000] });
    const contour = fig.data[0];
    assert.equal(contour.type, 'contour');
    const z = contour.z as Array<Array<number | null>>;
    // log10(500000) = 5.69897, log10(2e6) = 6.30103
    assert.equal(z[0][0], 5.699);
    assert.equal(z[0][1], 6.301);
    assert.equal(z[0][2], null);
    // colours start at the zero-request trigger and span 2 decades by default
    assertClose(contour.zmin as number, Math.log10(500000), 1e-12, 'zmin');
    assertClose(contour.zmax as number, Math.log10(500000) + 2, 1e-12, 'zmax');
    // the boundary requested = 0.2 × funds, clipped to the grid: from (0, 0) to (2000, 10000)
    const ray = traceNamed(fig.data, 'share = β');
    assert.deepEqual(ray.x, [0, 2000]);
    assert.deepEqual(ray.y, [0, 10000]);
    assert.match(String((contour.text as string[][])[0][2]), /never/);
  });

  it('should default to the model parameters and a grid up to beta × the largest funds', () => {
    const fig = triggerSurface();
    const c = fig.data[0];
    const x = c.x as number[];
    const y = c.y as number[];
    assert.equal(x.length, 61);
    assert.equal(y.length, 41);
    assert.equal(y[0], round2(DEFAULT_PARAMS.initial_funds / 4));
    assert.equal(y[40], round2(2 * DEFAULT_PARAMS.initial_funds));
    assert.equal(x[60], round2(DEFAULT_PARAMS.beta * 2 * DEFAULT_PARAMS.initial_funds));
  });

  it('should offer a 3D surface', () => {
    const fig = triggerSurface(P, { requested: [0, 1000], funds: [10000] }, { kind: 'surface' });
    assert.equal(fig.data[0].type, 'surface');
    assert.ok('scene' in fig.layout);
  });
});

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

describe('#.convictionGrowth', () => {
  it('should draw the closed form, the recursion, the asymptote, the threshold and the passing step', () => {
    const fig = convictionGrowth({ x: 100, alpha: 0.5, steps: 4, threshold: 160 });
    assert.deepEqual(traceNamed(fig.data, 'closed form').y, [0, 100, 150, 175, 187.5]);
    assert.deepEqual(traceNamed(fig.data, 'recursion').y, [0, 100, 150, 175, 187.5]);
    assert.deepEqual(traceNamed(fig.data, 'asymptote').y, [200, 200]);
    assert.deepEqual(traceNamed(fig.data, 'threshold').y, [160, 160]);
    const pass = traceNamed(fig.data, 'passes after 3 steps');
    assert.deepEqual(pass.x, [3]);
    assert.deepEqual(pass.y, [175]);
  });

  it('should say when the threshold is never passed', () => {
    const fig = convictionGrowth({ x: 100, alpha: 0.5, steps: 4, threshold: 300 });
    assert.equal(fig.data.some((d) => String(d.name).startsWith('passes')), false);
    const ann = (fig.layout.annotations as Array<{ text: string }>)[0];
    assert.match(ann.text, /never passes/);
  });
});

describe('#.alphaComparison', () => {
  it('should plot each alpha with its own asymptote', () => {
    // x = 10: alpha 0 -> 0, 10, 10 (max 10); alpha 0.5 -> 0, 10, 15 (max 20)
    const fig = alphaComparison({ x: 10, alphas: [0, 0.5], steps: 2 });
    assert.deepEqual(traceNamed(fig.data, 'α = 0:').y, [0, 10, 10]);
    assert.deepEqual(traceNamed(fig.data, 'α = 0.5:').y, [0, 10, 15]);
    const maxes = fig.data.filter((d) => String(d.name).startsWith('max'));
    assert.deepEqual(
      maxes.map((d) => (d.y as number[])[0]),
      [10, 20],
    );
  });

  it('should normalise to the asymptote: 1 − alpha^t', () => {
    // alpha 0.5: 0, 0.5, 0.75
    const fig = alphaComparison({ x: 10, alphas: [0.5], steps: 2, normalise: true });
    assert.deepEqual(fig.data[0].y, [0, 0.5, 0.75]);
    assert.equal(fig.data.length, 1);
  });
});

describe('#.rhoBetaEffect', () => {
  it('should plot the trigger against the share for each rho (left) and each beta (right)', () => {
    // supply 1e6, share 0: rho 0.01, beta 0.2 -> 10000/0.04 = 250000; rho 0.02, beta 0.4 -> 20000/0.16 = 125000
    const fig = rhoBetaEffect({ supply: 1e6, rhos: [0.01], betas: [0.4], beta: 0.2, rho: 0.02, points: 5 });
    const left = traceNamed(fig.data, 'ρ = 0.01');
    const right = traceNamed(fig.data, 'β = 0.4');
    // left: shares 0, 0.05, 0.1, 0.15, 0.2 (up to its beta 0.2); 10000/0.0225, 10000/0.01, 10000/0.0025; infinite at 0.2
    assert.deepEqual(left.x, [0, 0.05, 0.1, 0.15, 0.2]);
    assert.deepEqual(left.y, [250000, 444444, 1000000, 4000000, null]);
    // right: shares 0, 0.1, 0.2, 0.3, 0.4 (up to the largest beta); 20000/0.09, 20000/0.04, 20000/0.01; infinite at 0.4
    assert.deepEqual(right.x, [0, 0.1, 0.2, 0.3, 0.4]);
    assert.deepEqual(right.y, [125000, 222222, 500000, 2000000, null]);
    assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [0, 0.2]);
    assert.notEqual((left.line as { color: string }).color, (right.line as { color: string }).color);
    assert.equal(right.xaxis, 'x2');
    assert.equal((fig.layout.yaxis as { type: string }).type, 'log');
  });

  it('should draw the reach line in both panels, in the legend once', () => {
    const fig = rhoBetaEffect({ reach: { value: 1e5, label: 'community max' } });
    const lines = fig.data.filter((d) => d.name === 'community max');
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((d) => d.showlegend),
      [true, false],
    );
  });
});

describe('checks before any work', () => {
  it('should bound grids, steps and points, naming the function and the argument', () => {
    const big = Array.from({ length: 1000 }, (_, k) => k + 1);
    assert.throws(() => triggerSurface(P, { requested: big, funds: big }), /^RangeError: triggerSurface: the grid has 1000 × 1000 cells; at most 250000$/);
    assert.throws(() => triggerSurface(P, { funds: 'x' as never }), /^TypeError: triggerSurface: grid.funds must be an array of numbers, got string$/);
    assert.throws(() => triggerSurface(P, { funds: [1, NaN] }), /^RangeError: triggerSurface: grid.funds\[1\] must be finite, got NaN$/);
    assert.throws(() => triggerSurface({ rho: '0.1' } as never), /^TypeError: triggerSurface: params.rho must be a number, got string$/);
    assert.throws(() => triggerSurface(P, {}, { kind: 'pie' as never }), /^RangeError: triggerSurface: options.kind must be 'contour' or 'surface', got pie$/);
    assert.throws(() => convictionGrowth({ x: 1, alpha: 0.5, steps: 1e8 }), /^RangeError: convictionSeries: steps must be an integer in \[1, 100000\], got 100000000$/);
    assert.throws(() => alphaComparison({ x: 1, alphas: new Array(100).fill(0.5), steps: 3 }), /^RangeError: alphaComparison: args.alphas must hold 1 to 24 numbers, got 100$/);
    assert.throws(() => alphaComparison({ x: 1, alphas: [0.5], steps: 1e9 }), /^RangeError: alphaComparison: args.steps must be an integer in \[1, 100000\]/);
    assert.throws(() => rhoBetaEffect({ points: 1e9 }), /^RangeError: rhoBetaEffect: args.points must be an integer in \[2, 10000\], got 1000000000$/);
    assert.throws(() => rhoBetaEffect({ reach: { value: 1, label: 5 } } as never), /^TypeError: rhoBetaEffect: args.reach.label must be a string, got number$/);
    assert.throws(() => convictionGrowth({ x: 1, alpha: 0.5, steps: 3 }, { title: {} } as never), /^TypeError: convictionGrowth: options.title must be a string, got object$/);
  });
});
