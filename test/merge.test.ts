import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openParquetFile, readParquetRows } from '../src/analysis/parquet';
import { rdfTable, toCsv, toJson, type TableRow } from '../src/cli/table';
import type { RunResult } from '../src/engine/core';
import { experimentFingerprint, shardJobs, type ShardSpec } from '../src/engine/shard';
import {
  mergeResults,
  shardMetadata,
  shardRecord,
  shardSidecarPath,
  writeShardSidecar,
  type ResultFormat,
  type ShardRecord,
} from '../src/io/merge';
import { rdfParquetSchema, writeParquet } from '../src/io/parquet';
import { runConvictionExperiment, type ExperimentArgs } from '../src/models/v1/experiment';
import type { Params } from '../src/models/v1/params';
import type { State } from '../src/models/v1/state';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-merge-'));
const SWEPT = ['rho', 'n'] as Array<keyof Params>;
const FORMATS: ResultFormat[] = ['csv', 'json', 'jsonl', 'parquet'];

/** JSON Lines as a streamed writer would write it: one row per line, non-finite numbers as null. */
function toJsonl(rows: ReadonlyArray<TableRow>): string {
  return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n').join('');
}

interface Experiment {
  fp: string;
  results: RunResult<State>[];
  params: Params[][];
  columns: string[];
}

async function experiment(seed: number, args: ExperimentArgs): Promise<Experiment> {
  const r = await runConvictionExperiment(args, { seed, keep: 'metrics' });
  const columns = rdfTable([], () => ({}) as Params, SWEPT).columns;
  return { fp: experimentFingerprint({ seed, args, keep: 'metrics' }), results: r.results, params: r.params, columns };
}

function rowsOf(e: Experiment, results: ReadonlyArray<RunResult<State>>): TableRow[] {
  return rdfTable(results, (x) => e.params[x.simulation][x.subset], SWEPT).rows;
}

/** Writes `rows` as the CLI writes `file` (by extension), with the shard's record when given. */
function writeOut(file: string, e: Experiment, rows: TableRow[], record?: ShardRecord): void {
  const format = path.extname(file).slice(1);
  if (format === 'parquet') {
    const metadata = record ? shardMetadata(record) : { 'cv.experiment': e.fp };
    writeParquet(file, rdfParquetSchema(e.columns), rows, { metadata, rowGroupSize: 50 });
    return;
  }
  const text = format === 'csv' ? toCsv(e.columns, rows) : format === 'json' ? toJson(rows) : toJsonl(rows);
  fs.writeFileSync(file, text);
  if (record) writeShardSidecar(file, record);
}

/** The shards K = 1 … N of an experiment as files `name-K.ext`. */
function writeShards(e: Experiment, name: string, format: ResultFormat, n: number): string[] {
  const total = e.results.length;
  const files: string[] = [];
  for (let k = 1; k <= n; k++) {
    const spec: ShardSpec = { k, n };
    const { from, to } = shardJobs(total, k, n);
    const file = path.join(dir, `${name}-${k}.${format}`);
    writeOut(file, e, rowsOf(e, e.results.slice(from, to)), shardRecord(spec, total, e.fp, e.columns));
    files.push(file);
  }
  return files;
}

let main: Experiment;
let other: Experiment;

before(async () => {
  // 2 zipped parameter sets × 4 runs = 8 jobs: 3 shards of 3, 3 and 2 jobs.
  const args: ExperimentArgs = { simulations: [{ params: { m: 1, sentiment: 0 }, sweep: { rho: [0.02, 0.5], n: [30, 60] }, runs: 4, timesteps: 25 }] };
  main = await experiment(3, args);
  other = await experiment(4, args);
  assert.equal(main.results.length, 8);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('#.mergeResults', () => {
  for (const format of FORMATS) {
    it(`should merge 3 shards given in any order into the single-process ${format} output`, async () => {
      const single = path.join(dir, `single.${format}`);
      writeOut(single, main, rowsOf(main, main.results));
      const shards = writeShards(main, `part-${format}`, format, 3);
      for (const order of [[2, 0, 1], [1, 2, 0], [0, 1, 2]]) {
        const out = path.join(dir, `merged-${order.join('')}.${format}`);
        const summary = await mergeResults({ out, inputs: order.map((i) => shards[i]) });
        assert.deepEqual(summary, { out, format, shards: 3, jobs: 8 });
        if (format === 'parquet') {
          const a = await openParquetFile(single);
          const b = await openParquetFile(out);
          assert.deepEqual(b.info.columns, a.info.columns);
          assert.deepEqual(b.info.metadata, a.info.metadata);
          assert.equal(b.info.rows, a.info.rows);
          a.close();
          b.close();
          assert.deepEqual((await readParquetRows(out)).rows, (await readParquetRows(single)).rows);
        } else {
          assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync(single, 'utf8'));
        }
      }
    });

    it(`should merge ${format} shards of which some are empty (more shards than jobs)`, async () => {
      const single = path.join(dir, `single-10.${format}`);
      writeOut(single, main, rowsOf(main, main.results));
      const shards = writeShards(main, `ten-${format}`, format, 10);
      const out = path.join(dir, `merged-10.${format}`);
      await mergeResults({ out, inputs: [...shards].reverse() });
      if (format === 'parquet') assert.deepEqual((await readParquetRows(out)).rows, (await readParquetRows(single)).rows);
      else assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync(single, 'utf8'));
    });
  }

  it('should pass over the shard records a glob like part-*.json brings along with the shards', async () => {
    const single = path.join(dir, 'glob-single.json');
    writeOut(single, main, rowsOf(main, main.results));
    const shards = writeShards(main, 'glob', 'json', 3);
    const globbed = fs.readdirSync(dir).filter((f) => /^glob-.*\.json$/.test(f) && f !== 'glob-single.json').map((f) => path.join(dir, f));
    assert.equal(globbed.length, 6, 'three shards and their three records');
    const out = path.join(dir, 'glob-merged.json');
    await mergeResults({ out, inputs: globbed });
    assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync(single, 'utf8'));
    // A record whose shard is not given is no shard file.
    await assert.rejects(mergeResults({ out, inputs: [shards[0], shards[1], shardSidecarPath(shards[2])] }), /^ConfigError: merge: .*glob-3\.json\.shard\.json has no shard record/);
  });

  it('should write every row group of the merged Parquet file at the size asked for', async () => {
    const shards = writeShards(main, 'groups', 'parquet', 3);
    const out = path.join(dir, 'groups.parquet');
    await mergeResults({ out, inputs: shards, rowGroupSize: 64 });
    const f = await openParquetFile(out);
    const rows = main.results.length * 25;
    assert.deepEqual(f.info.rowGroups, Array.from({ length: Math.ceil(rows / 64) }, (_, i) => Math.min(64, rows - 64 * i)));
    f.close();
  });
});

describe('#.mergeResults refusals', () => {
  /** Expects the merge to fail with one `merge:` line matching `re`, writing nothing (an existing `out` is left as it was). */
  async function refused(inputs: string[], out: string, re: RegExp): Promise<void> {
    const before = fs.existsSync(out) ? fs.readFileSync(out) : undefined;
    await assert.rejects(mergeResults({ out, inputs }), (e: Error) => {
      assert.match(e.message, /^merge: /);
      assert.match(e.message, re);
      assert.ok(!e.message.includes('\n'), e.message);
      return true;
    });
    if (before) assert.deepEqual(fs.readFileSync(out), before, `${out} must be left as it was`);
    else assert.equal(fs.existsSync(out), false, `${out} must not be written`);
    assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((f) => f.endsWith('.tmp')), []);
  }

  for (const format of FORMATS) {
    it(`should refuse missing, duplicate, overlapping and mismatched ${format} shards`, async () => {
      const out = path.join(dir, `refused.${format}`);
      const [a1, a2, a3] = writeShards(main, `r-${format}`, format, 3);
      await refused([a1, a3], out, /missing shard 2\/3 \(given: 1\/3, 3\/3\)/);
      await refused([a2], out, /missing shards 1\/3, 3\/3/);
      await refused([a1, a2, a3, a1], out, /r-\w+-1\.\w+ is given twice/);
      // A copy of shard 1 under another name.
      const copy = path.join(dir, `copy-${format}.${format}`);
      fs.copyFileSync(a1, copy);
      if (format !== 'parquet') fs.copyFileSync(shardSidecarPath(a1), shardSidecarPath(copy));
      await refused([a1, a2, a3, copy], out, /and .*copy-\w+\.\w+ are both shard 1\/3/);
      // Overlapping: shards of a 2-way split among those of a 3-way split.
      const [b1, b2] = writeShards(main, `two-${format}`, format, 2);
      await refused([a1, b2, a3], out, /is shard 2\/2 but .* is shard 1\/3/);
      await refused([b1, b2, a3], out, /is shard 3\/3 but .* is shard 1\/2/);
      // Another experiment (another seed): same columns, other fingerprint.
      const [, c2] = writeShards(other, `other-${format}`, format, 3);
      await refused([a1, c2, a3], out, /other-\w+-2\.\w+ comes from another experiment than .*r-\w+-1\.\w+/);
      await refused([a1, a2, a3], path.join(dir, `refused.txt`), /--out must end in \.csv, \.json, \.jsonl or \.parquet, got '.*refused\.txt'/);
      await refused([], out, /no shard files given/);
      await refused([a1, a2, a3], a2, /--out .* is also one of the shard files/);
      await refused([a1, a2, path.join(dir, `gone.${format}`)], out, /cannot read .*gone\.\w+: no such file/);
      const wrong = format === 'csv' ? 'json' : 'csv';
      await refused([a1, a2, a3.replace(/\.\w+$/, `.${wrong}`)], out, new RegExp(`is not a \\.${format} file like --out`));
    });
  }

  it('should refuse shards whose record is missing, invalid, or disagrees with the file', async () => {
    for (const format of ['csv', 'json', 'jsonl'] as const) {
      const out = path.join(dir, `bad-record.${format}`);
      const [s1, s2, s3] = writeShards(main, `rec-${format}`, format, 3);
      const side = shardSidecarPath(s2);
      const saved = fs.readFileSync(side, 'utf8');
      fs.rmSync(side);
      await refused([s1, s2, s3], out, /rec-\w+-2\.\w+ has no shard record \(.*\.shard\.json is missing\); write shards with --shard K\/N/);
      fs.writeFileSync(side, '{ not json');
      await refused([s1, s2, s3], out, /rec-\w+-2\.\w+\.shard\.json is not valid JSON/);
      const rec = JSON.parse(saved) as ShardRecord;
      fs.writeFileSync(side, JSON.stringify({ ...rec, shard: '4/3' }));
      await refused([s1, s2, s3], out, /\.shard\.json is not a valid shard record \(field 'shard'\)/);
      fs.writeFileSync(side, JSON.stringify({ ...rec, from: rec.from - 1 }));
      await refused([s1, s2, s3], out, /says shard 2\/3 holds jobs 2-6, but shard 2\/3 of 8 jobs is 3-6/);
      fs.writeFileSync(side, JSON.stringify({ ...rec, columns: [...rec.columns].reverse() }));
      await refused([s1, s2, s3], out, /rec-\w+-2\.\w+ has other columns than .*rec-\w+-1/);
      fs.writeFileSync(side, saved);
      await mergeResults({ out, inputs: [s3, s1, s2] });
      fs.rmSync(out);
    }
  });

  it('should refuse CSV, JSON and JSON Lines shards whose content is not what the CLI writes', async () => {
    const [c1, c2, c3] = writeShards(main, 'content', 'csv', 3);
    const csv = fs.readFileSync(c2, 'utf8');
    fs.writeFileSync(c2, csv.replace(/^simulation,subset/, 'sim,subset'));
    await refused([c1, c2, c3], path.join(dir, 'content.csv'), /content-2\.csv does not start with the header its shard record names/);
    fs.writeFileSync(c2, csv.slice(0, -1));
    await refused([c1, c2, c3], path.join(dir, 'content.csv'), /content-2\.csv does not end with a newline \(cut short\?\)/);

    const [j1, j2, j3] = writeShards(main, 'content', 'json', 3);
    fs.writeFileSync(j2, fs.readFileSync(j2, 'utf8').slice(0, -3));
    await refused([j1, j2, j3], path.join(dir, 'content.json'), /content-2\.json is not a JSON array of rows as the CLI writes it/);

    const [l1, l2, l3] = writeShards(main, 'content', 'jsonl', 3);
    fs.writeFileSync(l3, fs.readFileSync(l3, 'utf8').slice(0, -10));
    await refused([l1, l2, l3], path.join(dir, 'content.jsonl'), /content-3\.jsonl does not end with a newline/);
  });

  it('should refuse Parquet shards without a record, with another schema, or that are not Parquet', async () => {
    const out = path.join(dir, 'pq-refused.parquet');
    const [p1, p2, p3] = writeShards(main, 'pq', 'parquet', 3);
    const { from, to } = shardJobs(8, 2, 3);
    const rows = rowsOf(main, main.results.slice(from, to));
    const bare = path.join(dir, 'bare.parquet');
    writeParquet(bare, rdfParquetSchema(main.columns), rows, { metadata: { 'cv.experiment': main.fp } });
    await refused([p1, bare, p3], out, /bare\.parquet has no shard record \(no 'cv\.shard' metadata\); write shards with --shard K\/N/);
    // Same columns, one typed otherwise: n as DOUBLE.
    const retyped = path.join(dir, 'retyped.parquet');
    const schema = rdfParquetSchema(main.columns).map((c) => (c.name === 'n' ? { ...c, type: 'DOUBLE' as const } : c));
    writeParquet(retyped, schema, rows, { metadata: shardMetadata(shardRecord({ k: 2, n: 3 }, 8, main.fp, main.columns)) });
    await refused([p1, retyped, p3], out, /retyped\.parquet has another Parquet schema than .*pq-1\.parquet/);
    const badJobs = path.join(dir, 'bad-jobs.parquet');
    writeParquet(badJobs, rdfParquetSchema(main.columns), rows, { metadata: { ...shardMetadata(shardRecord({ k: 2, n: 3 }, 8, main.fp, main.columns)), 'cv.jobs': 'three' } });
    await refused([p1, badJobs, p3], out, /bad-jobs\.parquet is not a valid shard record \(field 'cv\.jobs'\)/);
    const junk = path.join(dir, 'junk.parquet');
    fs.writeFileSync(junk, 'PAR1 but not really');
    await refused([p1, junk, p3], out, /junk\.parquet is not a Parquet file/);
    await mergeResults({ out, inputs: [p2, p3, p1] });
    assert.equal((await readParquetRows(out)).rows.length, 8 * 25);
  });
});
