/**
 * Figure outputs as JupyterLab renders them. JupyterLab itself is not installable here (not in Debian 12, no PyPI),
 * so this bundles JupyterLab's own renderer, @jupyterlab/rendermime (RenderMimeRegistry, standardRendererFactories,
 * its default Sanitizer), into a page with esbuild and renders the figure bundles of an executed notebook (as
 * `npm start` writes it) in headless Chromium, trusted and untrusted: each must show its figure (an image).
 * Not covered: JupyterLab's plotly extension (jupyterlab-plotly renders application/vnd.plotly.v1+json), which is
 * not on npm as a standalone renderer.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import * as nb from '../scripts/notebook-utils.js';
import { executeLikeNpmStart, launchChromium, ROOT, writeFigureNotebook } from './helpers/figure-notebook';

describe('JupyterLab rendermime shows every figure, trusted and untrusted', () => {
  let dir: string;
  let browser: Browser | undefined;
  let pageScript = '';
  let bundles: Record<string, unknown>[] = [];

  before(
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-lab-'));
      const executed = executeLikeNpmStart(writeFigureNotebook(dir), path.join(dir, 'out'));
      bundles = nb
        .readNotebook(executed)
        .cells.flatMap((c) => c.outputs ?? [])
        .filter((o) => o.data?.['application/vnd.plotly.v1+json'])
        .map((o) => o.data);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const esbuild = require('esbuild') as typeof import('esbuild');
      const built = await esbuild.build({
        entryPoints: [path.join(__dirname, 'fixtures', 'lab-render.js')],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'iife',
        // NODE_PATH as for node: where @jupyterlab/rendermime is, when not in ./node_modules.
        nodePaths: [path.join(ROOT, 'node_modules'), ...(process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean)],
        loader: { '.css': 'empty', '.svg': 'text' },
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      }).catch((e: Error) => {
        throw new Error(`bundling @jupyterlab/rendermime failed (npm ci installs the dev dependency): ${e.message.split('\n').slice(0, 5).join(' ')}`);
      });
      pageScript = built.outputFiles[0].text;
      browser = await launchChromium();
    },
    { timeout: 10 * 60 * 1000 },
  );

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const trusted of [false, true]) {
    it(`${trusted ? 'trusted' : 'untrusted'}: the HTML output shows each figure's image`, { timeout: 120_000 }, async () => {
      assert.ok(browser);
      assert.equal(bundles.length, 2, 'two figure outputs in the executed notebook');
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const external: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || url.startsWith('about:')) return route.continue();
        external.push(url);
        return route.abort();
      });
      try {
        await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
        await page.addScriptTag({ content: pageScript });
        const chosen: (string | undefined)[] = [];
        for (const [i, data] of bundles.entries()) {
          chosen.push(
            await page.evaluate(
              // eslint-disable-next-line @typescript-eslint/no-explicit-any
              ([d, t, id]) => (window as any).cvRender(d, t, id),
              [data, trusted, `out-${i}`] as const,
            ),
          );
        }
        assert.deepEqual(chosen, ['text/html', 'text/html'], 'JupyterLab picks the HTML representation');
        await page.waitForFunction(() => [...document.images].every((i) => i.complete));
        const shown = await page.evaluate((n) => {
          const out = [];
          for (let i = 0; i < n; i++) {
            const host = document.getElementById(`out-${i}`)!;
            const img = host.querySelector('img');
            out.push({
              image: Boolean(img && img.naturalWidth > 100 && img.getBoundingClientRect().height > 100),
              alt: img?.getAttribute('alt') ?? null,
              scripts: host.querySelectorAll('script').length,
              ran: host.querySelector('.cv-plotly-figure')?.getAttribute('data-cv-rendered') === '1',
            });
          }
          return out;
        }, bundles.length);
        for (const s of shown) assert.equal(s.image, true, JSON.stringify(shown));
        assert.equal(shown[0].alt, 'Bars alert(1) & co', 'the escaped title reads as the plain title');
        if (!trusted) assert.deepEqual(shown.map((s) => s.scripts), [0, 0], 'the sanitizer removed the scripts');
        // Trusted, the figure's script runs; without plotly.js in the page (no plotly extension) the image stays.
        assert.deepEqual(shown.map((s) => s.ran), [trusted, trusted]);
        assert.deepEqual(errors, []);
        assert.deepEqual(external, [], 'no request leaves the page');
      } finally {
        await page.close();
      }
    });
  }
});
