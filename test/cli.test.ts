import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

// The CLI as users run it: the bin script over the compiled library (npm test builds first).
const BIN = path.join(__dirname, '..', 'bin', 'conviction-voting.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-cli-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function parseCsv(text: string): Array<Record<string, string>> {
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

const COLUMNS =
  'simulation,subset,run,timestep,funds,participant_count,proposal_count,candidate_count,active_count,completed_count,' +
  'failed_count,killed_count,candidate_funds,active_funds,completed_funds,failed_funds,killed_funds,max_conviction_share_of_trigger';

describe('conviction-voting CLI', () => {
  it('should throw if a flag is unknown: one line on stderr, exit 2', () => {
    const r = cli('simulate', '--bogus', '1');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err.trimEnd().split('\n').length, 1);
    assert.match(r.err, /bogus/);
  });

  it('should throw if a value is out of range, naming the field and the allowed range', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--runs', '0'], /--runs must be an integer >= 1, got 0/],
      [['--timesteps', '2.5'], /--timesteps must be an integer >= 1, got 2.5/],
      [['--workers', 'many'], /--workers: 'many' is not a decimal number/],
      [['--set', 'beta=1'], /beta must be a finite number >= 0.000001 and < 1, got 1/],
      [['--set', 'alpha=-0.1'], /alpha must be a finite number >= 0 and < 1, got -0.1/],
      [['--set', 'n=0'], /n must be an integer >= 1, got 0/],
      [['--set', 'rho=abc'], /--set rho: 'abc' is not a decimal number/],
      [['--set', 'nope=1'], /unknown parameter 'nope'/],
      [['--set', 'rho'], /--set expects name=value/],
      [['--sweep', 'rho=0.01,0.02', '--sweep', 'alpha=0.1,0.2,0.3'], /rho \(2\), alpha \(3\)/],
      [['--sweep', 'rho=0.01,0'], /rho must be a finite number > 0, got 0/],
      [['--keep', 'some'], /--keep must be one of all, last, metrics/],
      [['--out', 'x.txt'], /--out must end in .csv, .json, .jsonl, .ndjson or .parquet/],
      [['--params', 'missing.json'], /cannot read 'missing.json'/],
    ];
    for (const [args, msg] of cases) {
      const r = cli('simulate', ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, msg, args.join(' '));
      assert.equal(r.err.trimEnd().split('\n').length, 1, args.join(' '));
      assert.equal(r.out, '');
    }
  });

  it('should throw if --params holds an unknown or bad parameter, and create no output file', () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ rho: 0.01, sentiment: 2 }));
    const out = path.join(tmp, 'never.csv');
    const r = cli('simulate', '--params', bad, '--out', out);
    assert.equal(r.code, 2);
    assert.match(r.err, /sentiment must be a finite number >= 0 and <= 1, got 2/);
    assert.equal(fs.existsSync(out), false);
    fs.writeFileSync(bad, '{"rho": ');
    assert.match(cli('simulate', '--params', bad).err, /not valid JSON/);
  });

  it('should leave an existing output file untouched when the input is bad', () => {
    const out = path.join(tmp, 'keep.csv');
    fs.writeFileSync(out, 'precious\n');
    assert.equal(cli('simulate', '--runs', '-1', '--out', out).code, 2);
    assert.equal(fs.readFileSync(out, 'utf8'), 'precious\n');
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => f.includes('.cv-tmp-')),
      [],
      'no temporary file left behind',
    );
  });

  it('should explain every flag in --help', () => {
    const r = cli('--help');
    assert.equal(r.code, 0);
    for (const flag of ['--runs', '--timesteps', '--seed', '--params', '--set', '--out', '--sweep', '--cartesian', '--workers', '--keep']) {
      assert.match(r.out, new RegExp(`${flag}\\b`), flag);
    }
    assert.equal(cli('simulate', '--help').code, 0);
  });

  it('should print the rdf as CSV: one row per (run, timestep) with the documented columns', () => {
    const r = cli('simulate', '--runs', '2', '--timesteps', '12', '--seed', '4');
    assert.equal(r.code, 0, r.err);
    const [head] = r.out.split('\n');
    assert.equal(head, COLUMNS);
    const rows = parseCsv(r.out);
    assert.equal(rows.length, 24);
    assert.deepEqual(
      rows.map((x) => `${x.run}:${x.timestep}`),
      [1, 2].flatMap((run) => Array.from({ length: 12 }, (_, t) => `${run}:${t + 1}`)),
    );
    for (const x of rows) {
      const counts = ['candidate', 'active', 'completed', 'failed', 'killed'].reduce((a, s) => a + Number(x[`${s}_count`]), 0);
      assert.equal(counts, Number(x.proposal_count));
      assert.ok(Number(x.funds) > 0);
    }
  });

  it('should write byte-identical output for the same seed with 1 or 2 workers, and different output for another seed', () => {
    const a = cli('simulate', '--runs', '3', '--timesteps', '30', '--seed', '9', '--workers', '1').out;
    const b = cli('simulate', '--runs', '3', '--timesteps', '30', '--seed', '9', '--workers', '2').out;
    const c = cli('simulate', '--runs', '3', '--timesteps', '30', '--seed', '10').out;
    assert.equal(b, a);
    assert.notEqual(c, a);
  });

  it('should write the same table in every --keep mode', () => {
    const base = ['simulate', '--runs', '2', '--timesteps', '20', '--set', 'rho=0.002'];
    const all = cli(...base, '--keep', 'all').out;
    assert.equal(cli(...base, '--keep', 'last').out, all);
    assert.equal(cli(...base, '--keep', 'metrics').out, all);
  });

  it('should leave max_conviction_share_of_trigger empty when there is no candidate', () => {
    // min_supp above any possible stake kills every candidate in its first PSUB 4.
    const rows = parseCsv(cli('simulate', '--timesteps', '5', '--set', 'min_supp=1e15').out);
    assert.ok(rows.every((x) => x.candidate_count === '0' && x.max_conviction_share_of_trigger === ''));
  });

  it('should write JSON and CSV files atomically with --out', () => {
    const json = path.join(tmp, 'sub', 'out.json');
    const missing = cli('simulate', '--timesteps', '3', '--out', json);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^conviction-voting: --out: folder '.*sub' does not exist\n$/);
    fs.mkdirSync(path.join(tmp, 'sub'));
    const r = cli('simulate', '--timesteps', '3', '--out', json);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    const rows = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.equal(rows.length, 3);
    assert.deepEqual(Object.keys(rows[0]).join(','), COLUMNS);
    const csv = path.join(tmp, 'out.csv');
    assert.equal(cli('simulate', '--timesteps', '3', '--out', csv).code, 0);
    assert.equal(fs.readFileSync(csv, 'utf8'), cli('simulate', '--timesteps', '3').out);
  });

  it('should zip --sweep lists into subsets and add the swept values as columns', () => {
    const r = cli('simulate', '--timesteps', '2', '--runs', '2', '--sweep', 'rho=0.02,0.002', '--sweep', 'alpha=0.5');
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith('simulation,subset,run,timestep,rho,alpha,funds'));
    const rows = parseCsv(r.out);
    assert.equal(rows.length, 8);
    assert.deepEqual([...new Set(rows.map((x) => `${x.subset}:${x.rho}:${x.alpha}`))], ['0:0.02:0.5', '1:0.002:0.5']);
  });

  it('should take the Cartesian product with --cartesian', () => {
    const r = cli('simulate', '--timesteps', '1', '--sweep', 'rho=0.02,0.002', '--sweep', 'alpha=0.5,0.9', '--cartesian');
    assert.equal(r.code, 0, r.err);
    const rows = parseCsv(r.out);
    assert.deepEqual(
      rows.map((x) => `${x.subset}:${x.rho}:${x.alpha}`),
      ['0:0.02:0.5', '1:0.02:0.9', '2:0.002:0.5', '3:0.002:0.9'],
    );
  });

  it('should run as `npx conviction-voting` from the project (the package bin)', () => {
    const r = spawnSync('npx', ['--no-install', 'conviction-voting', 'simulate', '--timesteps', '2'], {
      encoding: 'utf8',
      cwd: path.join(__dirname, '..'),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 3);
  });

  it('should list the parameters with defaults and ranges', () => {
    const r = cli('params');
    assert.equal(r.code, 0);
    assert.match(r.out, /^rho,0.02,"a finite number > 0"$/m);
    assert.match(r.out, /^n,60,"an integer >= 1"$/m);
  });
});
