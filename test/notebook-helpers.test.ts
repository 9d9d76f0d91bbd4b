/**
 * Helpers the lab notebooks call (src/analysis/describe.ts): the parameter and
 * block tables read from the model's code, and the Markdown table that shows them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockTable, markdownTable, PARAM_MEANINGS, parameterTable, triggerTable } from '../src/analysis';
import { BLOCKS } from '../src/model/blocks';
import { DEFAULT_PARAMS, PARAM_NAMES } from '../src/model/params';

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
  it('reads the four v1 blocks: description, policies and variables in call order', () => {
    const rows = blockTable();
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => r.block), [1, 2, 3, 4]);
    assert.deepEqual(rows.map((r) => r.description), BLOCKS.map((b) => b.description));
    assert.deepEqual(rows.map((r) => r.policies), ['driving_process', 'check_progress', 'trigger_function', 'participants_decisions']);
    assert.deepEqual(rows.map((r) => r.variables), ['network, funds', 'network', 'funds, network', 'network']);
  });

  it('describes any model’s blocks', () => {
    const rows = blockTable([{ policies: {}, variables: { x: () => ['x', 1] } }]);
    assert.deepEqual(rows, [{ block: 1, description: '', policies: '', variables: 'x' }]);
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
    assert.equal(md.split('\n')[2], '| 40780 | 0.5, Infinity | a\\|b c |  |  |');
    assert.equal(markdownTable([{ x: 1231286.81 }]), '| x |\n| --- |\n| 1231286.81 |');
  });

  it('is empty without columns', () => {
    assert.equal(markdownTable([]), '');
  });
});
