/**
 * Escaped tables through the renderer that writes the HTML reports: nbconvert
 * (its mistune Markdown and its HTML template) turns a notebook whose outputs
 * carry `markdownTable` and `frameHtml` of hostile text into HTML, and no tag
 * from that text survives while every table keeps its columns. Needs Jupyter,
 * as the notebook tests do (.ci/run installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { blockTable, frameHtml, markdownTable } from '../src/analysis';
import { chromiumPath, CHROMIUM_ARGS } from '../src/display/static-image';

/** What this test uses of scripts/jupyter.js (plain JavaScript without declarations). */
interface JupyterScripts {
  findJupyter(): { cmd: string; nbconvert: string } | null;
  INSTALL_HINT: string;
  jupyterEnv(): NodeJS.ProcessEnv;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findJupyter, INSTALL_HINT, jupyterEnv } = require('../scripts/jupyter.js') as JupyterScripts;

const PAYLOAD = '<img src=x onerror=alert(1)>';
const NASTY = `${PAYLOAD} | \`code\` *em* $x$ [link](javascript:alert(2))`;

/** The HTML nbconvert writes for one notebook. */
function toHtml(doc: object): string {
  const jupyter = findJupyter();
  assert.ok(jupyter, INSTALL_HINT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-markdown-render-'));
  try {
    const file = path.join(dir, 'tables.ipynb');
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = spawnSync(jupyter.cmd, ['nbconvert', '--to', 'html', '--output-dir', dir, file], { encoding: 'utf8', env: jupyterEnv(), timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    return fs.readFileSync(path.join(dir, 'tables.html'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The report of the first test, opened in a browser by the second. */
let lastReport = '';

describe('escaped tables in an nbconvert report', () => {
  it('renders hostile cells, names and descriptions as text, with every column in place', { timeout: 180_000 }, () => {
    const table = markdownTable([{ [NASTY]: NASTY, plain: 1 }]);
    const blocks = markdownTable(blockTable([{ description: NASTY, policies: { [PAYLOAD]: () => ({}) }, variables: { x: () => ['x', 1] } }]));
    const frame = frameHtml([{ [NASTY]: NASTY }], { title: NASTY });
    const output = (mime: string, text: string) => ({ output_type: 'display_data', metadata: {}, data: { [mime]: text } });
    const doc = {
      cells: [
        { cell_type: 'markdown', id: 'md', metadata: {}, source: table },
        {
          cell_type: 'code', id: 'out', metadata: {}, execution_count: 1, source: '',
          outputs: [output('text/markdown', table), output('text/markdown', blocks), output('text/html', frame)],
        },
      ],
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const html = toHtml(doc);
    assert.doesNotMatch(html, /<img[^>]*onerror/i, 'an injected tag was rendered');
    assert.doesNotMatch(html, /href="javascript:/i, 'an injected link was rendered');
    assert.doesNotMatch(html, /<code>code<\/code>|<em>em<\/em>/, 'injected markdown was rendered');
    const tables = [...html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)].map((m) => m[1]);
    // The markdown cell, the two markdown outputs and the frame.
    assert.equal(tables.length, 4, 'one table per output');
    const cellsOf = (t: string, tag: string) => (t.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;
    for (const t of [tables[0], tables[1]]) assert.deepEqual([cellsOf(t, 'th'), cellsOf(t, 'td')], [2, 2], t);
    assert.deepEqual([cellsOf(tables[2], 'th'), cellsOf(tables[2], 'td')], [4, 4], tables[2]);
    // The text itself reaches the reader: the payload shows as characters.
    assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62;'));
    lastReport = html;
  });

  it('runs nothing in a browser: the report opened in Chromium raises no dialog and loads no injected image', { timeout: 180_000 }, async () => {
    assert.ok(lastReport, 'the report of the first test');
    const executablePath = chromiumPath();
    assert.ok(executablePath, 'no Chromium found: sudo apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH');
    const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      const images: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (r.resourceType() === 'image') images.push(r.url());
      });
      await page.setContent(lastReport, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      const injected = await page.evaluate(() => [...document.querySelectorAll('img')].filter((i) => i.getAttribute('onerror') !== null).length);
      assert.deepEqual(dialogs, [], 'a script from the table text ran');
      assert.equal(injected, 0, 'an <img onerror> element was created');
      assert.deepEqual(images.filter((u) => !u.startsWith('data:')), [], 'an injected image was requested');
      const text = await page.evaluate(() => document.body.innerText);
      assert.ok(text.includes('<img src=x onerror=alert(1)>'), 'the payload reads as text');
    } finally {
      await browser.close();
    }
  });
});
