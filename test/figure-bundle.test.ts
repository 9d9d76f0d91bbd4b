/**
 * One MIME bundle per figure (src/display/plotly.ts, bundle.ts) and static images drawn by headless Chromium
 * (static-image.ts): the bundle's parts, escaping of user text, the PNG's real size, the on/off switch, the
 * classic-Notebook asset, the standalone page. The same bundles go through a real kernel in
 * test/bundle-kernel.test.ts and through real front-ends in test/classic-notebook.test.ts and
 * test/jupyterlab-rendermime.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { canDisplayBundle, displayBundle, TSLAB_VERSION } from '../src/display/bundle';
import { escapeHtml } from '../src/analysis/escape';
import {
  FIGURE_CLASS,
  figureBundle,
  figureHtml,
  figureJson,
  figureTitle,
  installPlotlyNbextension,
  NBEXTENSION_MODULE,
  PLOTLY_MIME,
  plotlySource,
  STATIC_CLASS,
  writeFigureHtml,
} from '../src/display/plotly';
import { chromiumPath, closeStaticImages, imageSize, setStaticImages, staticPngSync } from '../src/display/static-image';

const EVIL = 'Funds <script>alert("x")</script> & "quotes" \'too\'';
const fig = {
  data: [{ type: 'bar', x: ['a', 'b'], y: new Float64Array([3, 4]) }],
  layout: { title: { text: EVIL }, width: 640, height: 360 },
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(base64: string): { width: number; height: number } {
  const b = Buffer.from(base64, 'base64');
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
  assert.equal(b.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('figure bundle', () => {
  after(() => closeStaticImages());

  it('carries plotly JSON, HTML with the image, PNG and one line of text', () => {
    const png = Buffer.from('89504e47', 'hex').toString('base64');
    const b = figureBundle(fig, { png });
    assert.deepEqual(Object.keys(b).sort(), [PLOTLY_MIME, 'image/png', 'text/html', 'text/plain'].sort());
    const spec = b[PLOTLY_MIME] as { data: { y: number[] }[]; layout: object; config: object };
    assert.deepEqual(spec.data[0].y, [3, 4], 'typed arrays become JSON arrays');
    assert.deepEqual(spec.config, { responsive: true });
    assert.equal(b['image/png'], png);
    const html = b['text/html'] as string;
    assert.match(html, new RegExp(`<div id="cv-plotly-[0-9a-f]{10}-\\d+" class="${FIGURE_CLASS}"`));
    assert.ok(html.includes(`<img class="${STATIC_CLASS}" src="data:image/png;base64,${png}"`));
    const text = b['text/plain'] as string;
    assert.equal(text.split('\n').length, 1);
    assert.equal(text, `Figure: Funds alert("x") & "quotes" 'too' (1 trace)`);
  });

  it('escapes the title in the alt text and leaves no user text raw in the HTML', () => {
    const html = figureHtml(fig, { png: 'AAAA' });
    assert.ok(!html.includes('<script>alert'), 'no raw script from the title');
    assert.ok(html.includes(`alt="Funds alert(&#34;x&#34;) &#38; &#34;quotes&#34; &#39;too&#39;"`), html.slice(0, 400));
    // The figure JSON inside the script cannot close it.
    const script = html.slice(html.indexOf('<script'));
    assert.equal((script.match(/<\/script/gi) ?? []).length, 1);
    assert.equal(escapeHtml(`<a href="x">&'`), '&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });

  it('never inlines plotly.js into a notebook output; without an image it shows a note', () => {
    const b = figureBundle({ data: [], layout: {} });
    const html = b['text/html'] as string;
    assert.ok(html.length < 5000, `a figure's HTML is small (${html.length} chars)`);
    assert.ok(!('image/png' in b));
    assert.match(html, new RegExp(`<p class="${STATIC_CLASS}">Interactive figure “plotly figure”`));
    assert.ok(html.includes(`nbextensions/${NBEXTENSION_MODULE}`), 'loads the classic-Notebook asset when needed');
    assert.equal(b['text/plain'], 'Figure: untitled (0 traces)');
  });

  it('plain titles: <br> becomes a dash, tags go', () => {
    assert.equal(figureTitle({ data: [], layout: { title: 'Funds<br><sub>mean of 10 runs</sub>' } }), 'Funds — mean of 10 runs');
    assert.equal(figureTitle({ data: [], layout: {} }), undefined);
  });

  it('rejects what is not a figure or not base64, naming the function', () => {
    assert.throws(() => figureBundle({ data: 3 } as never), /^TypeError: figureBundle: expected a figure/);
    assert.throws(() => figureHtml(fig, { png: 'data:image/png;base64,AAAA' }), /figureHtml: png must be base64/);
    assert.throws(() => displayBundle({}), /displayBundle: data must be a non-empty object/);
    assert.throws(() => displayBundle({ 'not a mime': 'x' }), /displayBundle: "not a mime" is not a MIME type/);
  });

  it('displayBundle outside a kernel says so; the pinned tslab is the installed one', () => {
    assert.equal(canDisplayBundle(), false);
    assert.throws(() => displayBundle({ 'text/plain': 'x' }), /^Error: displayBundle: works only inside a tslab kernel/);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    assert.equal(pkg.dependencies.tslab, TSLAB_VERSION, 'package.json pins the tslab displayBundle was tested with');
    assert.equal(require('tslab').versions.tslab, TSLAB_VERSION);
  });

  it('installs plotly.js as a classic-Notebook asset, idempotently', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-nbext-'));
    try {
      const file = installPlotlyNbextension(dir);
      assert.equal(file, path.join(dir, 'nbextensions', 'conviction-voting', 'plotly.min.js'));
      assert.equal(fs.readFileSync(file, 'utf8'), plotlySource());
      const mtime = fs.statSync(file).mtimeMs;
      installPlotlyNbextension(dir);
      assert.equal(fs.statSync(file).mtimeMs, mtime, 'unchanged file not rewritten');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writeFigureHtml inlines plotly.js once and escapes the <title>', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-fightml-'));
    try {
      const file = writeFigureHtml(fig, path.join(dir, 'f.html'));
      const html = fs.readFileSync(file, 'utf8');
      assert.ok(html.includes('<title>Funds alert(&#34;x&#34;) &#38;'), 'plain, escaped title');
      const named = fs.readFileSync(writeFigureHtml(fig, path.join(dir, 'g.html'), { title: '<b>A&B</b>' }), 'utf8');
      assert.ok(named.includes('<title>&#60;b&#62;A&#38;B&#60;/b&#62;</title>'));
      assert.equal(html.split(plotlySource()).length - 1, 1, 'plotly.js exactly once');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('image size: the layout size, else 900 × 500', () => {
    assert.deepEqual(imageSize({ width: 640, height: 360 }), { width: 640, height: 360 });
    assert.deepEqual(imageSize({ width: 'wide' }), { width: 900, height: 500 });
  });

  it('draws a PNG of the layout size synchronously with Chromium, and is switchable off', { timeout: 120_000 }, (t) => {
    if (!chromiumPath()) {
      assert.fail('no Chromium (sudo apt-get install -y chromium, or set CHROMIUM_PATH)');
    }
    setStaticImages(true);
    const png = staticPngSync(figureJson(fig));
    assert.ok(png, 'a PNG');
    assert.deepEqual(pngSize(png), { width: 640, height: 360 });
    const other = staticPngSync(figureJson({ data: [{ type: 'scatter', y: [1, 5, 2] }], layout: {} }));
    assert.ok(other);
    assert.deepEqual(pngSize(other), { width: 900, height: 500 });
    assert.notEqual(other, png);
    setStaticImages(false);
    assert.equal(staticPngSync(figureJson(fig)), undefined, 'off: no image');
    t.diagnostic('static images drawn and switched off');
  });
});
