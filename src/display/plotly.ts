/**
 * Plotly figures in tslab notebooks and standalone HTML files.
 *
 * plotly.js is a browser bundle and cannot run in Node. `showFigure` sends one MIME bundle per figure, so every
 * front-end finds something it can show:
 * - `application/vnd.plotly.v1+json`: interactive where a plotly renderer is installed (JupyterLab, VS Code);
 * - `text/html`: a div holding the static image, and a script that replaces it by the interactive plot. The
 *   script uses `window.Plotly` when present (reports, standalone pages) or loads plotly.js with require.js from
 *   the classic-Notebook asset (`installPlotlyNbextension`), so each output works on its own, after a reload,
 *   in a second tab, or alone in a notebook; where scripts do not run (untrusted) the image stays;
 * - `image/png` (headless Chromium, see static-image.ts) and `text/plain` (the title).
 * plotly.js itself is never inlined into a notebook output (5 MB, and only the first output would carry it).
 */
import * as crypto from 'crypto';
import * as path from 'path';
import { escapeHtml } from '../analysis/escape';
import { writeFileAtomic } from '../io/atomic';
import { displayBundle, type MimeBundle } from './bundle';
import { NBEXTENSION_MODULE, plotlySource } from './plotly-source';
import { staticPngSync } from './static-image';
import type { Figure, FigureHtmlOptions, ShowFigureOptions, WriteFigureHtmlOptions } from './types';

export type { Figure, FigureHtmlOptions, ShowFigureOptions, WriteFigureHtmlOptions } from './types';
export { installPlotlyNbextension, plotlyBundlePath, plotlySource, NBEXTENSION_MODULE } from './plotly-source';
export { setStaticImages, staticImagesEnabled, staticImageProblem, closeStaticImages } from './static-image';

/** The CSS class of every figure div; `countFigures`-style checks (scripts/notebook-utils.js) look for it. */
export const FIGURE_CLASS = 'cv-plotly-figure';
/** The CSS class of the static stand-in (image or note) inside a figure div, removed when the plot draws. */
export const STATIC_CLASS = 'cv-plotly-static';
/** The MIME type of plotly's JSON figure (JupyterLab's and VS Code's plotly renderers). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

let figureCounter = 0;


/** JSON text of a value: typed arrays become arrays, bigints numbers, so plotly and JSON readers take it. */
function plainJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return Number(v);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}

/** JSON for embedding in a `<script>`: `<`, `>`, `&`, U+2028/2029 escaped. */
function scriptJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function checkFigure(fig: Figure, where: string): void {
  if (fig == null || !Array.isArray(fig.data) || typeof fig.layout !== 'object' || fig.layout === null) {
    throw new TypeError(`${where}: expected a figure { data: object[]; layout: object; frames?: object[] }`);
  }
}

/** The figure's title (layout.title as a string or `{text}`), tags stripped; undefined when it has none. */
export function figureTitle(fig: Figure): string | undefined {
  const t = (fig.layout as { title?: unknown }).title;
  const text = typeof t === 'string' ? t : (t as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string') return undefined;
  // plotly titles may hold <br>, <sub>, <b>: a plain line for text/plain and alt text.
  const plain = decodeEntities(
    text
      .replace(/<br\s*\/?>/gi, ' — ')
      .replace(/<[^>]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return plain || undefined;
}

/** Character references back to characters: figure builders escape user text for plotly, and a plain title must not show `&#60;`. */
function decodeEntities(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return named[code.toLowerCase()] ?? m;
  });
}

/** The figure as plain JSON `{data, layout, config, frames?}` (what plotly's MIME type carries), as text. */
export function figureJson(fig: Figure): string {
  checkFigure(fig, 'figureJson');
  const spec: Record<string, unknown> = {
    data: fig.data,
    layout: fig.layout,
    config: { responsive: true, ...(fig.config ?? {}) },
  };
  if (fig.frames) spec.frames = fig.frames;
  return plainJson(spec);
}

/** The HTML of one figure: a div with the static image (or a note), and a script drawing the interactive plot. */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  checkFigure(fig, 'figureHtml');
  const json = figureJson(fig);
  const id = options.id ?? `cv-plotly-${crypto.createHash('sha1').update(json).digest('hex').slice(0, 10)}-${++figureCounter}`;
  if (!/^[A-Za-z][\w-]*$/.test(id)) throw new TypeError(`figureHtml: invalid div id ${JSON.stringify(id)}`);
  if (options.png !== undefined && !/^[A-Za-z0-9+/]+=*$/.test(options.png)) {
    throw new TypeError('figureHtml: png must be base64 (no data: prefix)');
  }
  const title = figureTitle(fig) ?? 'plotly figure';
  const stand =
    options.png !== undefined
      ? `<img class="${STATIC_CLASS}" src="data:image/png;base64,${options.png}" alt="${escapeHtml(title)}" style="max-width:100%;height:auto">`
      : `<p class="${STATIC_CLASS}">Interactive figure “${escapeHtml(title)}”: it draws when the notebook is trusted and runs scripts.</p>`;
  const parts: string[] = [];
  if (options.includePlotly) parts.push(`<script type="text/javascript">${plotlySource()}</script>`);
  parts.push(`<div id="${id}" class="${FIGURE_CLASS}" style="width:100%">${stand}</div>`);
  // The div is looked up by id among the not yet drawn ones (classic Notebook runs output scripts through jQuery,
  // where document.currentScript is null, and before a live output is attached to the page: hence the retries). Without window.Plotly, require.js (classic Notebook) loads the asset
  // installed by installPlotlyNbextension; failing that the static stand-in stays.
  parts.push(
    '<script type="text/javascript">(function () {' +
      `var fig = ${scriptJson(json)};` +
      'var div;' +
      'function find(tries) {' +
      `var divs = document.querySelectorAll('div.${FIGURE_CLASS}[id="${id}"]:not([data-cv-rendered])');` +
      'div = divs[divs.length - 1];' +
      'if (div) { start(); return; }' +
      'if (tries < 100) setTimeout(function () { find(tries + 1); }, tries < 10 ? 0 : 50);' +
      '}' +
      'function start() {' +
      "div.setAttribute('data-cv-rendered', '1');" +
      'function draw(Plotly) {' +
      `var stand = div.querySelector('.${STATIC_CLASS}');` +
      'if (stand) stand.style.display = "none";' +
      'Plotly.newPlot(div, fig).then(function () { if (stand) stand.remove(); }, function (e) {' +
      'if (stand) stand.style.display = ""; console.error("plotly: " + e);' +
      '});' +
      '}' +
      "if (window.Plotly && typeof window.Plotly.newPlot === 'function') { draw(window.Plotly); return; }" +
      'var req = window.requirejs;' +
      "if (typeof req !== 'function' || typeof req.config !== 'function') return;" +
      "var base = (document.body && document.body.getAttribute('data-base-url')) || '/';" +
      // plotly.js 3 defines no AMD module: it sets window.Plotly, hence the shim.
      `req.config({ paths: { 'cv-plotly': base + 'nbextensions/${NBEXTENSION_MODULE}' }, shim: { 'cv-plotly': { exports: 'Plotly' } } });` +
      "req(['cv-plotly'], function (P) { P = P || window.Plotly; if (!window.Plotly) window.Plotly = P; draw(P); }, function (e) {" +
      "if (req.undef) req.undef('cv-plotly');" +
      "console.warn('plotly.js asset not found (node scripts/jupyter.js installs it); showing the static image', e);" +
      '});' +
      '}' +
      'find(0);' +
      '})();</script>',
  );
  return parts.join('\n');
}

/**
 * The MIME bundle of one figure: plotly JSON, HTML (interactive, static image inside), PNG when `png` is given
 * (base64) and a one-line text.
 */
export function figureBundle(fig: Figure, options: { png?: string; id?: string } = {}): MimeBundle {
  checkFigure(fig, 'figureBundle');
  const json = figureJson(fig);
  const title = figureTitle(fig);
  const traces = fig.data.length;
  const bundle: MimeBundle = {
    [PLOTLY_MIME]: JSON.parse(json),
    'text/html': figureHtml(fig, { png: options.png, id: options.id }),
  };
  if (options.png !== undefined) bundle['image/png'] = options.png;
  bundle['text/plain'] = `Figure: ${title ?? 'untitled'} (${traces} trace${traces === 1 ? '' : 's'})`;
  return bundle;
}

/**
 * Shows a figure in a tslab notebook as one MIME bundle (interactive, static image, text). The image is drawn by
 * headless Chromium when present (off with `setStaticImages(false)` or CV_STATIC_IMAGES=0).
 */
export function showFigure(fig: Figure, options: ShowFigureOptions = {}): void {
  checkFigure(fig, 'showFigure');
  const png = options.staticImage === false ? undefined : staticPngSync(figureJson(fig));
  displayBundle(figureBundle(fig, { png }));
}

/** Writes a figure as a standalone, offline HTML page (plotly.js inlined) atomically; returns the absolute path. */
export function writeFigureHtml(fig: Figure, file: string, options: WriteFigureHtmlOptions = {}): string {
  checkFigure(fig, 'writeFigureHtml');
  const title = options.title ?? figureTitle(fig) ?? 'figure';
  const html =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(title)}</title>\n` +
    '</head>\n<body>\n' +
    figureHtml(fig, { includePlotly: true, id: 'figure' }) +
    '\n</body>\n</html>\n';
  const target = path.resolve(file);
  writeFileAtomic(target, html);
  return target;
}
