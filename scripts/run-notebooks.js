#!/usr/bin/env node
'use strict';
/**
 * `npm start`: builds the library, registers the project's tslab kernel, executes every notebooks/*.ipynb headless
 * with it and writes, per notebook, the executed notebook (output/notebooks/NAME.ipynb) and a self-contained HTML
 * report (output/report/NAME.html); markdown math is typeset beforehand (scripts/report-math.js). Then
 * scripts/static-images.js draws every figure's PNG into the notebooks and inlines plotly.js once into each
 * report, so a report loads nothing from anywhere. Prints the time and sizes of each notebook and the time in all.
 *
 * Usage: see USAGE below (`node scripts/run-notebooks.js --help`).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { ROOT, KERNEL_NAME, requireJupyter, registerKernel, jupyterEnv } = require('./jupyter');
const u = require('./notebook-utils');
const reportMath = require('./report-math');

const NOTEBOOKS = path.join(ROOT, 'notebooks');
const DEFAULT_JOBS = Math.max(1, Math.min(2, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length));
const USAGE = `Usage: node scripts/run-notebooks.js [options] [FILE.ipynb...]
  FILE.ipynb      run these notebooks instead of notebooks/*.ipynb (the kernel starts in each one's folder)
  --only NAME     run only this notebook (NAME or NAME.ipynb; repeat or comma-separate for several)
  --out DIR       write DIR/notebooks and DIR/report instead of output/
  --timeout S     per-cell timeout in seconds (default 1800); a cell past it is interrupted and fails
  --no-build      skip \`npm run build\` (dist/ must be current)
  --no-html       skip the HTML reports
  --mathjax M     math in the reports: render (typeset beforehand with the system's MathJax in headless Chromium,
                  no MathJax left in the report; default), local (load the system's MathJax by file: URL),
                  cdn (load it from jsdelivr: needs the network), none, or a URL of MathJax.js
  --jobs N        notebooks executed at the same time (default ${DEFAULT_JOBS}: one kernel per core, at most 2)
  --json FILE     also write a JSON summary (used by the tests)
Exit status: 0 all good, 1 a cell failed or a step broke, 2 Jupyter missing or bad usage.
`;
const NBCONVERT_CONFIG = path.join(__dirname, 'nbconvert_config.py');
const MATHJAX_CDN = 'https://cdn.jsdelivr.net/npm/mathjax@2.7.9/MathJax.js?config=TeX-AMS_CHTML-full,Safe';
/** An empty script: the lab template's require.js / MathJax tags load nothing, so reports need no network. */
const NO_SCRIPT = 'data:text/javascript,';

function usage(message) {
  if (message) process.stderr.write(`run-notebooks: ${message}\n`);
  (message ? process.stderr : process.stdout).write(USAGE);
  process.exit(message ? 2 : 0);
}

function parseArgs(argv) {
  const opts = { files: [], only: [], out: path.join(ROOT, 'output'), timeout: 1800, build: true, html: true, mathjax: 'render', json: null, jobs: DEFAULT_JOBS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--only') opts.only.push(...value().split(',').filter(Boolean));
    else if (flag === '--out') opts.out = path.resolve(value());
    else if (flag === '--timeout') opts.timeout = Number(value());
    else if (flag === '--no-build') opts.build = false;
    else if (flag === '--no-html') opts.html = false;
    else if (flag === '--mathjax') opts.mathjax = value();
    else if (flag === '--json') opts.json = path.resolve(value());
    else if (flag === '--jobs') opts.jobs = Number(value());
    else if (flag === '-h' || flag === '--help') usage();
    else if (!a.startsWith('-') && a.endsWith('.ipynb')) opts.files.push(path.resolve(a));
    else usage(`unknown argument ${a}`);
  }
  if (!(opts.timeout > 0)) usage('--timeout must be a positive number of seconds');
  if (!(Number.isInteger(opts.jobs) && opts.jobs >= 1)) usage('--jobs must be a whole number >= 1');
  if (!['render', 'local', 'cdn', 'none'].includes(opts.mathjax) && !/^(https?|file):/.test(opts.mathjax)) {
    usage(`--mathjax must be render, local, cdn, none or a URL of MathJax.js, not ${opts.mathjax}`);
  }
  return opts;
}

/** Runs a command, collecting its output; resolves { code, stdout, stderr, seconds }. */
function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const done = (code) => resolve({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    child.on('error', (e) => {
      stderr += String(e);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

function mb(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;
}

function rel(p) {
  return path.relative(process.cwd(), p) || '.';
}

function tail(s, lines = 30) {
  return s.trim().split('\n').slice(-lines).join('\n');
}

function selectNotebooks(only) {
  if (!fs.existsSync(NOTEBOOKS)) return [];
  const all = u.notebookFiles(NOTEBOOKS);
  if (only.length === 0) return all;
  return only.map((name) => {
    const file = path.join(NOTEBOOKS, name.endsWith('.ipynb') ? path.basename(name) : `${name}.ipynb`);
    if (!all.includes(file)) {
      const names = all.map((f) => path.basename(f, '.ipynb')).join(', ');
      usage(`no notebook ${name} in notebooks/ (there are: ${names || 'none'})`);
    }
    return file;
  });
}

/** The MathJax.js URL nbconvert puts in a report (render typesets afterwards, so it needs none). */
function mathjaxUrl(mode, nb) {
  if (mode === 'none' || mode === 'render' || !u.hasMath(nb)) return NO_SCRIPT;
  if (mode === 'cdn') return MATHJAX_CDN;
  if (mode === 'local') {
    const dir = reportMath.findMathjax();
    return dir ? `${require('url').pathToFileURL(path.join(dir, 'MathJax.js')).href}?config=TeX-AMS_CHTML-full,Safe` : NO_SCRIPT;
  }
  return mode;
}

/** One headless Chromium for the math of every report of this run, launched when first needed. */
function sharedBrowser() {
  let launched = null;
  return {
    get: () => (launched ??= reportMath.launchChromium()),
    close: async () => {
      if (launched) await (await launched.catch(() => null))?.close().catch(() => undefined);
    },
  };
}

/** Executes one notebook into `tmp`, converts it to HTML, then moves both into place. Returns its summary. */
async function runNotebook(file, jupyter, opts, dirs) {
  const name = path.basename(file, '.ipynb');
  const result = {
    name, source: file, ok: false, seconds: 0, executeSeconds: 0, htmlSeconds: 0, mathSeconds: 0,
    notebook: null, html: null, figures: 0, formulas: 0, errors: [], aborted: [], warnings: [],
  };
  const finalNotebook = path.join(dirs.notebooks, `${name}.ipynb`);
  const finalHtml = path.join(dirs.report, `${name}.html`);
  const env = jupyterEnv();
  const t0 = Date.now();
  const exec = await run(
    jupyter.cmd,
    [
      'nbconvert', '--to', 'notebook', '--execute', file,
      '--output-dir', dirs.tmp, '--output', name,
      '--config', NBCONVERT_CONFIG,
      '--allow-errors',
      `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
      `--ExecutePreprocessor.timeout=${opts.timeout}`,
      '--ExecutePreprocessor.startup_timeout=120',
    ],
    { cwd: ROOT, env },
  );
  result.executeSeconds = exec.seconds;
  const executedTmp = path.join(dirs.tmp, `${name}.ipynb`);
  if (exec.code !== 0 || !fs.existsSync(executedTmp)) {
    result.failure = `jupyter nbconvert --execute failed (exit ${exec.code}):\n${tail(exec.stderr)}`;
    result.seconds = (Date.now() - t0) / 1000;
    // No stale output from an earlier run next to this failure.
    fs.rmSync(finalNotebook, { force: true });
    fs.rmSync(finalHtml, { force: true });
    return result;
  }
  // Post-passes over the executed notebook file (executedTmp) go here, before it is read and converted to HTML.
  // Up to --jobs notebooks are at this point at once (each with its own executedTmp).

  const executed = u.readNotebook(executedTmp);
  result.errors = u.notebookErrors(executed);
  result.aborted = u.abortedCells(executed);
  result.figures = u.figureCount(executed);
  result.figuresPerCell = u.figuresPerCell(executed);

  if (opts.html) {
    const conv = await run(
      jupyter.cmd,
      [
        'nbconvert', '--to', 'html', executedTmp,
        '--output-dir', dirs.tmp, '--output', name,
        `--HTMLExporter.require_js_url=${NO_SCRIPT}`,
        `--HTMLExporter.mathjax_url=${mathjaxUrl(opts.mathjax, executed)}`,
      ],
      { cwd: ROOT, env },
    );
    result.htmlSeconds = conv.seconds;
    const htmlTmp = path.join(dirs.tmp, `${name}.html`);
    if (conv.code !== 0 || !fs.existsSync(htmlTmp)) {
      result.failure = `jupyter nbconvert --to html failed (exit ${conv.code}):\n${tail(conv.stderr)}`;
    } else {
      if (opts.mathjax === 'render') {
        const t = Date.now();
        try {
          const m = await reportMath.renderReportMath(htmlTmp, { browser: dirs.browser.get });
          result.formulas = m.formulas;
          for (const e of m.texErrors) result.warnings.push(`TeX error in the markdown: ${e}`);
        } catch (e) {
          // The notebook ran; only its report's math is left as TeX. Said loudly, and the test of the report fails.
          result.warnings.push(`math left as TeX in the report: ${e && e.message ? e.message : e}`);
        }
        result.mathSeconds = (Date.now() - t) / 1000;
      }
      result.html = finalHtml;
      fs.renameSync(htmlTmp, result.html);
      result.htmlBytes = fs.statSync(result.html).size;
    }
  }
  result.notebook = finalNotebook;
  fs.renameSync(executedTmp, result.notebook);
  result.notebookBytes = fs.statSync(result.notebook).size;
  result.ok = !result.failure && result.errors.length === 0;
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

/** One notebook's lines: status, time (execution, report), figures, sizes, where the files are, what went wrong. */
function printResult(r) {
  const status = r.ok ? 'ok  ' : 'FAIL';
  const times = [`execute ${r.executeSeconds.toFixed(1)} s`];
  if (r.htmlSeconds) times.push(`report ${(r.htmlSeconds + r.mathSeconds).toFixed(1)} s`);
  const what = [`${r.figures} figure(s)`];
  if (r.formulas) what.push(`${r.formulas} formula(s) typeset`);
  console.log(`${status} ${r.name}: ${r.seconds.toFixed(1)} s (${times.join(', ')}), ${what.join(', ')}`);
  if (r.notebook) console.log(`     ${rel(r.notebook)}  ${mb(r.notebookBytes)}`);
  if (r.html) console.log(`     ${rel(r.html)}  ${mb(r.htmlBytes)}`);
  for (const w of r.warnings) console.log(`     WARNING ${w}`);
  for (const e of r.errors) console.log(`     ERROR in ${u.describeError(e)}`);
  if (r.aborted.length) console.log(`     not run after the error: cells ${r.aborted.join(', ')}`);
  if (r.failure) console.log(`     ${r.failure.replace(/\n/g, '\n     ')}`);
}

/**
 * `OUT/dist` as a link to the build, so that an executed notebook in OUT/notebooks runs
 * again where it is: notebooks import `../dist`. Anything else already there is left alone.
 */
function linkDist(out) {
  const link = path.join(out, 'dist');
  let st = null;
  try {
    st = fs.lstatSync(link);
  } catch {
    // nothing there yet
  }
  if (st && !st.isSymbolicLink()) return;
  if (st) fs.rmSync(link);
  fs.symlinkSync(path.relative(out, path.join(ROOT, 'dist')), link, 'dir');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const start = Date.now();
  let buildSeconds = 0;
  for (const f of opts.files) if (!fs.existsSync(f)) usage(`no such notebook: ${f}`);
  const files = opts.files.length ? opts.files : selectNotebooks(opts.only);
  if (files.length === 0) usage('notebooks/ has no .ipynb files');
  const jupyter = requireJupyter();

  if (opts.build) {
    const t = Date.now();
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    if (b.status !== 0) {
      process.stderr.write(`run-notebooks: npm run build failed (exit ${b.status ?? b.error}); fix the TypeScript errors above\n`);
      process.exit(1);
    }
    buildSeconds = (Date.now() - t) / 1000;
    console.log(`built dist/ in ${buildSeconds.toFixed(1)} s`);
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    process.stderr.write('run-notebooks: dist/ is not built; run npm run build (or drop --no-build)\n');
    process.exit(1);
  }
  registerKernel();
  // Kernels skip their own Chromium: scripts/static-images.js draws every figure afterwards with one browser.
  process.env.CV_STATIC_IMAGES ??= '0';
  try {
    // Minify and cache plotly.js once here rather than in the first kernel (src/display/plotly.ts plotlySource).
    require(path.join(ROOT, 'dist', 'display', 'plotly.js')).plotlySource();
  } catch {
    // the kernel will do it (or fail visibly in the notebook)
  }

  const dirs = { notebooks: path.join(opts.out, 'notebooks'), report: path.join(opts.out, 'report') };
  fs.mkdirSync(dirs.notebooks, { recursive: true });
  linkDist(opts.out);
  if (opts.html) fs.mkdirSync(dirs.report, { recursive: true });
  // nbconvert writes non-atomically: it writes here, then each file is renamed into place.
  dirs.tmp = fs.mkdtempSync(path.join(opts.out, '.tmp-'));

  const jobs = Math.min(opts.jobs, files.length);
  console.log(`running ${files.length} notebook(s) with the ${KERNEL_NAME} kernel, ${jobs} at a time (jupyter nbconvert ${jupyter.nbconvert})`);
  const results = new Array(files.length);
  dirs.browser = sharedBrowser();
  try {
    // A small pool: each worker takes the next notebook; results are printed in notebook order as soon as all
    // earlier ones are done, so the output reads the same whatever the number of jobs.
    let next = 0;
    let printed = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        results[i] = await runNotebook(files[i], jupyter, opts, dirs);
        while (printed < files.length && results[printed]) printResult(results[printed++]);
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    await dirs.browser.close();
    fs.rmSync(dirs.tmp, { recursive: true, force: true });
  }
  // Every figure gets its static image (untrusted viewers, GitHub) and each report plotly.js inlined once.
  const imagesStart = Date.now();
  await require('./static-images').finishOutputs({
    notebooks: results.map((r) => r.notebook).filter(Boolean),
    reports: results.map((r) => r.html).filter(Boolean),
  });
  // Sizes after the images and plotly.js went in: what a reader downloads.
  for (const r of results) {
    if (r.notebook && fs.existsSync(r.notebook)) r.notebookBytes = fs.statSync(r.notebook).size;
    if (r.html && fs.existsSync(r.html)) r.htmlBytes = fs.statSync(r.html).size;
    if (r.notebook) console.log(`  ${r.name}: executed notebook ${mb(r.notebookBytes)}${r.html ? `, report ${mb(r.htmlBytes)}` : ''} (with images)`);
  }
  console.log(`images and plotly.js: ${((Date.now() - imagesStart) / 1000).toFixed(1)} s`);
  const seconds = (Date.now() - start) / 1000;
  const sum = (k) => results.reduce((s, r) => s + (r[k] || 0), 0);
  const parts = [];
  if (opts.build) parts.push(`build ${buildSeconds.toFixed(1)} s`);
  // With several jobs the notebooks' own times overlap: their sum is not a share of the wall-clock time.
  const each = jobs > 1 ? 'summed over notebooks run side by side: ' : '';
  parts.push(`${each}execute ${sum('executeSeconds').toFixed(1)} s`);
  if (opts.html) parts.push(`reports ${(sum('htmlSeconds') + sum('mathSeconds')).toFixed(1)} s`);
  const bytes = [sum('notebookBytes') && `notebooks ${mb(sum('notebookBytes'))}`, sum('htmlBytes') && `reports ${mb(sum('htmlBytes'))}`].filter(Boolean);
  console.log(`in all: ${seconds.toFixed(1)} s for ${results.length} notebook(s) (${parts.join(', ')})${bytes.length ? `; ${bytes.join(', ')}` : ''}`);
  const failed = results.filter((r) => !r.ok);
  if (opts.json) {
    u.writeFileAtomic(opts.json, `${JSON.stringify({ ok: failed.length === 0, seconds, results }, null, 2)}\n`);
  }
  if (failed.length) {
    console.log(`${failed.length} of ${results.length} notebook(s) failed: ${failed.map((r) => r.name).join(', ')}`);
    process.exit(1);
  }
  if (results.some((r) => r.html)) console.log(`reports: ${rel(dirs.report)}${path.sep}`);
}

main().catch((e) => {
  // Our own errors name where they come from ("static-images: no Chromium …") and say what to do: one line.
  // Anything else is a bug in these scripts, and its stack is what a bug report needs.
  const own = e instanceof Error && /^[\w-]+: /.test(e.message);
  process.stderr.write(own ? `${e.message.split('\n')[0]}\n` : `run-notebooks: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
