'use strict';
/**
 * Math in the HTML reports, typeset beforehand so a report needs no MathJax and no network: the TeX of the
 * report's markdown ($...$, $$...$$, \(...\), \[...\], \begin{...}) is rendered to inline SVG by the system's
 * MathJax 2 (Debian's libjs-mathjax, which jupyter-notebook depends on) in headless Chromium (playwright-core with
 * the system browser, as the tests use), and the rendered markdown replaces the TeX in the report file.
 *
 * Used by scripts/run-notebooks.js (`--mathjax render`, the default); tested by test/report-math.test.ts.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

/** The project's Chromium lookup and flags (src/display/static-image.ts), from the build `npm start` has just made. */
function browserSetup() {
  return require(path.join(__dirname, '..', 'dist', 'display', 'static-image.js'));
}
/** MathJax 2 installs: $MATHJAX_DIR, Debian/Ubuntu's libjs-mathjax, older Debian's path. */
const MATHJAX_CANDIDATES = [process.env.MATHJAX_DIR, '/usr/share/javascript/mathjax', '/usr/share/mathjax'].filter(Boolean);
const MATHJAX_HINT = 'Debian/Ubuntu: sudo apt-get install -y libjs-mathjax (or bash scripts/setup.sh), or set MATHJAX_DIR';
const CHROMIUM_HINT = 'Debian: sudo apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)';

/** Opening tag of a rendered markdown cell or markdown output in nbconvert's lab and classic templates. */
const MARKDOWN_OPEN_RE = /<div\b[^>]*\bdata-mime-type="text\/markdown"[^>]*>|<div\b[^>]*\bclass="[^"]*\btext_cell_render\b[^"]*"[^>]*>/g;
/** Does this HTML text hold TeX that MathJax's tex2jax (Jupyter's configuration) would typeset? */
const TEX_RE = /\$[^$]+\$|\\\(|\\\[|\\begin\{/;
/** Elements whose text tex2jax never typesets (its skipTags): their dollars are not math. */
const SKIP_RE = /<(script|noscript|style|textarea|pre|code|annotation|annotation-xml)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** Id of the style element the rendered math needs (MathJax's SVG output styles). */
const STYLE_ID = 'cv-mathjax-svg-styles';

/** The absolute path of the system's MathJax 2 folder (the one holding MathJax.js), or null. */
function findMathjax() {
  return MATHJAX_CANDIDATES.find((d) => fs.existsSync(path.join(d, 'MathJax.js'))) || null;
}

/** The path of a Chromium / Chrome executable, or null. */
function findChromium() {
  return browserSetup().chromiumPath() || null;
}

/**
 * The rendered markdown blocks of an nbconvert HTML report that contain TeX outside code: [{ start, end }], the
 * offsets of each block's inner HTML in `html`. A block whose divs do not balance (raw HTML in the markdown) is left
 * out.
 */
function mathBlocks(html) {
  const blocks = [];
  const tag = /<div\b[^>]*>|<\/div\s*>/g;
  for (const open of html.matchAll(MARKDOWN_OPEN_RE)) {
    const start = open.index + open[0].length;
    if (blocks.length && start < blocks[blocks.length - 1].end) continue; // nested in the previous block
    tag.lastIndex = start;
    let depth = 1;
    let m;
    while (depth > 0 && (m = tag.exec(html))) depth += m[0][1] === '/' ? -1 : 1;
    if (depth !== 0) continue;
    const end = m.index;
    if (TEX_RE.test(html.slice(start, end).replace(SKIP_RE, ''))) blocks.push({ start, end });
  }
  return blocks;
}

/** Jupyter's own tex2jax settings (nbconvert's mathjax template), with SVG output that needs no font files. */
const MATHJAX_CONFIG = {
  skipStartupTypeset: true,
  messageStyle: 'none',
  showMathMenu: false,
  showProcessingMessages: false,
  TeX: { equationNumbers: { autoNumber: 'AMS', useLabelIds: true } },
  tex2jax: {
    inlineMath: [['$', '$'], ['\\(', '\\)']],
    displayMath: [['$$', '$$'], ['\\[', '\\]']],
    processEscapes: true,
    processEnvironments: true,
  },
  displayAlign: 'center',
  // Every glyph drawn inline in its own <svg>: no shared <defs>, so each formula stands alone in the report.
  SVG: { font: 'TeX', useFontCache: false, useGlobalCache: false, linebreaks: { automatic: true } },
  menuSettings: { zoom: 'None' },
};

/** The page in which MathJax typesets the blocks: one div per block, MathJax loaded from `mathjaxDir`. */
function typesetPage(blocksHtml, mathjaxDir) {
  const src = `${pathToFileURL(path.join(mathjaxDir, 'MathJax.js')).href}?config=TeX-AMS_SVG`;
  const divs = blocksHtml.map((b, i) => `<div class="cv-block" data-i="${i}">${b}</div>`).join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<script type="text/x-mathjax-config">MathJax.Hub.Config(${JSON.stringify(MATHJAX_CONFIG)});</script>
<script src="${src}"></script>
</head><body>
${divs}
</body></html>`;
}

/** Launches the system Chromium headless (playwright-core); throws a one-line message when there is none. */
async function launchChromium() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`report-math: no Chromium found (${CHROMIUM_HINT})`);
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath, args: browserSetup().CHROMIUM_ARGS, timeout: 60000 });
}

/**
 * Typesets the TeX in the markdown of the HTML report `file`, in place (written atomically). Needs the system's
 * MathJax 2 and Chromium; pass `browser` (a playwright Browser, or a function resolving to one, called only when
 * the report has math) to reuse one. No request leaves the machine: the page may load only
 * file: URLs from the MathJax folder. Returns { formulas, texErrors, seconds }; texErrors lists the TeX MathJax
 * could not parse (shown in red in the report, as Jupyter shows them).
 */
async function renderReportMath(file, { browser, mathjaxDir = findMathjax() } = {}) {
  const t0 = Date.now();
  const html = fs.readFileSync(file, 'utf8');
  const blocks = mathBlocks(html);
  if (blocks.length === 0) return { formulas: 0, texErrors: [], seconds: 0 };
  if (!mathjaxDir) throw new Error(`report-math: no MathJax found (tried ${MATHJAX_CANDIDATES.join(', ')}); ${MATHJAX_HINT}`);

  const own = !browser;
  if (own) browser = await launchChromium();
  else if (typeof browser === 'function') browser = await browser();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-report-math-'));
  const context = await browser.newContext();
  try {
    const pageFile = path.join(tmp, 'typeset.html');
    fs.writeFileSync(pageFile, typesetPage(blocks.map((b) => html.slice(b.start, b.end)), mathjaxDir));
    const page = await context.newPage();
    const blocked = [];
    const mathjaxUrl = pathToFileURL(mathjaxDir).href;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(pageFile).href || url.startsWith(`${mathjaxUrl}/`) || url.startsWith('data:')) {
        return route.continue();
      }
      blocked.push(url);
      return route.abort();
    });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(pathToFileURL(pageFile).href, { waitUntil: 'load', timeout: 60000 });
    const result = await page.evaluate(
      ({ styleId }) =>
        new Promise((resolve, reject) => {
          const MJ = window.MathJax;
          if (!MJ || !MJ.Hub) {
            reject(new Error('MathJax did not load'));
            return;
          }
          const texErrors = [];
          MJ.Hub.Register.MessageHook('TeX Jax - parse error', (msg) => texErrors.push(`${msg[2]}: ${msg[1]}`));
          MJ.Hub.Queue(['Typeset', MJ.Hub], () => {
            const formulas = document.querySelectorAll('.cv-block script[type^="math/tex"]').length;
            // What only a live MathJax uses: the TeX source scripts, previews, event handlers, its menu's tabindex.
            document.querySelectorAll('script[type^="math/"], .MathJax_Preview, .MathJax_SVG_Hidden').forEach((e) => e.remove());
            document.querySelectorAll('.cv-block *').forEach((e) => {
              for (const a of [...e.attributes]) if (/^on/i.test(a.name) || a.name === 'tabindex') e.removeAttribute(a.name);
            });
            const css = [...document.querySelectorAll('head style')].map((s) => s.textContent).join('\n');
            const blocks = [...document.querySelectorAll('.cv-block')].map((d) => d.innerHTML);
            resolve({ formulas, texErrors, css: `<style id="${styleId}">\n${css}\n</style>`, blocks });
          });
        }),
      { styleId: STYLE_ID },
    );
    if (blocked.length) throw new Error(`report-math: the typesetting page asked for ${blocked.join(', ')}`);
    if (pageErrors.length) throw new Error(`report-math: MathJax failed: ${pageErrors.join('; ')}`);
    let out = '';
    let at = 0;
    blocks.forEach((b, i) => {
      out += html.slice(at, b.start) + result.blocks[i];
      at = b.end;
    });
    out += html.slice(at);
    out = withoutMathjaxLoader(out);
    out = out.includes(`id="${STYLE_ID}"`) ? out : out.replace('</head>', `${result.css}\n</head>`);
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    fs.writeFileSync(temp, out);
    fs.renameSync(temp, file);
    return { formulas: result.formulas, texErrors: result.texErrors, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await context.close().catch(() => undefined);
    if (own) await browser.close().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** `html` without nbconvert's MathJax loader and configuration (the math is already typeset). */
function withoutMathjaxLoader(html) {
  return html.replace(/<!-- Load mathjax -->[\s\S]*?<!-- End of mathjax configuration -->/, '<!-- math typeset beforehand (scripts/report-math.js) -->');
}

module.exports = { findMathjax, findChromium, launchChromium, mathBlocks, renderReportMath, MATHJAX_HINT, CHROMIUM_HINT, STYLE_ID };
