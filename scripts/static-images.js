#!/usr/bin/env node
'use strict';
/**
 * After `npm start` executes the notebooks: one headless Chromium draws every figure of every executed notebook
 * that has no static image yet, and each figure output gets `image/png` and the `<img>` inside its HTML; so
 * output/notebooks/*.ipynb shows all its figures untrusted (classic Notebook, JupyterLab, GitHub, nbviewer).
 * Each HTML report gets plotly.js inlined once (its figures stay interactive offline; the report drops the
 * images again, which only the notebook needs, to stay small).
 *
 * Library: `await finishOutputs({ notebooks: [...], reports: [...] })` (scripts/run-notebooks.js).
 * CLI: `node scripts/static-images.js FILE.ipynb... [REPORT.html...]` (dist/ must be built).
 */
const fs = require('fs');
const path = require('path');
const u = require('./notebook-utils');

const ROOT = path.resolve(__dirname, '..');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const INLINE_MARK = '<!-- conviction-voting: plotly.js inlined -->';

function dist(name) {
  const file = path.join(ROOT, 'dist', 'display', name);
  if (!fs.existsSync(file)) throw new Error(`static-images: ${path.relative(ROOT, file)} is missing; run npm run build`);
  return require(file);
}

/** The id of the figure div in a figure output's HTML. */
function figureId(html) {
  const m = /<div id="([^"]+)" class="cv-plotly-figure"/.exec(html);
  return m ? m[1] : undefined;
}

/**
 * Adds image/png and the HTML `<img>` to every figure output of the notebook `file` that lacks them, drawing with
 * `renderer`; rewrites the file only when something changed. Returns { figures, drawn, ms }.
 */
async function addImagesToNotebook(file, renderer) {
  const plotly = dist('plotly.js');
  const doc = u.readNotebook(file);
  let figures = 0;
  let drawn = 0;
  let ms = 0;
  for (const cell of doc.cells) {
    for (const out of cell.outputs || []) {
      const data = out.data;
      if (!data || !data[PLOTLY_MIME]) continue;
      figures++;
      if (data['image/png']) continue;
      const spec = data[PLOTLY_MIME];
      const t = Date.now();
      const png = await renderer.png(JSON.stringify(spec));
      ms += Date.now() - t;
      const id = figureId(u.text(data['text/html']));
      const bundle = plotly.figureBundle(spec, { png, id });
      // nbformat stores multi-line text as a list of lines; a string is valid too.
      data['text/html'] = bundle['text/html'];
      data['image/png'] = png;
      data['text/plain'] = data['text/plain'] ?? bundle['text/plain'];
      drawn++;
    }
  }
  if (drawn > 0) u.writeFileAtomic(file, `${JSON.stringify(doc, null, 1)}\n`);
  return { figures, drawn, ms };
}

/**
 * Inlines plotly.js once into the HTML report `file` (before `</head>`, hidden from any AMD loader) and replaces
 * the figures' static images by the short note, since the report draws them; idempotent.
 */
function inlinePlotlyIntoReport(file) {
  const { plotlySource } = dist('plotly-source.js');
  const { STATIC_CLASS } = dist('plotly.js');
  let html = fs.readFileSync(file, 'utf8');
  if (html.includes(INLINE_MARK)) return false;
  const img = new RegExp(`<img class="${STATIC_CLASS}" src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]*)"[^>]*>`, 'g');
  html = html.replace(img, (_m, alt) => `<p class="${STATIC_CLASS}">Interactive figure “${alt}”.</p>`);
  // plotly's UMD wrapper registers with define() when an AMD loader is present; the report wants window.Plotly.
  const script =
    `${INLINE_MARK}\n<script>window.__cvDefine = window.define; window.define = undefined;</script>\n` +
    `<script type="text/javascript">${plotlySource()}</script>\n` +
    '<script>window.define = window.__cvDefine; delete window.__cvDefine;</script>\n';
  const at = html.search(/<\/head>/i);
  if (at < 0) throw new Error(`static-images: ${file} has no </head>`);
  html = html.slice(0, at) + script + html.slice(at);
  u.writeFileAtomic(file, html);
  return true;
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/**
 * Static images into the executed `notebooks` and plotly.js into the `reports` (paths; missing ones skipped),
 * with one browser. Prints one line per file with its size; throws (one line) when Chromium cannot draw.
 */
async function finishOutputs({ notebooks = [], reports = [], log = console.log } = {}) {
  const t0 = Date.now();
  const nbs = notebooks.filter((f) => f && fs.existsSync(f));
  const { PlotlyRenderer, chromiumPath } = dist('static-image.js');
  let renderer;
  const summary = { notebooks: [], reports: [], seconds: 0 };
  try {
    for (const file of nbs) {
      const doc = u.readNotebook(file);
      const needs = doc.cells.some((c) => (c.outputs || []).some((o) => o.data && o.data[PLOTLY_MIME] && !o.data['image/png']));
      if (needs && !renderer) {
        if (!chromiumPath()) {
          throw new Error(
            'static-images: no Chromium to draw the figures\' images (sudo apt-get install -y chromium, or set CHROMIUM_PATH)',
          );
        }
        renderer = await PlotlyRenderer.launch();
      }
      const r = needs ? await addImagesToNotebook(file, renderer) : { figures: 0, drawn: 0, ms: 0 };
      const bytes = fs.statSync(file).size;
      summary.notebooks.push({ file, ...r, bytes });
      log(`images ${path.basename(file)}: ${r.drawn} drawn in ${(r.ms / 1000).toFixed(1)} s, notebook ${mb(bytes)}`);
    }
  } finally {
    await renderer?.close();
  }
  for (const file of reports.filter((f) => f && fs.existsSync(f))) {
    inlinePlotlyIntoReport(file);
    const bytes = fs.statSync(file).size;
    summary.reports.push({ file, bytes });
    log(`report ${path.basename(file)}: plotly.js inlined, ${mb(bytes)}`);
  }
  summary.seconds = (Date.now() - t0) / 1000;
  log(`static images and reports finished in ${summary.seconds.toFixed(1)} s`);
  return summary;
}

module.exports = { finishOutputs, addImagesToNotebook, inlinePlotlyIntoReport };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help')) {
    console.log('Usage: node scripts/static-images.js FILE.ipynb... [REPORT.html...]');
    process.exit(args.length === 0 ? 2 : 0);
  }
  finishOutputs({
    notebooks: args.filter((a) => a.endsWith('.ipynb')).map((a) => path.resolve(a)),
    reports: args.filter((a) => a.endsWith('.html')).map((a) => path.resolve(a)),
  }).catch((e) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
}
