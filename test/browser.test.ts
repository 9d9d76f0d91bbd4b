/**
 * Loads each notebook's HTML report (from the notebook run shared with test/notebooks.test.ts) in headless Chromium
 * (playwright-core, the system browser; never downloads one) and checks that every plotly figure rendered an SVG,
 * with no console error, no page error and no request leaving the machine.
 * Needs Chromium (/usr/bin/chromium, or CHROMIUM_PATH); without it the tests fail saying how to install it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { executeNotebooksOnce, type NotebookRun } from '../scripts/notebook-test-run.js';
import * as nb from '../scripts/notebook-utils.js';
// The same browser and flags the display code draws static images with.
import { chromiumPath, CHROMIUM_ARGS } from '../src/display/static-image';

const RENDER_TIMEOUT_MS = 60_000;

const names = nb.notebookFiles(path.join(__dirname, '..', 'notebooks')).map((f) => path.basename(f, '.ipynb'));

describe('HTML reports in Chromium', () => {
  let run: NotebookRun;
  let browser: Browser | undefined;
  let launchError: string | undefined;

  before(
    async () => {
      const executablePath = chromiumPath();
      if (!executablePath) {
        launchError =
          'no Chromium found (CHROMIUM_PATH, /usr/bin/chromium, chromium-browser, google-chrome). Install it: ' +
          'sudo apt-get install -y --no-install-recommends chromium (Debian), or set CHROMIUM_PATH';
      } else {
        try {
          browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
        } catch (e) {
          launchError = `Chromium at ${executablePath} did not start: ${e}`;
        }
      }
      run = await executeNotebooksOnce();
      console.log(`notebook run: exit ${run.exitCode}, ${run.seconds.toFixed(1)} s${run.reused ? ' (shared)' : ''} in ${run.dir}`);
      if (!run.reused) console.log(run.stdout + run.stderr);
    },
    { timeout: 30 * 60 * 1000 },
  );

  after(async () => {
    await browser?.close();
  });

  it('launches Chromium', () => {
    assert.equal(launchError, undefined, launchError);
  });

  for (const name of names) {
    it(`${name}: every figure renders, no console or page error, no network`, { timeout: 5 * 60 * 1000 }, async () => {
      assert.ok(browser, launchError ?? 'no browser');
      assert.ok(run.summary, `the notebook run broke (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
      const r = run.summary.results.find((x) => x.name === name);
      assert.ok(r?.html && fs.existsSync(r.html), `no HTML report for ${name}: ${r?.failure ?? 'see the notebook test'}`);

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      const external: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const where = msg.location()?.url ?? '';
        problems.push(`console error: ${msg.text()} ${where}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        // No outside host is allowed, not even a CDN: math is typeset beforehand (scripts/report-math.js).
        external.push(url);
        return route.abort();
      });
      try {
        const t0 = Date.now();
        await page.goto(pathToFileURL(r.html).href, { waitUntil: 'load', timeout: RENDER_TIMEOUT_MS });
        const selector = `div.${nb.FIGURE_CLASS}`;
        const divs = await page.locator(selector).count();
        assert.equal(divs, r.figures, 'figure divs in the report vs figures in the executed notebook');
        await page
          .waitForFunction(
            // The static stand-in's text is there from the start: wait for the plots themselves.
            (sel) => [...document.querySelectorAll(sel)].every((d) => d.querySelector('.main-svg')),
            selector,
            { timeout: RENDER_TIMEOUT_MS },
          )
          .catch(() => undefined);
        const states = await page.$$eval(selector, (ds) =>
          ds.map((d) => ({ id: d.id, svg: Boolean(d.querySelector('.main-svg')), text: (d.textContent ?? '').slice(0, 200) })),
        );
        const broken = states.filter((s) => !s.svg).map((s) => `${s.id}: no plotly SVG ${s.text ? `(${s.text})` : ''}`);
        assert.deepEqual(broken, [], 'figures that did not render');
        await page.waitForTimeout(200); // late errors from the plots' async work
        assert.deepEqual(problems, [], 'console / page errors');
        assert.deepEqual(external, [], 'the report must work offline');
        console.log(`${name}: ${states.length} figure(s) rendered in ${Date.now() - t0} ms`);
      } finally {
        await context.close();
      }
    });
  }
});
