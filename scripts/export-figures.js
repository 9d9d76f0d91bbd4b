#!/usr/bin/env node
'use strict';
/**
 * `npm run figures`: the nine documented figures (MODEL_SPEC §9) of the lab
 * notebook's run (seed 107) as PNG files in docs/figures/, and the twenty v3
 * figures (MODEL_SPEC_V3 §9) of the v3 notebook's run (the original's seed-1 run:
 * numpy generator, seed 1) in docs/figures/v3/, rendered by headless Chromium
 * (Debian's; never a downloaded browser) from the same plotly JSON the notebooks show.
 *   node scripts/export-figures.js [--seed S] [--v3-seed S] [--out DIR] [--no-build]
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const seedText = opt('--seed', '107');
const seed = /^-?\d+$/.test(seedText) ? Number(seedText) : seedText;
const outDir = path.resolve(opt('--out', path.join(ROOT, 'docs', 'figures')));
const v3SeedText = opt('--v3-seed', '1');
if (!/^\d+$/.test(v3SeedText)) {
  console.error(`figures: --v3-seed must be an integer ≥ 0 (numpy's seed), got ${v3SeedText}`);
  process.exit(2);
}
async function main() {
  if (!args.includes('--no-build')) {
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  // The project's Chromium lookup and flags, as the notebooks' static images use them.
  const { chromiumPath, CHROMIUM_ARGS } = require(path.join(ROOT, 'dist', 'display', 'static-image.js'));
  const CHROMIUM = chromiumPath();
  if (!CHROMIUM) {
    console.error('figures: Chromium not found. Debian: sudo apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)');
    process.exit(2);
  }
  const cv = require(path.join(ROOT, 'dist'));
  const { chromium } = require('playwright-core');
  const records = cv.simulate({ seed }).results[0].records;
  const v3records = cv.simulateV3({ seed: Number(v3SeedText), rng: 'numpy' }).results[0].records;
  const sets = [
    { dir: outDir, figures: cv.figures.documentedFigures(records) },
    { dir: path.join(outDir, 'v3'), figures: cv.figures.v3DocumentedFigures(v3records) },
  ];

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-figures-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 560 }, deviceScaleFactor: 1 });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    for (const { dir, figures } of sets) {
    fs.mkdirSync(dir, { recursive: true });
    for (const { name, figure } of figures) {
      const html = path.join(tmp, `${name}.html`);
      const fig = { ...figure, layout: { ...figure.layout, width: 880, height: 540 }, config: { staticPlot: true } };
      cv.writeFigureHtml(fig, html);
      await page.goto(`file://${html}`, { waitUntil: 'load' });
      const svg = page.locator('.main-svg').first();
      await svg.waitFor({ timeout: 30000 });
      // Write beside the target, then rename: a reader never sees half a PNG.
      const target = path.join(dir, `${name}.png`);
      const part = path.join(dir, `.${name}.png.${process.pid}.tmp`);
      await page.locator('.js-plotly-plot').first().screenshot({ path: part, type: 'png' });
      fs.renameSync(part, target);
      console.log(`${path.relative(process.cwd(), target)}  ${(fs.statSync(target).size / 1024).toFixed(0)} kB`);
    }
    }
  } finally {
    await browser.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (errors.length) {
    console.error(`figures: the page reported errors:\n${errors.join('\n')}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`figures: ${e.stack || e}`);
  process.exit(1);
});
