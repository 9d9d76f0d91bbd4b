'use strict';
/**
 * Reading and checking .ipynb files (nbformat 4) without Jupyter: list notebooks, count plotly figures, find
 * errors, check and strip outputs. Used by scripts/run-notebooks.js, scripts/clean-notebooks.js and the tests.
 */
const fs = require('fs');
const path = require('path');
const { KERNEL_NAME, KERNEL_DISPLAY_NAME } = require('./jupyter');

/** The class of the figure divs written by src/display/plotly.ts (FIGURE_CLASS there). */
const FIGURE_CLASS = 'cv-plotly-figure';
const FIGURE_RE = new RegExp(`<div id="[^"]*" class="${FIGURE_CLASS}"`, 'g');

/** The sorted absolute paths of the *.ipynb files directly in `dir`. */
function notebookFiles(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The parsed notebook at `file`. */
function readNotebook(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A notebook text field (string or list of lines) as one string. */
function text(v) {
  return Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : '';
}

/** The code cells of a notebook, each with its index among all cells. */
function codeCells(nb) {
  return nb.cells.map((cell, index) => ({ cell, index })).filter((c) => c.cell.cell_type === 'code');
}

/** The number of plotly figures (src/display/plotly.ts divs) in the text/html outputs of `cell`. */
function cellFigureCount(cell) {
  let n = 0;
  for (const out of cell.outputs || []) {
    const html = text(out.data && out.data['text/html']);
    n += (html.match(FIGURE_RE) || []).length;
  }
  return n;
}

/** The number of plotly figures shown by a notebook (parsed, or a path to an executed .ipynb). */
function figureCount(nb) {
  if (typeof nb === 'string') nb = readNotebook(nb);
  return codeCells(nb).reduce((n, c) => n + cellFigureCount(c.cell), 0);
}

/** The figure count of each code cell that shows figures: [{ index, count }] (index among all cells). */
function figuresPerCell(nb) {
  if (typeof nb === 'string') nb = readNotebook(nb);
  return codeCells(nb)
    .map((c) => ({ index: c.index, count: cellFigureCount(c.cell) }))
    .filter((c) => c.count > 0);
}

/**
 * The errors of an executed notebook: `error` outputs (scripts/nbconvert_config.py adds one for every failed tslab
 * cell) and cells aborted after them. Each: { index, ename, evalue, stderr, source }.
 */
function notebookErrors(nb) {
  if (typeof nb === 'string') nb = readNotebook(nb);
  const errors = [];
  for (const { cell, index } of codeCells(nb)) {
    const stderr = (cell.outputs || [])
      .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
      .map((o) => text(o.text))
      .join('');
    for (const out of cell.outputs || []) {
      if (out.output_type === 'error') {
        errors.push({ index, ename: out.ename, evalue: out.evalue, stderr, source: text(cell.source) });
      }
    }
  }
  return errors;
}

/** The indexes of the cells that tslab aborted because an earlier cell failed. */
function abortedCells(nb) {
  if (typeof nb === 'string') nb = readNotebook(nb);
  return codeCells(nb)
    .filter((c) => c.cell.metadata && c.cell.metadata.conviction_voting && c.cell.metadata.conviction_voting.status)
    .map((c) => c.index);
}

/** A one-line description of an error from notebookErrors, with the first lines of the cell. */
function describeError(e) {
  const src = e.source.split('\n').slice(0, 3).join('\n      ');
  return `cell ${e.index}: ${e.ename}: ${e.evalue}\n      ${src}`;
}

/** Does any markdown cell contain LaTeX math ($...$, $$...$$, \(...\), \[...\])? */
function hasMath(nb) {
  return nb.cells.some(
    (c) => c.cell_type === 'markdown' && /\$[^$\n]+\$|\\\(|\\\[|\\begin\{/.test(text(c.source)),
  );
}

/** What makes a notebook unfit to commit: outputs, execution counts, a kernel other than the project's. */
function cleanlinessProblems(nb) {
  const problems = [];
  if (nb.nbformat !== 4) problems.push(`nbformat is ${nb.nbformat}, expected 4`);
  const ks = (nb.metadata && nb.metadata.kernelspec) || {};
  if (ks.name !== KERNEL_NAME) problems.push(`kernelspec.name is ${JSON.stringify(ks.name)}, expected "${KERNEL_NAME}"`);
  if (ks.display_name !== KERNEL_DISPLAY_NAME) {
    problems.push(`kernelspec.display_name is ${JSON.stringify(ks.display_name)}, expected "${KERNEL_DISPLAY_NAME}"`);
  }
  if (ks.language !== 'typescript') problems.push(`kernelspec.language is ${JSON.stringify(ks.language)}, expected "typescript"`);
  for (const { cell, index } of codeCells(nb)) {
    if ((cell.outputs || []).length > 0) problems.push(`cell ${index} has ${cell.outputs.length} output(s)`);
    if (cell.execution_count !== null) problems.push(`cell ${index} has execution_count ${cell.execution_count}`);
    if (cell.metadata && (cell.metadata.execution || cell.metadata.conviction_voting)) {
      problems.push(`cell ${index} has execution metadata`);
    }
  }
  if (nb.metadata && nb.metadata.widgets) problems.push('notebook has widget state metadata');
  return problems;
}

/** The kernelspec every committed notebook names: the project's kernel (scripts/jupyter.js registers it). */
function projectKernelspec() {
  return { display_name: KERNEL_DISPLAY_NAME, language: 'typescript', name: KERNEL_NAME };
}

/** A copy of `nb` without outputs, execution counts and execution metadata, naming the project's kernel. */
function cleanNotebook(nb) {
  const copy = JSON.parse(JSON.stringify(nb));
  for (const cell of copy.cells) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.conviction_voting;
      delete cell.metadata.collapsed;
      delete cell.metadata.scrolled;
    }
  }
  copy.metadata = copy.metadata || {};
  delete copy.metadata.widgets;
  copy.metadata.kernelspec = projectKernelspec();
  return copy;
}

/** Writes `content` to a temporary file in the same folder, then renames it over `file`. */
function writeFileAtomic(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

module.exports = {
  FIGURE_CLASS,
  notebookFiles,
  readNotebook,
  text,
  figureCount,
  figuresPerCell,
  notebookErrors,
  abortedCells,
  describeError,
  hasMath,
  cleanlinessProblems,
  projectKernelspec,
  cleanNotebook,
  writeFileAtomic,
};
