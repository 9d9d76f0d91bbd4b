/**
 * Figures in the real classic Notebook (Debian's jupyter-notebook 6.x), driven by headless Chromium: an executed
 * notebook (as `npm start` writes it) opened untrusted shows every figure as an image; trusted, every figure is
 * interactive; with every output cleared and the page reloaded, re-running one figure cell (and another in a second
 * tab) draws an interactive figure on its own, with a static image from the live kernel, and nothing asks for a
 * restart. The server runs on 127.0.0.1 with a free port, no token, its own Jupyter data/config/runtime dirs.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { executeLikeNpmStart, FIGURE_CELLS, launchChromium, ROOT, writeFigureNotebook } from './helpers/figure-notebook';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyter = require('../scripts/jupyter.js') as {
  jupyterEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  ensureKernel(dir?: string): string;
  findJupyter(): { cmd: string } | null;
};

const T = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Signs `file` as `jupyter trust` does; Debian ships no jupyter-trust script, so nbformat's TrustNotebookApp is run
 * with the Python of the `jupyter` executable.
 */
function trust(jupyterCmd: string, file: string, env: NodeJS.ProcessEnv): void {
  let r = spawnSync(jupyterCmd, ['trust', file], { env, encoding: 'utf8' });
  if (r.status === 0) return;
  const exe = spawnSync('sh', ['-c', `command -v "$0"`, jupyterCmd], { encoding: 'utf8' }).stdout.trim();
  const shebang = /^#!\s*(\S+)/.exec(fs.readFileSync(exe, 'utf8').split('\n')[0]);
  assert.ok(shebang, `jupyter trust failed and ${exe} has no #! line: ${r.stderr}`);
  r = spawnSync(shebang[1], ['-c', 'from nbformat.sign import TrustNotebookApp; TrustNotebookApp.launch_instance()', file], {
    env,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `signing ${file} failed: ${r.stderr}`);
}

/** Notebook page state: trusted flag, per figure output whether it shows an image / a plotly plot. */
async function figureStates(page: Page) {
  return page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const J = (window as any).Jupyter;
    const areas = [...document.querySelectorAll('.output_area')].filter((a) => a.querySelector('.cv-plotly-figure, img'));
    return {
      trusted: Boolean(J.notebook.trusted),
      figures: areas.map((a) => {
        const img = [...a.querySelectorAll('img')].find((i) => i.complete && i.naturalWidth > 100 && i.offsetHeight > 100);
        const plot = a.querySelector('.js-plotly-plot .main-svg');
        return { image: Boolean(img), interactive: Boolean(plot) };
      }),
      text: document.body.innerText,
      plotlyLoaded: typeof (window as unknown as { Plotly?: unknown }).Plotly !== 'undefined',
    };
  });
}

async function openNotebook(page: Page, url: string) {
  await page.goto(url, { waitUntil: 'load', timeout: T });
  await page.waitForFunction(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    () => Boolean((window as any).Jupyter?.notebook?._fully_loaded),
    undefined,
    { timeout: T },
  );
}

/** Kills every process whose command line names `folder` (Linux: /proc). */
function killProcessesUnder(folder: string): void {
  let pids: string[] = [];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
}

describe('classic Notebook (jupyter-notebook) shows every figure', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let base = '';
  let env: NodeJS.ProcessEnv;
  let jupyterCmd = 'jupyter';
  let serverLog = '';
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  };

  before(
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-classic-'));
      const j = jupyter.findJupyter();
      assert.ok(j, 'Jupyter is not installed (bash scripts/setup.sh)');
      jupyterCmd = j.cmd;
      // The kernel and the plotly.js asset go into the project-local data dir (as npm start / npm run lab do).
      jupyter.ensureKernel();
      const src = writeFigureNotebook(fs.mkdtempSync(path.join(dir, 'src-')));
      const executed = executeLikeNpmStart(src, path.join(dir, 'out'));
      fs.mkdirSync(path.join(dir, 'root'));
      fs.copyFileSync(executed, path.join(dir, 'root', 'figures.ipynb'));
      env = {
        ...jupyter.jupyterEnv(),
        JUPYTER_DATA_DIR: path.join(dir, 'data'),
        JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
        JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
        CV_STATIC_IMAGES: '1',
      };
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(
        jupyterCmd,
        [
          'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
          '--NotebookApp.token=', '--NotebookApp.password=', `--notebook-dir=${path.join(dir, 'root')}`,
          ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      server.stdout?.on('data', (d) => (serverLog += d));
      server.stderr?.on('data', (d) => (serverLog += d));
      const deadline = Date.now() + T;
      for (;;) {
        try {
          if ((await fetch(`${base}/api`)).ok) break;
        } catch {
          // not up yet
        }
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`notebook server did not start:\n${serverLog}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      browser = await launchChromium();
    },
    { timeout: 10 * 60 * 1000 },
  );

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      // Kernels first, so none outlives the server.
      try {
        const sessions = (await (await fetch(`${base}/api/sessions`)).json()) as { id: string }[];
        for (const s of sessions) await fetch(`${base}/api/sessions/${s.id}`, { method: 'DELETE' });
      } catch {
        // server already gone
      }
      server.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1500));
    }
    // Kernels run in sessions of their own and tslab's does not watch for its server's
    // end: one that outlived the server held the server's pipes to this process open,
    // and this file never finished. Whatever still runs from this test's folder goes.
    if (dir) killProcessesUnder(dir);
    server?.stdout?.destroy();
    server?.stderr?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('untrusted: every figure shows as an image', { timeout: T * 2 }, async () => {
    assert.ok(browser);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    watch(page);
    try {
      await openNotebook(page, `${base}/notebooks/figures.ipynb`);
      await page.waitForFunction(() => [...document.querySelectorAll('.output_area img')].every((i) => (i as HTMLImageElement).complete));
      const s = await figureStates(page);
      assert.equal(s.trusted, false, 'an executed notebook opens untrusted');
      assert.deepEqual(s.figures, FIGURE_CELLS.map(() => ({ image: true, interactive: false })));
    } finally {
      await page.close();
    }
  });

  it('trusted: every figure is interactive', { timeout: T * 2 }, async () => {
    assert.ok(browser);
    trust(jupyterCmd, path.join(dir, 'root', 'figures.ipynb'), env);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    watch(page);
    try {
      await openNotebook(page, `${base}/notebooks/figures.ipynb`);
      await page
        .waitForFunction(() => [...document.querySelectorAll('.js-plotly-plot')].filter((d) => d.querySelector('.main-svg')).length >= 2, undefined, { timeout: T })
        .catch((e) => assert.fail(`${e}\nbrowser console:\n${consoleLines.join('\n')}\n${pageErrors.join('\n')}`));
      const s = await figureStates(page);
      assert.equal(s.trusted, true);
      assert.deepEqual(s.figures.map((f) => f.interactive), FIGURE_CELLS.map(() => true));
    } finally {
      await page.close();
    }
  });

  it('after clearing every output and a reload, re-running one figure cell draws it interactively', { timeout: T * 4 }, async () => {
    assert.ok(browser);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    watch(page);
    const second = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    watch(second);
    try {
      await openNotebook(page, `${base}/notebooks/figures.ipynb`);
      await page.evaluate(async () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const nb = (window as any).Jupyter.notebook;
        nb.clear_all_output();
        await nb.save_notebook();
      });
      await page.reload({ waitUntil: 'load' });
      await openNotebook(page, page.url());
      let s = await figureStates(page);
      assert.equal(s.figures.length, 0, 'outputs cleared');
      assert.equal(s.plotlyLoaded, false, 'nothing loaded plotly.js before the re-run');
      // Run the import, then only the second figure's cell.
      await page.evaluate(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (cells) => (window as any).Jupyter.notebook.execute_cells(cells),
        [0, FIGURE_CELLS[1]],
      );
      await page
        .waitForFunction(() => [...document.querySelectorAll('.js-plotly-plot')].filter((d) => d.querySelector('.main-svg')).length === 1, undefined, { timeout: T * 2 })
        .catch(async (e) => {
          const outputs = await page.evaluate(() =>
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (window as any).Jupyter.notebook.get_cells().map((c: any) => JSON.stringify(c.output_area?.outputs ?? []).slice(0, 400)),
          );
          assert.fail(`${e}\noutputs: ${outputs.join('\n')}\nconsole:\n${consoleLines.slice(-15).join('\n')}\n${pageErrors.join('\n')}`);
        });
      s = await figureStates(page);
      assert.deepEqual(s.figures, [{ image: false, interactive: true }], 'the static image gives way to the plot');
      assert.doesNotMatch(s.text, /restart|not loaded/i);
      const kinds = await page.evaluate(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (i) => Object.keys((window as any).Jupyter.notebook.get_cell(i).output_area.outputs[0].data).sort(),
        FIGURE_CELLS[1],
      );
      assert.deepEqual(kinds, ['application/vnd.plotly.v1+json', 'image/png', 'text/html', 'text/plain'], 'the live kernel drew a PNG');

      // A second tab on the same notebook and kernel: its first figure, alone there.
      await openNotebook(second, `${base}/notebooks/figures.ipynb`);
      await second.evaluate(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (cells) => (window as any).Jupyter.notebook.execute_cells(cells),
        [FIGURE_CELLS[0]],
      );
      await second.waitForFunction(() => [...document.querySelectorAll('.js-plotly-plot')].filter((d) => d.querySelector('.main-svg')).length >= 1, undefined, { timeout: T });
      assert.equal((await figureStates(second)).figures[0]?.interactive, true);
      assert.deepEqual(pageErrors.filter((e) => /plotly|cv-/i.test(e)), []);
    } finally {
      await page.close();
      await second.close();
    }
  });
});
