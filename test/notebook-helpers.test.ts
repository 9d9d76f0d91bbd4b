/**
 * Helpers the lab notebooks call (src/analysis/describe.ts): the parameter and
 * block tables read from the model's code, and the Markdown table that shows them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bandsWith,
  blockTable,
  escapeHtml,
  escapeMarkdown,
  finalMetrics,
  finalQuantiles,
  finalRecord,
  finalValue,
  markdownTable,
  metricBands,
  PARAM_MEANINGS,
  parameterTable,
  sweepSummary,
  triggerTable,
} from '../src/analysis';
import { BLOCKS } from '../src/models/v1/blocks';
import { SCALAR_METRICS } from '../src/analysis/metrics';
import { simulate } from '../src/models/v1';
import { DEFAULT_PARAMS, PARAM_NAMES } from '../src/models/v1/params';

describe('parameterTable', () => {
  it('lists every parameter in declaration order with its default, range and meaning', () => {
    const rows = parameterTable();
    assert.deepEqual(rows.map((r) => r.parameter), PARAM_NAMES);
    for (const r of rows) {
      assert.equal(r.value, DEFAULT_PARAMS[r.parameter]);
      assert.equal(r.default, DEFAULT_PARAMS[r.parameter]);
      assert.ok(r.meaning.length > 0, `${r.parameter} has no meaning`);
    }
    assert.deepEqual(Object.keys(PARAM_MEANINGS).sort(), [...PARAM_NAMES].sort(), 'one meaning per parameter, no stale ones');
    const n = rows.find((r) => r.parameter === 'n')!;
    assert.equal(n.range, 'an integer >= 1');
    const beta = rows.find((r) => r.parameter === 'beta')!;
    assert.equal(beta.range, 'a finite number >= 0.000001 and < 1');
  });

  it('applies and validates overrides', () => {
    const rho = parameterTable({ rho: 0.002 }).find((r) => r.parameter === 'rho')!;
    assert.equal(rho.value, 0.002);
    assert.equal(rho.default, 0.02);
    assert.throws(() => parameterTable({ rho: -1 }), /rho must be a finite number > 0/);
  });

  it('lists only the changed parameters when asked', () => {
    assert.deepEqual(parameterTable({ rho: 0.002, alpha: 0.5, tmin: 3 }, { changed: true }).map((r) => [r.parameter, r.value, r.default]), [
      ['rho', 0.002, 0.02],
      ['tmin', 3, 7],
    ]);
    assert.deepEqual(parameterTable({}, { changed: true }), []);
  });
});

describe('triggerTable', () => {
  it('gives each request its share, trigger and the steady stake whose conviction limit reaches the trigger', () => {
    const [small, big] = triggerTable([465, 8200]);
    // 465 / 40781.42 = 0.011402...; 0.02 * 1231286.81 / (0.2 - 0.011402)^2 = 692 334.9
    assert.ok(Math.abs(small.share_of_funds - 465 / 40781.42) < 1e-15);
    assert.ok(Math.abs(small.trigger - (0.02 * 1231286.81) / (0.2 - 465 / 40781.42) ** 2) < 1e-6);
    assert.ok(Math.abs(small.trigger - 692334.9) < 0.1);
    assert.equal(small.stake_to_pass, small.trigger * 0.5);
    // 8200 / 40781.42 > beta = 0.2: no conviction is enough
    assert.equal(big.trigger, Infinity);
    assert.equal(big.stake_to_pass, Infinity);
  });

  it('takes parameter overrides and other funds', () => {
    const [row] = triggerTable([1000], { rho: 0.002, alpha: 0.9 }, 20000);
    const expected = (0.002 * 1231286.81) / (0.2 - 0.05) ** 2;
    assert.ok(Math.abs(row.trigger - expected) < 1e-6);
    assert.ok(Math.abs(row.stake_to_pass - expected * 0.1) < 1e-6);
    assert.throws(() => triggerTable([1], { beta: 2 }), /beta/);
  });
});

describe('blockTable', () => {
  it('reads the four v1 blocks: description, policies and state updates in call order', () => {
    const rows = blockTable();
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => r.block), [1, 2, 3, 4]);
    assert.deepEqual(rows.map((r) => r.description), BLOCKS.map((b) => b.description));
    assert.deepEqual(rows.map((r) => r.policies), ['driving_process', 'check_progress', 'trigger_function', 'participants_decisions']);
    assert.deepEqual(rows.map((r) => r.state_updates), [
      'updateNetwork → network, incrementFunds → funds',
      'completeProposals → network',
      'decrementFunds → funds, activateProposals → network',
      'updateTokens → network',
    ]);
  });

  it('describes any model’s blocks', () => {
    const rows = blockTable([{ policies: {}, variables: { x: () => ['x', 1], y: [() => ['y', 2]][0] } }]);
    assert.deepEqual(rows, [{ block: 1, description: '', policies: '', state_updates: 'x → x, (anonymous) → y' }]);
  });
});

/** What a renderer shows for escaped text: character references decoded. */
function decodeReferences(s: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&' };
  return s.replace(/&(#(\d+)|[a-z]+);/g, (m: string, _ref: string, code: string | undefined) => (code ? String.fromCharCode(Number(code)) : named[m.slice(1, -1)] ?? m));
}

const PAYLOAD = '<img src=x onerror=alert(1)>';

describe('escaping user-supplied text', () => {
  it('escapes HTML so that it is text, in content and in quoted attributes', () => {
    assert.equal(escapeHtml(PAYLOAD), '&#60;img src=x onerror=alert(1)&#62;');
    assert.equal(escapeHtml(`a & "b" 'c'`), 'a &#38; &#34;b&#34; &#39;c&#39;');
    assert.equal(escapeHtml('&lt;'), '&#38;lt;', 'an entity typed by the user stays as typed');
  });

  it('escapes Markdown: no tag, no code span, no cell break, no link, no emphasis, no math, and nothing lost', () => {
    const nasty = `${PAYLOAD} | \`code\` *em* _u_ [x](javascript:alert(1)) ![i](x) $x$ # h \\ ~s~ &amp; &#124;`;
    const md = escapeMarkdown(nasty);
    assert.doesNotMatch(md, /[<>"'\\`*_~[\]!|$]/, 'no special character is left as such');
    assert.equal(decodeReferences(md), nasty, 'a renderer shows exactly the text given');
    assert.equal(escapeMarkdown('two\nlines\r\nhere'), 'two lines here');
    assert.equal(escapeMarkdown('participant_count'), 'participant&#95;count');
  });
});

describe('markdownTable', () => {
  it('writes a header, a rule and one line per row, columns from the first row', () => {
    const md = markdownTable([
      { a: 1, b: 'x' },
      { a: 2.5, b: 'y' },
    ]);
    assert.equal(md, '| a | b |\n| --- | --- |\n| 1 | x |\n| 2.5 | y |');
  });

  it('takes chosen columns, shortens long numbers, joins arrays, escapes pipes and blanks missing cells', () => {
    const md = markdownTable([{ v: 40781.911699844, arr: [0.5, Infinity], s: 'a|b\nc', n: null }], ['v', 'arr', 's', 'n', 'gone'], { digits: 4 });
    assert.equal(md.split('\n')[2], '| 40780 | 0.5, Infinity | a&#124;b c |  |  |');
    assert.equal(markdownTable([{ x: 1231286.81 }]), '| x |\n| --- |\n| 1231286.81 |');
  });

  it('escapes cells, column names and array items: an injected tag stays text and the table keeps its columns', () => {
    const md = markdownTable([{ [PAYLOAD]: PAYLOAD, 'a|b': '`x` | y', list: [PAYLOAD, 1] }]);
    const lines = md.split('\n');
    assert.doesNotMatch(md, /<img/);
    // Each line still has exactly 3 cells: 4 pipes.
    for (const line of lines) assert.equal(line.split('|').length - 1, 4, line);
    assert.equal(lines[0], '| &#60;img src=x onerror=alert(1)&#62; | a&#124;b | list |');
    assert.equal(lines[2], '| &#60;img src=x onerror=alert(1)&#62; | &#96;x&#96; &#124; y | &#60;img src=x onerror=alert(1)&#62;, 1 |');
  });

  it('escapes what the model tables carry: block descriptions, policy names, parameter meanings', () => {
    const f = () => ['x', 1] as const;
    const md = markdownTable(blockTable([{ description: `${PAYLOAD} **bold**`, policies: { [PAYLOAD]: f }, variables: { [`${PAYLOAD}|`]: f } }]));
    assert.doesNotMatch(md, /<img/);
    assert.match(md, /\| 1 \| &#60;img src=x onerror=alert\(1\)&#62; &#42;&#42;bold&#42;&#42; \| &#60;img/);
    assert.doesNotMatch(markdownTable(parameterTable()), /<|>/);
  });

  it('is empty without columns', () => {
    assert.equal(markdownTable([]), '');
  });
});

describe('final values by name', () => {
  const one = simulate({ seed: 107, timesteps: 20 });
  const two = simulate({ seed: 107, timesteps: 20, runs: 2 });

  it('finalRecord: the last record of one run, from its records, its result or a one-run experiment', () => {
    const records = one.results[0].records;
    const last = records[records.length - 1];
    assert.deepEqual([last.timestep, last.substep], [20, 4]);
    assert.equal(finalRecord(records), last);
    assert.equal(finalRecord(one.results[0]), last);
    assert.equal(finalRecord(one), last);
    assert.throws(() => finalRecord(two), /^RangeError: finalRecord: the experiment holds 2 runs; pass one of them/);
    assert.throws(() => finalRecord(two.results.flatMap((r) => r.records)), /^RangeError: finalRecord: the records belong to several runs \(run 1 and run 2\)/);
    assert.throws(() => finalRecord([]), /finalRecord: the run has no records/);
    assert.throws(() => finalRecord(7 as never), /^TypeError: finalRecord: expected a run's records/);
  });

  it('finalMetrics: the last metric row, computed from records or kept with keep: metrics', () => {
    const m = finalMetrics(one.results[0]);
    const last = finalRecord(one);
    assert.equal(m.timestep, 20);
    assert.equal(m.funds, last.funds);
    assert.equal(m.participant_count, last.network.participantCount);
    const kept = simulate({ seed: 107, timesteps: 20, keep: 'metrics', metrics: SCALAR_METRICS });
    assert.equal(kept.results[0].records.length, 0);
    assert.deepEqual(finalMetrics(kept), m);
    assert.throws(() => finalMetrics(two), /^RangeError: finalMetrics: the experiment holds 2 runs/);
  });

  it('finalValue and finalQuantiles read a band at its last timestep', () => {
    const band = {
      simulation: 0, subset: 0, metric: 'x', probs: [0.25, 0.5, 0.75], timesteps: [0, 1, 2],
      quantiles: [[1, 2, 3], [4, 5, 6], [7, 8, null]], counts: [3, 3, 2], runs: 3,
    };
    assert.equal(finalValue(band), 6);
    assert.equal(finalValue([band], 0.25), 3);
    assert.equal(finalValue(band, 0.75), null);
    assert.deepEqual(finalQuantiles(band), { timestep: 2, quantiles: [{ prob: 0.25, value: 3 }, { prob: 0.5, value: 6 }, { prob: 0.75, value: null }] });
    assert.throws(() => finalValue(band, 0.95), /^RangeError: finalValue: the band has no quantile 0.95; it has 0.25, 0.5, 0.75$/);
    assert.throws(() => finalValue([band, band]), /^RangeError: finalValue: got 2 bands \(one per simulation and subset\); pass one of them/);
    assert.throws(() => finalQuantiles({ ...band, timesteps: [], quantiles: [[], [], []] }), /finalQuantiles: the band is empty/);
  });

  it('agree with the run: the median band of one run is its final value', () => {
    assert.equal(finalValue(metricBands(one, 'candidate_count')), finalMetrics(one.results[0]).candidate_count);
  });

  it('sweepSummary counts the runs in which a proposal passed', () => {
    const low = simulate({ seed: 107, runs: 3, params: { rho: 0.002 } });
    const [s] = sweepSummary(low);
    assert.equal(s.passedRuns, Math.round(s.anyPassed * s.runs));
    assert.equal(s.passedRuns, low.results.filter((r) => finalRecord(r).network.proposalsWithStatus('candidate').length < finalRecord(r).network.proposalCount - finalRecord(r).network.proposalsWithStatus('killed').length).length);
  });

  it('bandsWith keeps the bands of chosen parameter values, and says when bands carry no parameters', () => {
    const sweep = { results: simulate({ seed: 3, timesteps: 5, sweep: { rho: [0.02, 0.01, 0.002] } }).results, params: [[{ rho: 0.02 }, { rho: 0.01 }, { rho: 0.002 }]] };
    const bands = metricBands(sweep, 'funds');
    assert.deepEqual(bandsWith(bands, 'rho', [0.002, 0.02]).map((b) => b.subset), [0, 2]);
    assert.deepEqual(bandsWith(bands, 'rho', [0.5]), []);
    assert.throws(() => bandsWith(bands, 'alpha', [0.5]), /^RangeError: bandsWith: the band of simulation 0, subset 0 has no parameter 'alpha'; it has rho$/);
    assert.throws(() => bandsWith(metricBands(sweep.results, 'funds'), 'rho', [0.02]), /pass the experiment result, not its runs/);
  });
});
