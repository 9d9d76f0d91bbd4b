/**
 * Fuzzing the command line (issue 8, E10): generated bad input for every flag,
 * from the project's seeded generator. Every case must give exit 2, exactly
 * one line on stderr, no stack trace, nothing on stdout and no file in the
 * output folder. Most cases run in this process through `main(argv)`; a sample
 * runs through the real bin.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runRng } from '../src/engine/rng';
import type { Rng } from '../src/engine/types';
import { PARAM_NAMES, PARAM_RANGES } from '../src/models/v1/params';
import { badInputProblems, runBin, runMain } from './helpers/cli';

const SEED = 'fuzz-cli';
const IN_PROCESS_CASES = 1500;
const PROCESS_CASES = 24;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-fuzz-'));
const outDir = path.join(root, 'out');
fs.mkdirSync(outDir);
const fixtures = path.join(root, 'fixtures');
fs.mkdirSync(fixtures);
fs.mkdirSync(path.join(root, 'dir.csv'));

const pick = <T>(rng: Rng, xs: ReadonlyArray<T>): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

const UNICODE = ['é', 'ß', '漢字', '١٢٣', '🙂', '\u200b', '\u202e', 'Ω', '½', '٣'];
function junk(rng: Rng): string {
  const parts = [() => pick(rng, UNICODE), () => String.fromCharCode(int(rng, 33, 126)), () => ' ', () => pick(rng, ['--', '=', ',', '"', "'", '\\', '/'])];
  let s = '';
  for (let i = int(rng, 1, 8); i > 0; i--) s += pick(rng, parts)();
  return s;
}

/** Text that is not a decimal number, or a number no count allows. */
function badCount(rng: Rng): string {
  return pick(rng, [
    () => '0',
    () => `-${int(rng, 1, 1e6)}`,
    () => `${int(rng, 1, 99)}.${int(rng, 1, 9)}`,
    () => pick(rng, ['NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '', ' ', '0x10', '0b1', '1_000', '1,000', 'one', '１', '١']),
    () => `~${junk(rng)}`,
    () => `${rng()}`.slice(0, 8),
    () => `-0.${int(rng, 1, 999)}`,
  ])();
}

/** A value outside a parameter's range, or not a number. */
function badParamValue(rng: Rng, name: (typeof PARAM_NAMES)[number]): string {
  const r = PARAM_RANGES[name];
  const options: Array<() => string> = [() => pick(rng, ['NaN', 'Infinity', '1e400', '', 'abc', '0x1']), () => `~${junk(rng)}`];
  if (r.min !== undefined) options.push(() => String(r.min! - Math.max(1e-6, Math.abs(r.min!) * rng()) - rng() * 10 ** int(rng, 0, 12)));
  if (r.min !== undefined && r.minExclusive) options.push(() => String(r.min));
  if (r.max !== undefined) options.push(() => String(r.max! + Math.max(1e-6, Math.abs(r.max!) * rng()) + rng() * 10 ** int(rng, 0, 12)));
  if (r.max !== undefined && r.maxExclusive) options.push(() => String(r.max));
  if (r.integer) options.push(() => `${int(rng, 1, 50)}.5`);
  return pick(rng, options)();
}

function writeFixture(name: string, content: string | Buffer): string {
  const f = path.join(fixtures, name);
  fs.writeFileSync(f, content);
  return f;
}

/** A params file that must be refused. */
function badParamsFile(rng: Rng, i: number): string {
  const name = pick(rng, PARAM_NAMES);
  return pick(rng, [
    () => path.join(fixtures, `missing-${i}.json`),
    () => fixtures,
    () => '',
    () => '/dev/zero',
    () => writeFixture(`p${i}.json`, `{"${name}": ${badParamValue(rng, name) || '"x"'}}`),
    () => writeFixture(`p${i}.json`, `{"${junk(rng).replace(/["\\]/g, '')}x": 1}`),
    () => writeFixture(`p${i}.json`, `{"${name}": {"nested": 1}}`),
    () => writeFixture(`p${i}.json`, '['.repeat(int(rng, 2, 100_000)) + ']'.repeat(3)),
    () => writeFixture(`p${i}.json`, `{"${name}": 1, "${name}": 1}`),
    () => writeFixture(`p${i}.json`, junk(rng)),
    () => writeFixture(`p${i}.json`, pick(rng, ['[]', 'null', '1', '"rho"', '{', '{"rho": }', ''])),
  ])();
}

/** An --out that must be refused before any work. */
function badOut(rng: Rng): string {
  return pick(rng, [
    () => '',
    () => path.join(outDir, `x.${pick(rng, ['txt', 'CSV.bak', 'jso', 'csvx', ''])}`),
    () => path.join(outDir, 'missing', 'x.csv'),
    () => path.join(outDir, `${'n'.repeat(int(rng, 252, 400))}.csv`),
    () => path.join(root, 'dir.csv'),
    () => path.join(outDir, 'x.csv/'),
    () => `${junk(rng)}.txt`,
  ])();
}

/** A valid-looking flag to surround the bad one with (cheap: one timestep). */
function filler(rng: Rng): string[] {
  return pick(rng, [[], ['--timesteps', '1'], ['--runs', '1', '--timesteps', '1'], ['--out', path.join(outDir, 'ok.csv'), '--timesteps', '1'], ['--keep', 'last', '--timesteps', '1'], ['--no-progress', '--timesteps', '1']]);
}

const SINGLE = ['--runs', '--timesteps', '--seed', '--workers', '--keep', '--out', '--params', '--model', '--rng', '--shard'];

/** One generated bad command line. */
function badArgv(rng: Rng, i: number): { kind: string; argv: string[] } {
  const kinds: Array<[string, () => string[]]> = [
    ['--runs', () => ['--runs', badCount(rng)]],
    ['--timesteps', () => ['--timesteps', badCount(rng)]],
    ['--workers', () => ['--workers', badCount(rng)]],
    ['--runs huge', () => ['--runs', String(int(rng, 10_000_001, 1e12)), '--timesteps', '1']],
    ['--timesteps huge', () => ['--timesteps', String(int(rng, 1_000_000_001, 1e15))]],
    ['--seed', () => [`--seed=${pick(rng, [() => `${int(rng, 1, 9)}${'0'.repeat(int(rng, 16, 40))}`, () => `-9007199254740${int(rng, 992, 999)}`, () => `${int(rng, 0, 99)}.${int(rng, 1, 9)}`, () => '', () => 's:', () => '1e400', () => `${int(rng, 1, 9)}e${int(rng, 16, 999)}`])()}`]],
    ['--keep', () => ['--keep', pick(rng, [() => junk(rng), () => 'ALL', () => '', () => 'metric', () => 'last,all'])()]],
    ['--set', () => {
      const name = pick(rng, PARAM_NAMES);
      return ['--set', pick(rng, [() => `${name}=${badParamValue(rng, name)}`, () => `${junk(rng)}=1`, () => name, () => `=${name}`, () => `${name}=`])()];
    }],
    ['--sweep', () => {
      const name = pick(rng, PARAM_NAMES);
      const ok = PARAM_RANGES[name].min ?? 0;
      return ['--sweep', pick(rng, [() => `${name}=${ok + 1},${badParamValue(rng, name)}`, () => `${junk(rng)}=1,2`, () => `${name}=`, () => `${name}=1,,2`, () => name])()];
    }],
    ['sweep + set', () => {
      const name = pick(rng, ['rho', 'alpha', 'sentiment'] as const);
      return ['--sweep', `${name}=0.1,0.2`, '--set', `${name}=0.3`];
    }],
    ['sweep lengths', () => ['--sweep', 'rho=0.1,0.2', '--sweep', 'alpha=0.1,0.2,0.3']],
    ['--params', () => ['--params', badParamsFile(rng, i)]],
    ['--model', () => ['--model', pick(rng, [() => junk(rng), () => 'V1', () => 'v2', () => '', () => 'v1,v3', () => 'v3 '])()]],
    ['--rng', () => ['--rng', pick(rng, [() => junk(rng), () => 'Numpy', () => 'mt19937', () => '', () => 'numpy,seedrandom'])()]],
    ['--rng numpy seed', () => ['--rng', 'numpy', `--seed=${pick(rng, [() => `-${int(rng, 1, 1e6)}`, () => String(2 ** 32 + int(rng, 0, 1e6)), () => `s:${int(rng, 0, 9)}`, () => junk(rng).replace(/^-+/, '') + 'x'])()}`]],
    ['--shard', () => [`--shard=${pick(rng, [() => `${int(rng, 2, 9)}/1`, () => '0/3', () => '1/0', () => '', () => '1/', () => '/3', () => `${int(rng, 1, 3)}.5/4`, () => junk(rng), () => '1/2/3', () => `-1/3`])()}`, '--out', path.join(outDir, 's.csv')]],
    ['--shard without --out', () => ['--shard', '1/2']],
    ['v1 parameter under v3', () => ['--model', 'v3', '--set', pick(rng, ['sentiment=0.5', 'gain=1', 'expected_supply=1', 'supply=10'])]],
    ['v3 parameter under v1', () => ['--set', pick(rng, ['initial_sentiment=0.5', 'gamma=0.001', 'initial_supply=30000', 'base_engagement_rate=0.2'])]],
    ['--out', () => ['--out', badOut(rng)]],
    ['repeat', () => {
      const flag = pick(rng, SINGLE);
      const value = ({ '--keep': 'last', '--out': path.join(outDir, 'r.csv'), '--params': 'data/low-rho.json', '--model': 'v3', '--rng': 'numpy', '--shard': '1/2' } as Record<string, string>)[flag] ?? '2';
      return [flag, value, flag, value];
    }],
    ['unknown flag', () => [pick(rng, [() => `--${junk(rng).replace(/=/g, '')}x`, // -h anywhere asks for help (exit 0), as in most tools: not a bad input.
      () => `-${String.fromCharCode(int(rng, 105, 122))}`, () => '--runs-', () => '--Runs', () => '--out-file'])(), '1']],
    ['stray', () => [junk(rng).replace(/^-+/, '') || 'x']],
    ['missing value', () => [pick(rng, SINGLE)]],
    ['boolean value', () => [`${pick(rng, ['--cartesian', '--progress', '--no-progress', '--force-workers'])}=${junk(rng)}`]],
  ];
  const [kind, make] = pick(rng, kinds);
  const bad = make();
  // A filler's --out would make --shard valid.
  const fill = kind === '--shard without --out' ? ['--timesteps', '1'] : filler(rng);
  // Missing values only make sense at the end; otherwise the bad part goes anywhere among the fillers.
  const argv = kind === 'missing value' ? [...fill, ...bad] : rng() < 0.5 ? [...bad, ...fill] : [...fill, ...bad];
  return { kind, argv: ['simulate', ...argv] };
}

function otherCommand(rng: Rng): string[] {
  return pick(rng, [() => ['params', junk(rng)], () => ['params', '--x'], () => ['params', '--model', junk(rng)], () => ['params', '--model', 'v3', '--model', 'v1'],
    () => ['merge'], () => ['merge', '--out', path.join(outDir, 'm.csv')], () => ['merge', path.join(fixtures, 'missing.csv')], () => ['merge', '--out', path.join(outDir, 'm.txt'), 'a.csv'],
    () => ['merge', '--out', path.join(outDir, 'm.csv'), path.join(fixtures, `missing-${junk(rng).replace(/[/\\]/g, '')}.csv`)], () => ['merge', '--x', '1'], () => ['merge', '--out', path.join(outDir, 'm.csv'), '--out', path.join(outDir, 'n.csv'), 'a.csv'], () => [junk(rng).replace(/^-+/, '') + 'z'], () => ['--help', 'extra'], () => ['-x']])();
}

describe('CLI fuzz (issue 8, E10)', () => {
  it(`should refuse ${IN_PROCESS_CASES} generated bad command lines in process: exit 2, one line, no stack, no file`, async (t) => {
    const rng = runRng(SEED, 0, 0, 1);
    const kinds = new Map<string, number>();
    const failures: string[] = [];
    for (let i = 0; i < IN_PROCESS_CASES; i++) {
      const c = i % 20 === 19 ? { kind: 'command', argv: otherCommand(rng) } : badArgv(rng, i);
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      const r = await runMain(c.argv, 2);
      const problems = badInputProblems(r);
      const left = fs.readdirSync(outDir);
      if (left.length) problems.push(`left ${left.join(', ')}`);
      if (problems.length) failures.push(`${JSON.stringify(c.argv).slice(0, 300)}: ${problems.join('; ')}`);
      for (const f of left) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
    }
    const summary = `fuzz-cli: ${IN_PROCESS_CASES} in-process cases (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`;
    t.diagnostic(summary);
    console.log(summary);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${IN_PROCESS_CASES} cases broke a promise`);
  });

  it(`should refuse ${PROCESS_CASES} of them the same way through the real bin`, (t) => {
    const rng = runRng(SEED, 0, 0, 2);
    const failures: string[] = [];
    for (let i = 0; i < PROCESS_CASES; i++) {
      const c = badArgv(rng, 10_000 + i);
      const r = runBin(c.argv, { cwd: path.join(__dirname, '..') });
      const problems = badInputProblems(r);
      const left = fs.readdirSync(outDir);
      if (left.length) problems.push(`left ${left.join(', ')}`);
      if (problems.length) failures.push(`${JSON.stringify(c.argv).slice(0, 300)}: ${problems.join('; ')}`);
      for (const f of left) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
    }
    const summary = `fuzz-cli: ${PROCESS_CASES} real-process cases`;
    t.diagnostic(summary);
    console.log(summary);
    assert.deepEqual(failures, []);
  });
});
