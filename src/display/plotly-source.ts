/** The plotly.js library as text: for standalone HTML, reports, the classic-Notebook asset and the image renderer. */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../io/atomic';

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


/** Where classic Notebook serves the plotly.js asset: `{base_url}nbextensions/` + this (+ `.js`). */
export const NBEXTENSION_MODULE = 'conviction-voting/plotly.min';

/**
 * Installs plotly.js as a classic-Notebook asset in the Jupyter data dir `dataDir`
 * (`DATADIR/nbextensions/conviction-voting/plotly.min.js`), so every figure output can load it on its own with
 * require.js; idempotent (rewritten only when it changed). Returns the file written.
 */
export function installPlotlyNbextension(dataDir: string): string {
  if (typeof dataDir !== 'string' || dataDir === '') {
    throw new TypeError('installPlotlyNbextension: dataDir must be a Jupyter data directory path');
  }
  const file = path.join(path.resolve(dataDir), 'nbextensions', `${NBEXTENSION_MODULE}.js`);
  const source = plotlySource();
  try {
    const st = fs.statSync(file);
    if (st.size === Buffer.byteLength(source) && fs.readFileSync(file, 'utf8') === source) return file;
  } catch {
    // missing: write it
  }
  writeFileAtomic(file, source);
  return file;
}
