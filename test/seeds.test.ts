import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSeed } from '../src/cli/args';
import { ConfigError, UsageError } from '../src/engine/errors';
import { runRng, seedKey } from '../src/engine/rng';
import { validateSeed } from '../src/engine/wrappers';
import { simulate } from '../src/models/v1';
import { badInputProblems, runBin, runMain } from './helpers/cli';

const draws = (seed: number | string) => Array.from({ length: 3 }, runRng(seed, 0, 0, 1));

describe('#.parseSeed (issue 8, E7)', () => {
  it('should read equal numbers as one seed, exactly', () => {
    for (const t of ['1', '1.0', '1e0', '+1', '10e-1', '0.1e1', '1.000']) assert.equal(parseSeed(t), 1, t);
    assert.equal(parseSeed('-1'), -1);
    assert.equal(parseSeed('-0'), 0);
    assert.equal(parseSeed('9007199254740991'), 2 ** 53 - 1);
    assert.equal(parseSeed('-9007199254740991'), -(2 ** 53 - 1));
    assert.equal(parseSeed('12e3'), 12000);
  });

  it('should refuse numbers beyond ±(2^53 − 1) or not whole, with a hint to quote them', () => {
    for (const t of ['9007199254740992', '9007199254740993', '12345678901234567890', '12345678901234567891', '-9007199254740992', '1e16', '1e400']) {
      assert.throws(() => parseSeed(t), (e: unknown) => e instanceof UsageError && /beyond ±\(2\^53 − 1\).*--seed s:/.test(e.message), t);
    }
    for (const t of ['1.5', '1.0000000000000001', '1e-1']) {
      assert.throws(() => parseSeed(t), (e: unknown) => e instanceof UsageError && /is not an integer.*--seed s:/.test(e.message), t);
    }
  });

  it('should take anything else as text, exactly as typed, and s: as the way to quote a number', () => {
    for (const t of ['abc', '0x10', 'Infinity', 'NaN', ' 1', '1 ', '١٢٣', 'seed with spaces', '-']) assert.equal(parseSeed(t), t);
    assert.equal(parseSeed('s:123'), '123');
    assert.equal(parseSeed('s:s:1'), 's:1');
    assert.throws(() => parseSeed('s:'), UsageError);
    assert.throws(() => parseSeed(''), UsageError);
  });
});

describe('#.seedKey and #.validateSeed (issue 8, E7)', () => {
  it('should keep a text seed that reads like an integer apart from that number, and leave other keys unchanged', () => {
    assert.equal(seedKey(1), '1');
    assert.equal(seedKey(-0), '0');
    assert.equal(seedKey('1'), 'text:1');
    assert.equal(seedKey('-12'), 'text:-12');
    assert.equal(seedKey('12345678901234567890'), '12345678901234567890');
    assert.equal(seedKey('abc'), 'abc');
    assert.notDeepEqual(draws('1'), draws(1));
    assert.deepEqual(draws(-0), draws(0));
  });

  it('should throw a ConfigError for seeds that are not exact', () => {
    for (const bad of [1.5, 2 ** 53, 12345678901234567890, NaN, '', null]) {
      assert.throws(() => validateSeed(bad), (e: unknown) => e instanceof ConfigError && e.message.startsWith('config: seed must be an integer within ±(2^53 − 1)'));
    }
    assert.throws(() => simulate({ seed: 2 ** 53, timesteps: 1 }), /pass a larger seed as a string/);
  });
});

describe('CLI seeds (issue 8, E7)', () => {
  const run = (seed: string) => runMain(['simulate', '--runs', '2', '--timesteps', '5', `--seed=${seed}`]);

  it('should give equal runs for equal numbers: 1, 1.0 and 1e0', async () => {
    const one = (await run('1')).out;
    assert.equal((await run('1.0')).out, one);
    assert.equal((await run('1e0')).out, one);
    assert.notEqual((await run('2')).out, one);
    assert.notEqual((await run('s:1')).out, one, 'the text "1" is another seed');
  });

  it('should accept a negative seed as --seed -1 and --seed=-1, in a real process', () => {
    const a = runBin(['simulate', '--timesteps', '3', '--seed', '-1']);
    const b = runBin(['simulate', '--timesteps', '3', '--seed=-1']);
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, b.out);
    assert.notEqual(a.out, runBin(['simulate', '--timesteps', '3', '--seed', '1']).out);
  });

  it('should refuse 12345678901234567890 and …891 instead of running both as one seed', async () => {
    for (const s of ['12345678901234567890', '12345678901234567891', '9007199254740993']) {
      const r = await run(s);
      assert.deepEqual(badInputProblems(r), []);
      assert.match(r.err, new RegExp(`--seed: ${s} is beyond ±\\(2\\^53 − 1\\), where doubles are exact; to use it as text, write --seed s:${s}`));
    }
    const a = await run('s:12345678901234567890');
    const b = await run('s:12345678901234567891');
    assert.equal(a.code, 0);
    assert.notEqual(a.out, b.out);
  });
});
