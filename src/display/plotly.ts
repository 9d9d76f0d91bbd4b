/**
 * Plotly figures in tslab notebooks and standalone HTML files.
 *
 * plotly.js is a browser bundle and cannot run in Node, so a figure is shown as HTML: the first figure of a
 * kernel inlines the plotly.js library once in a `<script>`, every figure is a `<div>` plus a `<script>` calling
 * `Plotly.newPlot`. The outputs then work offline in trusted notebooks, JupyterLab, VS Code and nbconvert's HTML.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../io/atomic';
import type { Figure, FigureHtmlOptions, ShowFigureOptions, WriteFigureHtmlOptions } from './types';

export type { Figure, FigureHtmlOptions, ShowFigureOptions, WriteFigureHtmlOptions } from './types';

/** The CSS class of every figure div; `countFigures`-style checks (scripts/notebook-utils.js) look for it. */
export const FIGURE_CLASS = 'cv-plotly-figure';

let figureCounter = 0;
let plotlyShown = false;
let cachedSource: string | undefined;

/** The plotly.js bundle to inline: an official minified file when installed, else plotly.js-dist's plotly.js. */
export function plotlyBundlePath(): string {
  for (const candidate of ['plotly.js-dist-min/plotly.min.js', 'plotly.js-dist/plotly.min.js']) {
    try {
      return require.resolve(candidate);
    } catch {
      // not installed: try the next one
    }
  }
  return require.resolve('plotly.js-dist/plotly.js');
}

/** The plotly.js source to inline (minified with esbuild and cached when the package ships no minified file). */
export function plotlySource(): string {
  if (cachedSource !== undefined) return cachedSource;
  const bundle = plotlyBundlePath();
  let source: string | undefined;
  if (!/\.min\.js$/.test(bundle)) source = minifiedCopy(bundle);
  source ??= fs.readFileSync(bundle, 'utf8');
  // Inside a <script> element the HTML parser ends the script at `</script`; the bundle has none, but be safe.
  cachedSource = source.replace(/<\/(script)/gi, '<\\/$1');
  return cachedSource;
}

/** `bundle` minified by esbuild (a dependency of tsx), cached in node_modules/.cache; undefined when esbuild is missing. */
function minifiedCopy(bundle: string): string | undefined {
  const pkgDir = path.dirname(bundle);
  let version = '0';
  try {
    version = String(JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version);
  } catch {
    // keep '0'
  }
  const stat = fs.statSync(bundle);
  const cacheFile = path.join(
    path.dirname(pkgDir),
    '.cache',
    'conviction-voting',
    `plotly-${version}-${stat.size}.min.js`,
  );
  try {
    return fs.readFileSync(cacheFile, 'utf8');
  } catch {
    // not cached yet
  }
  let esbuild: { transformSync(code: string, options: object): { code: string } };
  try {
    esbuild = require('esbuild');
  } catch {
    return undefined;
  }
  let code: string;
  try {
    code = esbuild.transformSync(fs.readFileSync(bundle, 'utf8'), { minify: true, legalComments: 'eof' }).code;
  } catch {
    return undefined;
  }
  try {
    writeFileAtomic(cacheFile, code);
  } catch {
    // read-only node_modules: keep the copy in memory only
  }
  return code;
}

/** JSON for embedding in a `<script>`: `<`, `>`, `&`, U+2028/2029 escaped; typed arrays become arrays, bigints numbers. */
function scriptJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return Number(v);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The HTML of one figure: a div and a script calling `Plotly.newPlot`, preceded by plotly.js when `includePlotly`. */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  if (fig == null || !Array.isArray(fig.data) || typeof fig.layout !== 'object' || fig.layout === null) {
    throw new TypeError('figureHtml: expected a figure { data: object[]; layout: object; frames?: object[] }');
  }
  const id = options.id ?? `cv-plotly-${++figureCounter}`;
  if (!/^[A-Za-z][\w-]*$/.test(id)) throw new TypeError(`figureHtml: invalid div id ${JSON.stringify(id)}`);
  const spec: Record<string, unknown> = {
    data: fig.data,
    layout: fig.layout,
    config: { responsive: true, ...(fig.config ?? {}) },
  };
  if (fig.frames) spec.frames = fig.frames;
  const parts: string[] = [];
  if (options.includePlotly) parts.push(`<script type="text/javascript">${plotlySource()}</script>`);
  parts.push(`<div id="${id}" class="${FIGURE_CLASS}" style="width:100%"></div>`);
  // The div is looked up by id among the not yet rendered ones, so an old output with the same id (same counter
  // value from an earlier kernel) never steals the plot.
  parts.push(
    '<script type="text/javascript">(function () {' +
      `var fig = ${scriptJson(spec)};` +
      `var divs = document.querySelectorAll('div.${FIGURE_CLASS}[id="${id}"]:not([data-cv-rendered])');` +
      'var div = divs[divs.length - 1];' +
      'if (!div) return;' +
      "div.setAttribute('data-cv-rendered', '1');" +
      "if (typeof window.Plotly === 'undefined') {" +
      "div.textContent = 'plotly.js is not loaded here: re-run the notebook from the top (Restart & Run All).';" +
      `console.error('plotly.js not loaded for figure ${id}');` +
      'return;' +
      '}' +
      'window.Plotly.newPlot(div, fig).catch(function (e) {' +
      "div.textContent = 'plotly error: ' + e; console.error(e);" +
      '});' +
      '})();</script>',
  );
  return parts.join('\n');
}

/** Shows a figure in a tslab notebook (inlining plotly.js in the kernel's first figure); needs a running tslab kernel. */
export function showFigure(fig: Figure, options: ShowFigureOptions = {}): void {
  let tslab: typeof import('tslab');
  try {
    tslab = require('tslab');
  } catch (e) {
    throw new Error(`showFigure needs tslab (a Jupyter kernel); outside notebooks use writeFigureHtml. (${e})`);
  }
  const html = figureHtml(fig, { includePlotly: options.includePlotly || !plotlyShown });
  try {
    tslab.display.html(html);
  } catch (e) {
    throw new Error(`showFigure works only inside a tslab kernel; outside notebooks use writeFigureHtml. (${e})`);
  }
  plotlyShown = true;
}

/** Writes a figure as a standalone, offline HTML page (plotly.js inlined) atomically; returns the absolute path. */
export function writeFigureHtml(fig: Figure, file: string, options: WriteFigureHtmlOptions = {}): string {
  const layoutTitle = (fig.layout as { title?: string | { text?: string } }).title;
  const title = options.title ?? (typeof layoutTitle === 'string' ? layoutTitle : layoutTitle?.text) ?? 'figure';
  const escapedTitle = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapedTitle}</title>\n` +
    '</head>\n<body>\n' +
    figureHtml(fig, { includePlotly: true, id: 'figure' }) +
    '\n</body>\n</html>\n';
  const target = path.resolve(file);
  writeFileAtomic(target, html);
  return target;
}

