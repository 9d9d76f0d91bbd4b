/**
 * User text cannot become markup in a figure. An `<img onerror>` payload (with
 * `<b>` and `</script>` beside it) goes through every user-facing string of
 * every figure builder (titles, subtitles, trace and group names, axis titles
 * built from parameter or column names, panel headings, hover text) and through
 * `writeFigureHtml`'s page title. Each figure is written as a standalone page,
 * served to headless Chromium (playwright-core, the system browser) and hovered;
 * nothing may run, no image may be requested, and the payload must show as the
 * literal text it is (escaped, not dropped). A control page with the raw payload
 * proves the detectors catch what they look for.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { metricBands, sweepSummary, type RunInput } from '../src/analysis';
import { figureHtml, writeFigureHtml } from '../src/display/plotly';
import type { MetricRow } from '../src/engine/core';
import {
  abFigure,
  affinityHeatmap,
  alphaComparison,
  bandsFigure,
  bandTraces,
  convictionGrowth,
  convictionShareQuantiles,
  fundsRequestedBar,
  holdingsHistogram,
  networkSnapshot,
  networkSnapshotSlider,
  panelsFigure,
  quantilePlot,
  rhoBetaEffect,
  statusCounts,
  statusFunds,
  sweepFigure,
  triggerSurface,
  type Figure,
} from '../src/figures';
import { simulate } from '../src/models/v1';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p): p is string => Boolean(p) && fs.existsSync(p as string),
);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** The payload: an image whose error handler would set a flag, bold markup, and a script end tag. */
const P = '<img src=x onerror=window.__pwned=1></script><b>bold</b>';
/** The origin the pages are served from (by the route handler; nothing listens there). */
const ORIGIN = 'http://figures.test';

// ---- the figures, with the payload in every user-facing string ---------------------------

const records = simulate({ seed: 3, timesteps: 4 }).results[0].records;
const net = records[records.length - 1].network;
const metricRow = (simulation: number, subset: number, run: number, timestep: number, v: number): MetricRow => ({
  simulation,
  subset,
  run,
  substep: timestep === 0 ? 0 : 4,
  timestep,
  funds: v,
  candidate_count: v,
  active_count: 0,
  completed_count: v > 2 ? 1 : 0,
  failed_count: 0,
  killed_count: 0,
  max_conviction_share_of_trigger: v / 10,
});
/** Two parameter sets whose only parameter is named (and valued) by the payload. */
const runs: RunInput[] = [0, 1].flatMap((subset) => [1, 2, 3].map((run) => ({ simulation: 0, subset, run, metrics: [0, 1, 2].map((t) => metricRow(0, subset, run, t, run + t + subset)) })));
const experiment = { results: runs, params: [[{ [P]: `${P}-a` }, { [P]: `${P}-b` }]] };
const numericSweep = { results: runs, params: [[{ [P]: 0.1 }, { [P]: 0.2 }]] };
const bands = metricBands(experiment, 'funds', { name: P });
/** CLI-like rows: a swept column named like the payload, valued by it, per subset. */
const rows = runs.flatMap((r) =>
  r.metrics.map((m) => {
    const v = Number(m.funds);
    const funds = { candidate_funds: v, active_funds: 0, completed_funds: 0, killed_funds: 0, failed_funds: 0 };
    return { ...m, ...funds, [P]: `${P}-${r.subset}`, conviction_share_of_trigger: [v / 10], [`${P}col`]: [v] };
  }),
);

const FIGURES: Array<[string, () => Figure]> = [
  ['holdingsHistogram', () => holdingsHistogram(net, { title: P })],
  ['fundsRequestedBar', () => fundsRequestedBar(net, { title: P })],
  ['affinityHeatmap', () => affinityHeatmap(net, { title: P })],
  ['statusCounts (names)', () => statusCounts(rows, { title: P, names: [P, `${P}2`] })],
  ['statusFunds (swept column labels)', () => statusFunds(rows.map((r) => ({ ...r, rho: r[P] })))],
  ['quantilePlot (column name)', () => quantilePlot(rows, `${P}col`)],
  ['convictionShareQuantiles', () => convictionShareQuantiles(rows, { title: P, names: [P, `${P}2`] })],
  ['networkSnapshot', () => networkSnapshot(net, { title: P, subtitle: P, timestep: 4 })],
  ['networkSnapshotSlider', () => networkSnapshotSlider(records, [1, 2], { title: P })],
  ['bandsFigure (metric and group labels)', () => bandsFigure(bands, { yTitle: P })],
  ['bandsFigure (names, title)', () => bandsFigure(bands, { title: P, names: [P, P] })],
  ['bandTraces (names)', () => ({ data: bandTraces(bands, { names: [P, `${P}2`] }), layout: {} })],
  ['panelsFigure', () => panelsFigure([{ bands, title: P, yTitle: P }, { bands }], { title: P, names: [P, `${P}2`] })],
  ['abFigure', () => abFigure({ funds: bands }, { names: [P, `${P}2`], panels: [{ metric: 'funds', title: P }] })],
  ['abFigure (default labels)', () => abFigure({ funds: bands }, { panels: [{ metric: 'funds' }] })],
  ['sweepFigure (parameter name, labels)', () => sweepFigure(sweepSummary(numericSweep), { title: P })],
  ['sweepFigure (default title)', () => sweepFigure(sweepSummary(numericSweep))],
  ['triggerSurface', () => triggerSurface({}, {}, { title: P })],
  ['convictionGrowth', () => convictionGrowth({ x: 100, alpha: 0.5, steps: 5, threshold: 150 }, { title: P })],
  ['alphaComparison', () => alphaComparison({ x: 100, alphas: [0.5, 0.9], steps: 5, title: P })],
  ['rhoBetaEffect', () => rhoBetaEffect({ title: P, reach: { value: 1e6, label: P } })],
];

/** Every string of a figure's JSON. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

describe('user text in figures: escaped in the JSON', () => {
  for (const [name, build] of FIGURES) {
    it(`${name}: the payload reaches the figure only escaped`, () => {
      const all = strings(build());
      const carrying = all.filter((s) => s.includes('onerror'));
      assert.ok(carrying.length > 0, 'the payload should reach the figure');
      for (const s of carrying) assert.ok(!/<img|<\/script|<b>bold/i.test(s), `unescaped: ${s}`);
    });
  }
});

describe('user text in figures: inert in Chromium', () => {
  let browser: Browser | undefined;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-safety-'));
    if (CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Visit {
    pwned: unknown;
    requests: string[];
    errors: string[];
    images: number;
    title: string;
    /** Per figure div: its rendered text plus the text of the hover label of each trace's first point. */
    texts: string[];
  }

  /** Serves `html` at ORIGIN, waits for every figure (or the control), hovers every trace; reports what ran, was requested and is shown. */
  async function visit(html: string): Promise<Visit> {
    assert.ok(browser, 'no Chromium: sudo apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)');
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === `${ORIGIN}/figure.html`) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      if (url.startsWith('data:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    try {
      await page.goto(`${ORIGIN}/figure.html`, { waitUntil: 'load', timeout: 120_000 });
      await page.waitForFunction(
        () => document.querySelector('.cv-control') || [...document.querySelectorAll('.cv-plotly-figure')].every((d) => d.querySelector('.main-svg')),
        undefined,
        { timeout: 120_000 },
      );
      const texts = await page.evaluate(() => {
        type Fx = { hover(gd: Element, pts: object[], subplot: string): void; unhover(gd: Element): void };
        const plotly = (window as unknown as { Plotly?: { Fx: Fx } }).Plotly;
        return [...document.querySelectorAll('.js-plotly-plot')].map((el) => {
          const gd = el as Element & { data?: Array<Record<string, string>> };
          let text = gd.textContent ?? '';
          (gd.data ?? []).forEach((t, k) => {
            try {
              plotly?.Fx.hover(gd, [{ curveNumber: k, pointNumber: 0 }], `${t.xaxis ?? 'x'}${t.yaxis ?? 'y'}`);
              text += gd.querySelector('.hoverlayer')?.textContent ?? '';
              plotly?.Fx.unhover(gd);
            } catch {
              // a trace without hover, or a 3D scene: nothing to collect
            }
          });
          return text;
        });
      });
      await page.waitForTimeout(200); // a late onerror would have fired by now
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        images: document.querySelectorAll('img').length,
        title: document.title,
      }));
      return { ...state, texts, requests, errors };
    } finally {
      await context.close();
    }
  }

  it('control: the raw payload in a page runs and requests its image (the detectors work)', async () => {
    const r = await visit(`<!DOCTYPE html><html><head><title>control</title></head><body><div class="cv-control">${P}</div></body></html>`);
    assert.equal(r.pwned, 1);
    assert.equal(r.images, 1);
    assert.deepEqual(r.requests, [`${ORIGIN}/x`]);
  });

  it('writeFigureHtml: the page title and the figure title stay text', { timeout: 300_000 }, async () => {
    const file = writeFigureHtml(holdingsHistogram(net, { title: P }), path.join(dir, 'titled.html'), { title: P });
    const r = await visit(fs.readFileSync(file, 'utf8'));
    assert.deepEqual([r.pwned, r.images, r.requests, r.errors], [undefined, 0, [], []]);
    assert.equal(r.title, P);
    assert.ok(r.texts[0].includes(P));
  });

  it('every figure builder: nothing runs, no image is requested, each payload shows as text', { timeout: 600_000 }, async () => {
    // One page with every figure, each by figureHtml (what writeFigureHtml and the notebooks embed): plotly.js loads once.
    const body = FIGURES.map(([, build], k) => figureHtml(build(), { includePlotly: k === 0, id: `fig-${k}` })).join('\n');
    const r = await visit(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>figures</title></head><body>${body}</body></html>`);
    assert.deepEqual([r.pwned, r.images, r.requests, r.errors], [undefined, 0, [], []], 'ran, made an image, requested something, or threw');
    assert.equal(r.texts.length, FIGURES.length);
    // Shown as typed: were it markup, plotly would have turned <b>bold</b> into a bold "bold".
    const hidden = FIGURES.map(([name], k) => [name, r.texts[k]] as const).filter(([, text]) => !text.includes(P));
    assert.deepEqual(hidden.map(([name, text]) => `${name}: ${text.slice(0, 300)}`), [], 'figures where the payload is not shown literally');
  });
});
