import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prestartHint, SMALL_WORK } from '../src/cli/args';

describe('#.prestartHint', () => {
  const big = ['--runs', '1000'];
  it('should start the pool threads a big simulate will use: --workers less this thread, capped at the cores', () => {
    assert.equal(prestartHint(['simulate', ...big], 2), 1); // default: every core
    assert.equal(prestartHint(['simulate', ...big, '--workers', '4'], 8), 3);
    assert.equal(prestartHint(['simulate', ...big, '--workers=4'], 2), 1); // capped at 2 cores
    assert.equal(prestartHint(['simulate', ...big, '--workers', '4', '--force-workers'], 2), 3);
    assert.equal(prestartHint(['simulate', '--runs', '50', '--timesteps', '100'], 2), 1); // exactly SMALL_WORK
    assert.equal(SMALL_WORK, 5000);
  });

  it('should start none for one worker, small work, other commands or malformed values', () => {
    assert.equal(prestartHint(['simulate', ...big, '--workers', '1'], 2), 0);
    assert.equal(prestartHint(['simulate'], 2), 0); // 1 run × 100 timesteps
    assert.equal(prestartHint(['simulate', '--runs', '49', '--timesteps', '100'], 2), 0);
    assert.equal(prestartHint(['merge', '--out', 'a.csv', ...big], 2), 0);
    assert.equal(prestartHint([], 2), 0);
    for (const bad of ['0', '-2', '2.5', 'two', '']) assert.equal(prestartHint(['simulate', ...big, '--workers', bad], 2), 0, bad);
    assert.equal(prestartHint(['simulate', '--runs', 'lots'], 2), 0);
  });
});
