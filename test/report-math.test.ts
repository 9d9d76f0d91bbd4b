/**
 * Math in the HTML reports is typeset beforehand (scripts/report-math.js, Debian's MathJax in headless Chromium), so
 * a report renders its formulas with no MathJax and no network: on a hand-made page, then on the reports of the
 * notebook run shared with test/notebooks.test.ts, each opened in Chromium with every outside request refused.
 * Needs Chromium and libjs-mathjax (bash scripts/setup.sh installs both).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { executeNotebooksOnce, type NotebookRun } from '../scripts/notebook-test-run.js';
import * as nb from '../scripts/notebook-utils.js';
import * as reportMath from '../scripts/report-math.js';

/** A report as nbconvert's lab template writes it: MathJax from a CDN, math in rendered markdown divs. */
function fixtureReport(markdown: string[]): string {
  const cells = markdown
    .map((m) => `<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput " data-mime-type="text/markdown">\n${m}\n</div></div>`)
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>fixture</title>
<!-- Load mathjax -->
    <script src="https://cdn.jsdelivr.net/npm/mathjax@2.7.9/MathJax.js?config=TeX-AMS_CHTML-full,Safe"> </script>
    <script type="text/x-mathjax-config">MathJax.Hub.Config({});</script>
    <!-- End of mathjax configuration --></head>
<body>
${cells}
<div class="jp-OutputArea-output" data-mime-type="text/plain"><pre>costs $5 and $6</pre></div>
</body></html>`;
}

/** Opens `file` with every request but file:/data:/blob: refused; returns the page and the refused URLs. */
async function openOffline(browser: Browser, file: string): Promise<{ page: Page; external: string[]; errors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const external: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    external.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60_000 });
  return { page, external, errors, close: () => context.close() };
}

/** What the reader sees of the math: each formula's SVG box, and the markdown text with any TeX left in it. */
async function mathOnPage(page: Page) {
  return page.evaluate(() => {
    const svgs = [...document.querySelectorAll('.MathJax_SVG svg')].map((s) => {
      const r = s.getBoundingClientRect();
      return { width: r.width, height: r.height, paths: s.querySelectorAll('path').length };
    });
    const text = [...document.querySelectorAll('[data-mime-type="text/markdown"]')].map((d) => (d as HTMLElement).innerText).join('\n');
    return { svgs, text, mathjax: 'MathJax' in window, scripts: document.querySelectorAll('script[type^="math/"]').length };
  });
}

const RAW_TEX = /\$\$|\$[^$\s][^$]*\$|\\\(|\\\[|\\frac|\\alpha/;

describe('math typeset beforehand (scripts/report-math.js)', () => {
  let browser: Browser | undefined;
  let launchError: string | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-report-math-test-'));

  before(async () => {
    try {
      browser = await reportMath.launchChromium();
    } catch (e) {
      launchError = String(e instanceof Error ? e.message : e);
    }
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the system MathJax and Chromium', () => {
    assert.ok(reportMath.findMathjax(), 'no MathJax 2: sudo apt-get install -y libjs-mathjax (or bash scripts/setup.sh)');
    assert.equal(launchError, undefined, launchError);
  });

  it('finds the markdown blocks holding TeX, nested divs included, and skips the rest', () => {
    const md = (inner: string) => `<div class="jp-RenderedMarkdown" data-mime-type="text/markdown">${inner}</div>`;
    const a = '<p>an $x$</p><div class="note"><div>$$y$$</div></div>';
    const html = `<body>${md('<p>no math, $5 only</p>')}${md('<p>code: <code>$a$</code></p><pre>$b$</pre>')}${md(a)}<pre>$z$</pre>${md('<p>\\(w\\)</p>')}${md('<div>$v$ unbalanced')}</body>`;
    const blocks = reportMath.mathBlocks(html);
    assert.deepEqual(
      blocks.map((b) => html.slice(b.start, b.end)),
      [a, '<p>\\(w\\)</p>'],
    );
  });

  it('renders a report\'s TeX to SVG, drops the MathJax loader, and leaves no TeX behind', { timeout: 120_000 }, async () => {
    assert.ok(browser, launchError);
    const file = path.join(tmp, 'fixture.html');
    fs.writeFileSync(
      file,
      fixtureReport([
        '<p>A trigger</p>\n$$\\tau = \\frac{\\rho S}{(\\beta - r/F)^2}$$',
        '<p>with <code>$not math$</code> inline $\\alpha^t$ and \\(y_0\\), and a dollar sign \\$5.</p>',
        '<p>no math here</p>',
      ]),
    );
    const r = await reportMath.renderReportMath(file, { browser });
    assert.equal(r.formulas, 3);
    assert.deepEqual(r.texErrors, []);
    const html = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /cdn\.jsdelivr|Load mathjax|x-mathjax-config|type="math\/tex/);
    assert.equal((html.match(new RegExp(`id="${reportMath.STYLE_ID}"`, 'g')) ?? []).length, 1);
    assert.deepEqual(reportMath.mathBlocks(html), [], 'TeX left in the markdown');
    assert.match(html, /<pre>costs \$5 and \$6<\/pre>/, 'only markdown is typeset, text outputs are left alone');
    // Idempotent: nothing left to typeset, the file is not rewritten.
    const again = await reportMath.renderReportMath(file, { browser });
    assert.equal(again.formulas, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), html);

    const view = await openOffline(browser, file);
    try {
      const m = await mathOnPage(view.page);
      assert.equal(m.svgs.length, 3);
      for (const s of m.svgs) assert.ok(s.width > 2 && s.height > 2 && s.paths > 0, `an empty formula: ${JSON.stringify(s)}`);
      assert.equal(m.mathjax, false, 'no MathJax runs in the report');
      assert.doesNotMatch(m.text.replace('$not math$', ''), RAW_TEX, m.text);
      assert.match(m.text, /\$not math\$/, 'code spans keep their dollars');
      assert.match(m.text, /a dollar sign \$5/, 'an escaped dollar is a dollar');
      assert.deepEqual(view.external, []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('reports TeX that MathJax cannot parse', { timeout: 120_000 }, async () => {
    assert.ok(browser, launchError);
    const file = path.join(tmp, 'bad.html');
    fs.writeFileSync(file, fixtureReport(['<p>broken $\\frac{1}$ and fine $x$</p>']));
    const r = await reportMath.renderReportMath(file, { browser });
    assert.equal(r.formulas, 2);
    assert.equal(r.texErrors.length, 1);
    assert.match(r.texErrors[0], /\\frac\{1\}/);
  });

  describe('the reports of npm start', () => {
    let run: NotebookRun;
    before(
      async () => {
        run = await executeNotebooksOnce();
        console.log(`notebook run: exit ${run.exitCode}, ${run.seconds.toFixed(1)} s${run.reused ? ' (shared)' : ''} in ${run.dir}`);
      },
      { timeout: 30 * 60 * 1000 },
    );

    const notebooks = nb.notebookFiles(path.join(__dirname, '..', 'notebooks'));
    for (const source of notebooks) {
      const name = path.basename(source, '.ipynb');
      const withMath = nb.hasMath(nb.readNotebook(source));
      it(`${name}: no TeX left in the markdown${withMath ? ', every formula an SVG, offline' : ''}`, { timeout: 5 * 60 * 1000 }, async () => {
        assert.ok(run.summary, `the notebook run broke (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
        const r = run.summary.results.find((x) => x.name === name);
        assert.ok(r?.html && fs.existsSync(r.html), `no HTML report for ${name}`);
        assert.deepEqual(r.warnings, []);
        const html = fs.readFileSync(r.html, 'utf8');
        assert.deepEqual(reportMath.mathBlocks(html), [], 'TeX left in the markdown');
        assert.doesNotMatch(html, /mathjax@|MathJax\.js/, 'the report must not load MathJax');
        if (!withMath) return;
        assert.ok(r.formulas > 0, 'the notebook has math but none was typeset');
        assert.ok(browser, launchError);
        const view = await openOffline(browser, r.html);
        try {
          const m = await mathOnPage(view.page);
          assert.equal(m.svgs.length, r.formulas);
          for (const s of m.svgs) assert.ok(s.width > 2 && s.height > 2 && s.paths > 0, `an empty formula: ${JSON.stringify(s)}`);
          assert.doesNotMatch(m.text, RAW_TEX);
          assert.deepEqual(view.external, [], 'the report must work offline');
        } finally {
          await view.close();
        }
      });
    }
  });
});
