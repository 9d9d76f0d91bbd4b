/**
 * Shards end to end, as a cluster runs them: three real `simulate --shard K/3`
 * processes, then `conviction-voting merge` given the parts in shuffled order,
 * compared with one process running the whole experiment — byte for byte for
 * CSV, the same schema and rows in the same order for Parquet. Then the
 * Parquet file's types, the refusals of merge, and the executor's job range.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readParquetRows, openParquetFile } from '../src/analysis/parquet';
import { shardJobs } from '../src/engine/shard';
import { writeExperimentParquet } from '../src/io/parquet';
import { runConvictionExperiment } from '../src/models/v1/experiment';
import { runBin, runMain, startBin } from './helpers/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-shard-'));
// 2 parameter sets × 7 runs = 14 jobs: shards of 5, 5 and 4, so a shard boundary falls inside a subset.
const EXPERIMENT = ['--sweep', 'rho=0.002,0.004', '--runs', '7', '--timesteps', '6', '--seed', 'cluster-42', '--no-progress'];

function shuffle<T>(xs: T[]): T[] {
  // A fixed, non-identity order: 3, 1, 2.
  return [xs[2], xs[0], xs[1]];
}

/** One process, three shard processes and a merge of the shuffled parts, in `ext`. */
function runShardedAndWhole(ext: string, extra: string[] = []): { whole: string; merged: string; parts: string[] } {
  const dir = fs.mkdtempSync(path.join(tmp, `${ext}-`));
  const whole = path.join(dir, `whole.${ext}`);
  const merged = path.join(dir, `merged.${ext}`);
  const one = runBin(['simulate', ...EXPERIMENT, ...extra, '--workers', '1', '--out', whole]);
  assert.equal(one.code, 0, one.err);
  const parts = [1, 2, 3].map((k) => {
    const part = path.join(dir, `part-${k}.${ext}`);
    // Workers differ between shards and from the whole: results must not depend on them.
    const r = runBin(['simulate', ...EXPERIMENT, ...extra, '--shard', `${k}/3`, '--workers', String(1 + (k % 2)), '--force-workers', '--out', part]);
    assert.equal(r.code, 0, r.err);
    const { from, to } = shardJobs(14, k, 3);
    assert.match(r.err, new RegExp(`shard ${k}/3: jobs ${from}–${to - 1} of 14`));
    return part;
  });
  const m = runBin(['merge', '--out', merged, ...shuffle(parts)]);
  assert.equal(m.code, 0, m.err);
  assert.match(m.err, /^conviction-voting: merged 3 shards \(14 runs\) into .*\n$/);
  return { whole, merged, parts };
}

describe('#.simulate --shard K/N and merge, end to end', () => {
  it('should merge 3 CSV shard processes into the single-process CSV, byte for byte', () => {
    const { whole, merged, parts } = runShardedAndWhole('csv');
    const text = fs.readFileSync(whole, 'utf8');
    assert.equal(fs.readFileSync(merged, 'utf8'), text);
    // 14 runs × 6 timesteps, and each shard holds only its own runs.
    assert.equal(text.trimEnd().split('\n').length, 1 + 14 * 6);
    const runsOf = (f: string) => new Set(fs.readFileSync(f, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(1, 3).join('/')));
    assert.deepEqual([...runsOf(parts[0])], ['0/1', '0/2', '0/3', '0/4', '0/5']);
    assert.deepEqual([...runsOf(parts[1])], ['0/6', '0/7', '1/1', '1/2', '1/3']);
    assert.deepEqual([...runsOf(parts[2])], ['1/4', '1/5', '1/6', '1/7']);
    const record = JSON.parse(fs.readFileSync(`${parts[1]}.shard.json`, 'utf8'));
    assert.equal(record.shard, '2/3');
    assert.deepEqual([record.from, record.to, record.total], [5, 10, 14]);
  });

  it('should merge JSON Lines shards too, byte for byte', () => {
    const { whole, merged } = runShardedAndWhole('jsonl', ['--keep', 'last']);
    assert.equal(fs.readFileSync(merged, 'utf8'), fs.readFileSync(whole, 'utf8'));
  });

  it('should merge 3 Parquet shard processes into the single-process Parquet: same schema, rows and order', async () => {
    const { whole, merged, parts } = runShardedAndWhole('parquet');
    const a = await readParquetRows(whole);
    const b = await readParquetRows(merged);
    assert.deepEqual(b.columns, a.columns);
    assert.equal(a.rows.length, 14 * 6);
    assert.deepEqual(b.rows, a.rows);
    const pf = await openParquetFile(parts[2]);
    try {
      assert.equal(pf.info.metadata['cv.shard'], '3/3');
      assert.equal(pf.info.metadata['cv.jobs'], '10-14/14');
      assert.equal(pf.info.rows, 4 * 6);
    } finally {
      pf.close();
    }
  });

  it('should write typed Parquet whose every value equals the CSV: ints are ints, swept parameters are columns', async () => {
    const csv = path.join(tmp, 'typed.csv');
    const pq = path.join(tmp, 'typed.parquet');
    const common = ['simulate', '--sweep', 'n=20,30', '--sweep', 'rho=0.002,0.003', '--runs', '2', '--timesteps', '12', '--seed', '3'];
    assert.equal((await runMain([...common, '--out', csv])).code, 0);
    assert.equal((await runMain([...common, '--out', pq])).code, 0);
    const { columns, rows } = await readParquetRows(pq);
    const [head, ...lines] = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
    assert.deepEqual(columns.map((c) => c.name), head.split(','));
    const type = Object.fromEntries(columns.map((c) => [c.name, `${c.type}${c.nullable ? '?' : ''}`]));
    assert.deepEqual(
      [type.simulation, type.run, type.timestep, type.n, type.rho, type.funds, type.proposal_count, type.max_conviction_share_of_trigger],
      ['INT32', 'INT32', 'INT32', 'INT32', 'DOUBLE', 'DOUBLE', 'INT32', 'DOUBLE?'],
    );
    assert.equal(rows.length, lines.length);
    lines.forEach((line, i) => {
      line.split(',').forEach((cell, j) => {
        const v = rows[i][columns[j].name];
        assert.equal(v, cell === '' ? null : Number(cell), `row ${i}, ${columns[j].name}`);
      });
    });
  });

  it('should write the same Parquet rows and schema from the library (writeExperimentParquet) as from the CLI', async () => {
    const cli = path.join(tmp, 'lib-cli.parquet');
    const lib = path.join(tmp, 'lib', 'lib.parquet');
    assert.equal((await runMain(['simulate', '--runs', '3', '--timesteps', '5', '--sweep', 'rho=0.002,0.01', '--seed', '42', '--out', cli])).code, 0);
    const sweep = await runConvictionExperiment({ simulations: [{ runs: 3, timesteps: 5, sweep: { rho: [0.002, 0.01] } }] }, { seed: 42, keep: 'metrics' });
    assert.equal(writeExperimentParquet(lib, sweep), 30);
    const a = await readParquetRows(cli);
    const b = await readParquetRows(lib);
    assert.deepEqual(b.columns, a.columns);
    assert.deepEqual(b.rows, a.rows);
  });

  it('should remove the Parquet temporary file on SIGINT and exit 130, leaving no file', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'sigint-'));
    const child = startBin(['simulate', '--runs', '5000', '--no-progress', '--out', 'big.parquet'], dir);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    // Wait until the writer's temporary file exists: the run is under way.
    while (!fs.readdirSync(dir).some((f) => f.endsWith('.tmp'))) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 130, err);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('should write v3 rows to Parquet with its own columns', async () => {
    const pq = path.join(tmp, 'v3.parquet');
    const r = await runMain(['simulate', '--model', 'v3', '--timesteps', '5', '--sweep', 'gamma=0,0.01', '--out', pq]);
    assert.equal(r.code, 0, r.err);
    const { columns, rows } = await readParquetRows(pq);
    const type = Object.fromEntries(columns.map((c) => [c.name, c.type]));
    assert.equal(type.gamma, 'DOUBLE');
    assert.equal(type.sentiment, 'DOUBLE');
    assert.equal(type.participant_count, 'INT32');
    assert.equal(rows.length, 10);
    assert.equal(rows[5].gamma, 0.01);
  });

  it('should refuse missing, duplicate and mismatched shards with one line, exit 2, and write nothing', () => {
    const { parts } = runShardedAndWhole('csv');
    const dir = path.dirname(parts[0]);
    const other = path.join(dir, 'other.csv');
    // Shard 3/3 of another experiment (another seed): the fingerprint differs.
    const otherSeed = EXPERIMENT.map((x) => (x === 'cluster-42' ? 'cluster-43' : x));
    assert.equal(runBin(['simulate', ...otherSeed, '--shard', '3/3', '--out', other]).code, 0);
    const out = path.join(dir, 'refused.csv');
    const cases: Array<[string[], RegExp]> = [
      [[parts[0], parts[1]], /missing shard 3\/3/],
      [[parts[0], parts[1], parts[2], parts[2]], /given twice/],
      [[parts[0], parts[1], other], /experiment|fingerprint|differ/],
      [[parts[0], path.join(dir, 'nope.csv')], /nope\.csv/],
    ];
    for (const [inputs, re] of cases) {
      const r = runBin(['merge', '--out', out, ...inputs]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /^conviction-voting: merge: /);
      assert.match(r.err, re);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
      assert.equal(fs.existsSync(out), false);
    }
    for (const argv of [['merge'], ['merge', '--out', out], ['merge', parts[0]], ['merge', '--out', path.join(dir, 'x.txt'), parts[0]], ['merge', '--out', out, '--bogus', parts[0]]]) {
      const r = runBin(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    }
  });

  it('should refuse a bad --shard, or --shard without --out, before any work', async () => {
    for (const [argv, re] of [
      [['--shard', '4/3', '--out', path.join(tmp, 'x.csv')], /--shard: expected K\/N with integers 1 ≤ K ≤ N, got '4\/3' \(K must be between 1 and 3\)/],
      [['--shard', '1/2'], /--shard needs --out FILE/],
      [['--shard', '1/2', '--shard', '2/2', '--out', path.join(tmp, 'x.csv')], /--shard is given twice/],
    ] as Array<[string[], RegExp]>) {
      const r = await runMain(['simulate', ...argv]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
    }
    assert.equal(fs.existsSync(path.join(tmp, 'x.csv')), false);
  });
});

describe('#.executor jobs range', () => {
  it('should run only the range, keeping global indices, seeds and results', async () => {
    const args = { simulations: [{ runs: 4, timesteps: 5, sweep: { rho: [0.002, 0.003, 0.004] } }] };
    const all = await runConvictionExperiment(args, { seed: 9, keep: 'metrics' });
    for (const workers of [1, 2]) {
      const seen: number[] = [];
      const part = await runConvictionExperiment(args, {
        seed: 9,
        keep: 'metrics',
        workers,
        isolate: workers > 1,
        jobs: { from: 3, to: 9 },
        onOutcome: (o) => seen.push(o.index),
      });
      assert.deepEqual(seen, [3, 4, 5, 6, 7, 8]);
      assert.deepEqual(
        part.results.map((r) => [r.subset, r.run]),
        [[0, 4], [1, 1], [1, 2], [1, 3], [1, 4], [2, 1]],
      );
      assert.deepEqual(part.results.map((r) => r.metrics), all.results.slice(3, 9).map((r) => r.metrics));
    }
  });

  it('should refuse a range beyond the experiment or upside down, naming the field', async () => {
    const args = { simulations: [{ runs: 2, timesteps: 2 }] };
    await assert.rejects(runConvictionExperiment(args, { seed: 1, jobs: { from: 0, to: 3 } }), /runConvictionExperiment: jobs\.to must be at most the experiment's 2 jobs, got 3/);
    await assert.rejects(runConvictionExperiment(args, { seed: 1, jobs: { from: 2, to: 1 } }), /jobs\.to/);
    await assert.rejects(runConvictionExperiment(args, { seed: 1, jobs: { from: -1, to: 1 } }), /jobs\.from/);
    const empty = await runConvictionExperiment(args, { seed: 1, jobs: { from: 1, to: 1 } });
    assert.deepEqual(empty.results, []);
  });
});
