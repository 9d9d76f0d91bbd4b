/**
 * displayBundle and showFigure through a real tslab kernel (Jupyter nbconvert --execute): a whole MIME bundle with
 * its metadata arrives as one display_data output; a figure arrives with plotly JSON, HTML, a PNG drawn in the
 * kernel by its Chromium page, and text; with images switched off, without the PNG.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as nb from '../scripts/notebook-utils.js';
import { ROOT } from './helpers/figure-notebook';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyter = require('../scripts/jupyter.js') as {
  jupyterEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  ensureKernel(dir?: string): string;
  findJupyter(): { cmd: string } | null;
  KERNEL_NAME: string;
};

describe('bundles through a real tslab kernel', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-bundle-kernel-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends a whole bundle per display, and each figure as plotly JSON + HTML + PNG + text', { timeout: 10 * 60 * 1000 }, () => {
    const j = jupyter.findJupyter();
    assert.ok(j, 'Jupyter is not installed (bash scripts/setup.sh)');
    jupyter.ensureKernel();
    const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
    const file = path.join(dir, 'bundle.ipynb');
    const doc = {
      cells: [
        code(`import * as cv from ${JSON.stringify(path.join(ROOT, 'dist'))};`),
        code("cv.displayBundle({ 'text/plain': 'plain words', 'text/markdown': '**bold**' }, { 'text/markdown': { isolated: true } });"),
        code("cv.setStaticImages(true);\ncv.showFigure({ data: [{ type: 'bar', y: [1, 2] }], layout: { title: 'kernel', width: 500, height: 300 } });"),
        code("cv.setStaticImages(false);\ncv.showFigure({ data: [{ type: 'bar', y: [2, 1] }], layout: {} });"),
      ],
      metadata: { kernelspec: { display_name: 'TypeScript (tslab)', language: 'typescript', name: jupyter.KERNEL_NAME } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    fs.writeFileSync(file, JSON.stringify(doc));
    const env = { ...jupyter.jupyterEnv() };
    delete env.CV_STATIC_IMAGES;
    const r = spawnSync(
      j.cmd,
      ['nbconvert', '--to', 'notebook', '--execute', file, '--output-dir', path.join(dir, 'out'),
        `--ExecutePreprocessor.kernel_name=${jupyter.KERNEL_NAME}`, '--ExecutePreprocessor.timeout=300'],
      { cwd: dir, env, encoding: 'utf8', timeout: 9 * 60 * 1000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const executed = nb.readNotebook(path.join(dir, 'out', 'bundle.ipynb'));
    const outs = executed.cells.map((c) => c.outputs ?? []);
    assert.deepEqual(outs[0], []);

    assert.equal(outs[1].length, 1, 'one output for the whole bundle');
    assert.equal(outs[1][0].output_type, 'display_data');
    assert.deepEqual(
      Object.fromEntries(Object.entries(outs[1][0].data).map(([k, v]) => [k, nb.text(v as string | string[])])),
      { 'text/plain': 'plain words', 'text/markdown': '**bold**' },
    );
    assert.deepEqual(outs[1][0].metadata, { 'text/markdown': { isolated: true } });

    assert.equal(outs[2].length, 1);
    const fig = outs[2][0].data;
    assert.deepEqual(Object.keys(fig).sort(), ['application/vnd.plotly.v1+json', 'image/png', 'text/html', 'text/plain']);
    const png = Buffer.from(nb.text(fig['image/png']), 'base64');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [500, 300], 'drawn at the layout size');
    assert.equal(nb.text(fig['text/plain']), 'Figure: kernel (1 trace)');
    assert.ok(nb.text(fig['text/html']).includes(`src="data:image/png;base64,${nb.text(fig['image/png'])}"`));

    const off = outs[3][0].data;
    assert.deepEqual(Object.keys(off).sort(), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
  });
});
