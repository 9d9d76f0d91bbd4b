/**
 * Shared by the front-end tests: a small notebook with two figures (one title with markup to escape), executed
 * the way `npm start` does it (scripts/run-notebooks.js, static images added afterwards), and a headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../src/display/static-image';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The figure cells' indices in the test notebook (cell 0 imports the library). */
export const FIGURE_CELLS = [1, 2];

function code(source: string) {
  return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source };
}

/** Writes the two-figure notebook into `dir` (importing this checkout's dist/ by absolute path); returns its path. */
export function writeFigureNotebook(dir: string, name = 'figures.ipynb'): string {
  const dist = path.join(ROOT, 'dist');
  const nb = {
    cells: [
      code(`import * as cv from ${JSON.stringify(dist)};`),
      code(
        "cv.showFigure({ data: [{ type: 'bar', x: ['a', 'b', 'c'], y: [3, 1, 2] }], " +
          "layout: { title: { text: 'Bars <script>alert(1)</script> & co' } } });",
      ),
      code("cv.showFigure({ data: [{ type: 'scatter', mode: 'lines', y: [1, 4, 2, 5] }], layout: { title: 'Line' } });"),
    ],
    metadata: {
      // The project's kernel, as every notebook's metadata names it (scripts/jupyter.js registers it).
      kernelspec: { display_name: 'Conviction Voting (TypeScript)', language: 'typescript', name: 'conviction-voting' },
      language_info: { name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${JSON.stringify(nb, null, 1)}\n`);
  return file;
}

/** Executes `file` as `npm start` does into `outDir` (no HTML); returns the executed notebook's path. */
export function executeLikeNpmStart(file: string, outDir: string): string {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'run-notebooks.js'), file, '--out', outDir, '--no-build', '--no-html'],
    { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60 * 1000 },
  );
  if (r.status !== 0) throw new Error(`run-notebooks failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const executed = path.join(outDir, 'notebooks', path.basename(file));
  if (!fs.existsSync(executed)) throw new Error(`no executed notebook at ${executed}:\n${r.stdout}`);
  return executed;
}

/** Headless Chromium with the project's flags; fails with the install line when there is none. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium: sudo apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
}
