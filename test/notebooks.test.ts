/**
 * Executes every notebooks/*.ipynb through Jupyter with the real tslab kernel (scripts/run-notebooks.js, shared
 * with test/browser.test.ts through scripts/notebook-test-run.js) and checks the executed notebooks.
 * Needs Jupyter (nbconvert + nbclient); without it the tests fail with the install command (.ci/run installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { executeNotebooksOnce, type NotebookResult, type NotebookRun } from '../scripts/notebook-test-run.js';
import * as nb from '../scripts/notebook-utils.js';

/** Figures each notebook must show, by notebook name (add e.g. `lab: 9`). Notebooks not listed need none. */
const EXPECTED_FIGURES: Record<string, number> = {
  smoke: 1,
  conviction_voting_v1: 11,
  configuration_and_trigger: 7,
  experiments: 4,
  conviction_voting_v3: 20,
  deriving_alpha: 6,
  v1_vs_v3: 1,
};

/** The twenty v3 figures (MODEL_SPEC_V3 §9) by the title each carries in the v3 notebook, in order. */
const V3_FIGURES: RegExp[] = [
  /^Histogram of Participants Token Holdings$/,
  /^Participants' influence network: \d+ links/,
  /^Bar chart of Proposals Funds Requested$/,
  /^Bar chart of Proposals as Percentage of Max Conviction$/,
  /^Bar chart of Proposals Conviction Required$/,
  /^affinities between participants and proposals$/,
  /^Sentiment over time$/,
  /^Funds and candidate funds$/,
  /^affinities between participants and proposals, timestep 100$/,
  /^Proposal Status$/,
  /^Proposal Status weighted by funds requested$/,
  // rdf rows 0 and 50 of the original: timesteps 1 and 51.
  /^Tokens Staked by Participants to Proposals, timestep 1$/,
  /^Tokens Staked by Participants to Proposals, timestep 51$/,
  /^Total Supply and Funds$/,
  /^Effective supply over time$/,
  /^Count of Participants$/,
  /^Metric: Fraction of Supply For Voting$/,
  /^Metric: Fraction of Supply in Pool$/,
  /^Metric: Percentage of Proposal in Stage$/,
  /^Metric: Percentage of Funds in Stage$/,
];

/** The nine documented figures (MODEL_SPEC §9) by the title each carries in the lab notebook. */
const DOCUMENTED_FIGURES: Array<[string, RegExp]> = [
  ['1 holdings histogram', /^Histogram of Participants Token Holdings$/],
  ['2 funds requested bar', /^Histogram of Proposals Funds Requested$/],
  ['3 affinity heatmap at genesis', /^affinities between participants and proposals$/],
  ['4 affinity heatmap, final network', /^affinities between participants and proposals, timestep 100$/],
  ['5 status counts', /^Proposal Status$/],
  ['6 status weighted by funds', /^Proposal Status weighted by funds requested$/],
  // The seed's K = 3 and K = 56 index an rdf that starts at timestep 1: timesteps 4 and 57 (MODEL_SPEC §9).
  ['7 network snapshot at t = 4 (the seed\'s K = 3)', /^Tokens Staked by Participants to Proposals, timestep 4$/],
  ['8 network snapshot at t = 57 (the seed\'s K = 56)', /^Tokens Staked by Participants to Proposals, timestep 57$/],
  ['9 conviction share of trigger quantiles', /^conviction_share_of_trigger Quantile Plot$/],
];

/** Executed notebooks must stay small enough to open and to commit elsewhere. */
const MAX_EXECUTED_BYTES = 6 * 1024 * 1024;

/** The title of every figure a notebook shows, in order, read from each figure output's plotly JSON. */
function figureTitles(doc: nb.Notebook): string[] {
  const titles: string[] = [];
  for (const cell of doc.cells) {
    for (const o of cell.outputs ?? []) {
      const fig = o.data?.['application/vnd.plotly.v1+json'] as { layout?: { title?: string | { text?: string } } } | undefined;
      if (!fig) continue;
      const t = fig.layout?.title;
      titles.push(typeof t === 'string' ? t : (t?.text ?? ''));
    }
  }
  return titles;
}

const NOTEBOOK_DIR = path.join(__dirname, '..', 'notebooks');
const names = nb.notebookFiles(NOTEBOOK_DIR).map((f) => path.basename(f, '.ipynb'));

describe('notebooks (Jupyter + tslab)', () => {
  let run: NotebookRun;
  const result = (name: string): NotebookResult => {
    assert.ok(run.summary, `the notebook run broke before any result (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
    const r = run.summary.results.find((x) => x.name === name);
    assert.ok(r, `no result for ${name}:\n${run.stdout}`);
    return r;
  };
  const executed = (name: string) => {
    const r = result(name);
    assert.ok(r.notebook && fs.existsSync(r.notebook), `${name} was not executed: ${r.failure ?? ''}`);
    return nb.readNotebook(r.notebook);
  };

  before(
    async () => {
      run = await executeNotebooksOnce();
      console.log(`notebook run: exit ${run.exitCode}, ${run.seconds.toFixed(1)} s${run.reused ? ' (shared)' : ''} in ${run.dir}`);
      if (!run.reused) console.log(run.stdout + run.stderr);
    },
    { timeout: 30 * 60 * 1000 },
  );

  it('has notebooks to run', () => {
    assert.ok(names.length > 0, 'notebooks/ has no .ipynb');
  });

  it('finds Jupyter and registers the tslab kernel', () => {
    assert.notEqual(run.exitCode, 2, `Jupyter is missing or the run was misused:\n${run.stderr}`);
    assert.ok(run.summary, `the run broke (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  });

  it('links the build beside the executed notebooks, so their `../dist` import works where they are', () => {
    const imports = names.map((n) => /from \\?["'](\.\.\/dist)\\?["']/.exec(JSON.stringify(executed(n)))?.[1]);
    assert.deepEqual([...new Set(imports)], ['../dist'], 'every notebook imports ../dist');
    const target = path.join(run.dir, 'notebooks', '..', 'dist');
    assert.equal(fs.realpathSync(target), fs.realpathSync(path.join(__dirname, '..', 'dist')));
    assert.ok(fs.existsSync(path.join(target, 'index.js')));
  });

  it('shows the nine documented figures in the lab notebook (MODEL_SPEC §9)', () => {
    const titles = figureTitles(executed('conviction_voting_v1'));
    const missing = DOCUMENTED_FIGURES.filter(([, re]) => !titles.some((t) => re.test(t))).map(([what]) => what);
    assert.deepEqual(missing, [], `titles shown: ${titles.join(' | ')}`);
  });

  it('shows the twenty v3 figures in order in the v3 notebook (MODEL_SPEC_V3 §9)', () => {
    if (!names.includes('conviction_voting_v3')) return;
    const titles = figureTitles(executed('conviction_voting_v3'));
    assert.equal(titles.length, V3_FIGURES.length, `titles shown: ${titles.join(' | ')}`);
    V3_FIGURES.forEach((re, k) => assert.match(titles[k], re, `figure ${k + 1}`));
  });

  for (const name of names) {
    describe(name, () => {
      it('runs without an error in any cell', () => {
        const r = result(name);
        assert.equal(r.failure, undefined, r.failure);
        assert.deepEqual(
          r.errors.map((e) => `cell ${e.index}: ${e.ename}: ${e.evalue}\n${e.stderr}`),
          [],
          `${name} has failing cells`,
        );
        assert.deepEqual(r.aborted, []);
        assert.ok(r.ok);
      });

      it('keeps the execution count of every code cell (In [1], In [2], ... not In [ ])', () => {
        const counts = executed(name)
          .cells.filter((c) => c.cell_type === 'code' && nb.text(c.source).trim() !== '')
          .map((c) => c.execution_count);
        assert.ok(counts.length > 0, 'no code cell');
        // tslab counts every execute request of the kernel, so a headless run numbers the cells 1..n in order.
        assert.deepEqual(counts, counts.map((_, i) => i + 1));
      });

      it('names the project kernel in its metadata', () => {
        assert.deepEqual(executed(name).metadata.kernelspec, nb.projectKernelspec());
      });

      it('has no error outputs in the executed notebook', () => {
        const errs = nb.notebookErrors(executed(name));
        assert.deepEqual(errs.map(nb.describeError), []);
      });

      it(`stays under ${MAX_EXECUTED_BYTES / 1024 / 1024} MB when executed`, () => {
        const r = result(name);
        assert.ok(r.notebook);
        const size = fs.statSync(r.notebook).size;
        assert.ok(size <= MAX_EXECUTED_BYTES, `${name} is ${size} bytes`);
      });

      it(`shows ${EXPECTED_FIGURES[name] ?? 'its'} plotly figure(s), each a whole bundle with its static image`, () => {
        const doc = executed(name);
        const count = nb.figureCount(doc);
        if (name in EXPECTED_FIGURES) assert.equal(count, EXPECTED_FIGURES[name], `figures in ${name}`);
        // Every figure output stands alone: plotly JSON, HTML with the image, PNG, text; plotly.js is never inlined.
        const outputs = doc.cells.flatMap((cell) => cell.outputs ?? []);
        const figures = outputs.filter((o) => nb.text(o.data?.['text/html']).includes(`class="${nb.FIGURE_CLASS}"`));
        assert.equal(figures.length, count);
        for (const o of figures) {
          const data = o.data ?? {};
          assert.deepEqual(
            Object.keys(data).sort(),
            ['application/vnd.plotly.v1+json', 'image/png', 'text/html', 'text/plain'],
          );
          assert.match(nb.text(data['text/html']), /<img class="cv-plotly-static" src="data:image\/png;base64,/);
          assert.match(nb.text(data['image/png'] as string), /^iVBORw0KGgo/, 'a PNG');
        }
        assert.deepEqual(outputs.filter((o) => nb.text(o.data?.['text/html']).length > 1e6).length, 0, 'no plotly.js in outputs');
      });

      it('writes a non-empty HTML report', () => {
        const r = result(name);
        assert.ok(r.html && fs.existsSync(r.html), 'no HTML report');
        const html = fs.readFileSync(r.html, 'utf8');
        assert.equal((html.match(new RegExp(`<div id="[^"]*" class="${nb.FIGURE_CLASS}"`, 'g')) ?? []).length, r.figures);
        // Nothing is loaded from anywhere, not even MathJax (scripts/report-math.js typesets the math beforehand).
        assert.doesNotMatch(html, /<(script|link|img)\b[^>]+(src|href)="(https?:|file:|\/\/)/, 'the report must not load anything');
      });
    });
  }

  it('the smoke notebook prints the library exports', () => {
    if (!names.includes('smoke')) return;
    const doc = executed('smoke');
    const out = doc.cells.flatMap((c) => c.outputs ?? []).map((o) => nb.text(o.text)).join('');
    assert.match(out, /conviction-voting exports \d+ names/);
  });

  it('rejects bad options with one line naming the option, before any work', () => {
    const script = path.join(__dirname, '..', 'scripts', 'run-notebooks.js');
    for (const [args, re] of [
      [['--jobs', '0'], /^run-notebooks: --jobs must be a whole number >= 1$/],
      [['--jobs=1.5'], /^run-notebooks: --jobs must be a whole number >= 1$/],
      [['--mathjax', 'katex'], /^run-notebooks: --mathjax must be render, local, cdn, none or a URL of MathJax\.js, not katex$/],
    ] as const) {
      const r = spawnSync(process.execPath, [script, '--no-build', ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr.split('\n')[0], re);
    }
  });

  it('reports a failing cell (tslab sends no error output; scripts/nbconvert_config.py adds one)', { timeout: 300_000 }, () => {
    if (!run.summary) assert.fail(`Jupyter is not usable:\n${run.stderr}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-failing-notebook-'));
    try {
      const cell = (id: string, source: string) => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source });
      const failing = {
        cells: [cell('ok', 'console.log("before");'), cell('boom', 'throw new RangeError("boom");'), cell('after', 'console.log("after");')],
        metadata: { kernelspec: nb.projectKernelspec() },
        nbformat: 4,
        nbformat_minor: 5,
      };
      const file = path.join(dir, 'failing.ipynb');
      fs.writeFileSync(file, JSON.stringify(failing));
      const summaryFile = path.join(dir, 'summary.json');
      const script = path.join(__dirname, '..', 'scripts', 'run-notebooks.js');
      const r = spawnSync(process.execPath, [script, '--no-build', '--no-html', '--out', dir, '--json', summaryFile, file], { encoding: 'utf8' });
      assert.equal(r.status, 1, `expected exit 1:\n${r.stdout}\n${r.stderr}`);
      const [result] = JSON.parse(fs.readFileSync(summaryFile, 'utf8')).results;
      assert.equal(result.ok, false);
      assert.deepEqual(result.errors.map((e: nb.NotebookError) => [e.index, e.ename, e.evalue]), [[1, 'RangeError', 'boom']]);
      const doc = nb.readNotebook(result.notebook);
      assert.equal(nb.notebookErrors(doc).length, 1);
      assert.match(r.stdout, /ERROR in cell 1: RangeError: boom/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
