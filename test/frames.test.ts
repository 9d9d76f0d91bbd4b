/**
 * Frames that read well (src/analysis/frames.ts, src/display/frames.ts): numbers
 * at a sensible precision, full column names, first and last rows of long
 * frames with a row count, everything escaped; on plain rows and danfo frames.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { danfo, formatCell, formatNumber, frameHtml, frameText, toDataFrame } from '../src/analysis';
import { showFrame } from '../src/display/frames';

const PAYLOAD = '<img src=x onerror=alert(1)>';

describe('formatNumber', () => {
  it('keeps integers exact and gives others six significant digits without trailing zeros', () => {
    assert.equal(formatNumber(40781), '40781');
    assert.equal(formatNumber(-3), '-3');
    assert.equal(formatNumber(40933.91169), '40933.9');
    assert.equal(formatNumber(0.661234567), '0.661235');
    assert.equal(formatNumber(1231286.81), '1231287');
    assert.equal(formatNumber(0.5), '0.5');
    assert.equal(formatNumber(2.5000001), '2.5');
    assert.equal(formatNumber(-0.00012345678), '-0.000123457');
  });

  it('switches to exponent notation for tiny and huge numbers, and spells out the non-finite', () => {
    assert.equal(formatNumber(1.5e-7), '1.5e-7');
    assert.equal(formatNumber(6.02214076e23), '6.02214e+23');
    assert.equal(formatNumber(1e21), '1e+21');
    assert.equal(formatNumber(NaN), 'NaN');
    assert.equal(formatNumber(Infinity), 'Infinity');
    assert.equal(formatNumber(-Infinity), '-Infinity');
  });

  it('takes other precisions, and never shows -0', () => {
    assert.equal(formatNumber(Math.PI, 3), '3.14');
    assert.equal(formatNumber(Math.PI, 1), '3');
    assert.equal(formatNumber(-0.0000001, 1), '-1e-7');
    assert.equal(formatNumber(-0.4, 1), '-0.4');
    assert.equal(formatNumber(-0.04, 1), '-0.04');
  });

  it('formats cells: arrays as lists, null, missing, objects as JSON', () => {
    assert.equal(formatCell([0.5, 1 / 3, NaN]), '[0.5, 0.333333, NaN]');
    assert.equal(formatCell(new Float64Array([1, 2])), '[1, 2]');
    assert.equal(formatCell(null), 'null');
    assert.equal(formatCell(undefined), '');
    assert.equal(formatCell({ a: 1 }), '{"a":1}');
    assert.equal(formatCell('candidate'), 'candidate');
  });
});

/** 30 rows of a long frame: timestep, a value with many digits, a long column name. */
const long = Array.from({ length: 30 }, (_, i) => ({ timestep: i + 1, funds: 40000 + i / 7, max_conviction_share_of_trigger: i === 0 ? NaN : 1 / (i + 2) }));

describe('frameText', () => {
  it('shows a short frame whole, with full column names, numbers right-aligned and the shape', () => {
    const text = frameText([
      { participant_count: 60, status: 'candidate', share: 0.123456789 },
      { participant_count: 61, status: 'killed', share: 12 },
    ]);
    assert.equal(
      text,
      ['   participant_count  status        share', '0                 60  candidate  0.123457', '1                 61  killed           12', '[2 rows × 3 columns]'].join('\n'),
    );
  });

  it('shows the first and last rows of a long frame around an ellipsis, with the full row count', () => {
    const lines = frameText(long).split('\n');
    assert.equal(lines.length, 1 + 5 + 1 + 5 + 1);
    assert.match(lines[0], /timestep +funds +max_conviction_share_of_trigger$/);
    assert.match(lines[1], /^0 +1 +40000 +NaN$/);
    assert.match(lines[6], /^… +… +… +…$/);
    assert.match(lines[7], /^25 +26 +40003\.6 +0\.037037$/);
    assert.match(lines[11], /^29 +30 +40004\.1 +0\.0322581$/);
    assert.equal(lines[12], '[30 rows × 3 columns]');
  });

  it('follows head, tail, maxRows, columns, digits, index and title', () => {
    const text = frameText(long, { head: 1, tail: 2, columns: ['funds'], digits: 3, index: false, title: 'funds' });
    assert.equal(text, ['funds', 'funds', '40000', '    …', '40004', '40004', '[30 rows × 1 column]'].join('\n'));
    assert.equal(frameText(long, { maxRows: 30 }).split('\n').length, 32);
    assert.equal(frameText(long, { head: 0, tail: 1, index: false, columns: ['timestep'] }), ['timestep', '       …', '      30', '[30 rows × 1 column]'].join('\n'));
  });

  it('rejects bad options with the option and the allowed range', () => {
    assert.throws(() => frameText(long, { digits: 0 }), /^RangeError: frameText: digits must be an integer from 1 to 17, got 0$/);
    assert.throws(() => frameHtml(long, { head: -1 }), /^RangeError: frameHtml: head must be an integer from 0 to 1000000, got -1$/);
    assert.throws(() => frameText(long, { columns: ['nope'] }), /^RangeError: frameText: unknown column\(s\) "nope"; the frame has timestep, funds, max_conviction_share_of_trigger$/);
    assert.throws(() => frameText(42 as never), /^TypeError: frameText: expected a danfo DataFrame or Series, or an array of row objects$/);
    assert.throws(() => frameText([1] as never), /^TypeError: frameText: rows must be objects, got number$/);
  });
});

describe('frameHtml', () => {
  it('writes a pandas-style table: header of full names, index, right-aligned numbers, shape line', () => {
    const html = frameHtml([{ participant_count: 60, status: 'candidate' }]);
    assert.equal(
      html,
      [
        '<div class="cv-frame">',
        '<table class="dataframe" border="1">',
        '<thead>',
        '<tr><th></th><th style="text-align: right;">participant_count</th><th>status</th></tr>',
        '</thead>',
        '<tbody>',
        '<tr><th>0</th><td style="text-align: right;">60</td><td>candidate</td></tr>',
        '</tbody>',
        '</table>',
        '<p>1 row × 2 columns</p>',
        '</div>',
      ].join('\n'),
    );
  });

  it('elides the middle of a long frame with one "…" row', () => {
    const html = frameHtml(long);
    assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 10 + 1);
    assert.match(html, /<tr><th>…<\/th><td>…<\/td><td>…<\/td><td>…<\/td><\/tr>\n<tr><th>25<\/th>/);
    assert.match(html, /<p>30 rows × 3 columns<\/p>/);
  });

  it('escapes column names, cells, index labels and the title', () => {
    const html = frameHtml([{ [PAYLOAD]: PAYLOAD, note: `"quoted" & 'single'` }], { title: PAYLOAD });
    assert.doesNotMatch(html, /<img/);
    assert.equal(html.split('&#60;img src=x onerror=alert(1)&#62;').length - 1, 3);
    assert.match(html, /&#34;quoted&#34; &#38; &#39;single&#39;/);
  });
});

describe('danfo frames', () => {
  it('renders a DataFrame with its own index labels and a Series as one column', () => {
    const df = toDataFrame(long).loc({ columns: ['timestep', 'funds'] });
    const tail = df.tail(2);
    assert.equal(frameText(tail), ['    timestep    funds', '28        29    40004', '29        30  40004.1', '[2 rows × 2 columns]'].join('\n'));
    assert.equal(frameText(df['timestep'].head(2)), ['   timestep', '0         1', '1         2', '[2 rows × 1 column]'].join('\n'));
    const dfd = danfo();
    assert.equal(frameText(new dfd.DataFrame([[1, 'a']], { columns: ['x', 'y'] }), { index: false }), ['x  y', '1  a', '[1 row × 2 columns]'].join('\n'));
  });
});

describe('showFrame', () => {
  it('renders first, so a bad option is reported as such, and names tslab outside a kernel', () => {
    assert.throws(() => showFrame(long, { digits: 99 }), /frameHtml: digits must be an integer from 1 to 17/);
    assert.throws(() => showFrame(long), /^Error: showFrame: works only inside a tslab kernel/);
  });
});
