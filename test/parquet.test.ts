import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openParquetFile, readParquetFrame, readParquetRows } from '../src/analysis/parquet';
import { rdfTable, toCsv, type TableRow } from '../src/cli/table';
import { openParquetWriter, rdfParquetSchema, writeParquet, type ParquetColumn } from '../src/io/parquet';
import { runConvictionExperiment } from '../src/models/v1/experiment';
import type { Params } from '../src/models/v1/params';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-parquet-'));
let duck: DuckDBConnection;
let table: { columns: string[]; rows: TableRow[] };

/** DuckDB (C++, its own Parquet reader) as the independent reader. */
async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await duck.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
}
const quoted = (file: string): string => `'${file.replace(/'/g, "''")}'`;
const text = (v: unknown): string => (v instanceof Object && 'bytes' in v ? Buffer.from((v as { bytes: Uint8Array }).bytes).toString('utf8') : String(v));

before(async () => {
  duck = await (await DuckDBInstance.create(':memory:')).connect();
  // m = 1 and sentiment 0 leave stretches with no candidate, so the nullable column holds both nulls and numbers.
  const args = { simulations: [{ params: { m: 1, sentiment: 0 }, sweep: { rho: [0.02, 0.5], n: [30, 60] }, runs: 3, timesteps: 40 }] };
  const r = await runConvictionExperiment(args, { seed: 11, keep: 'metrics' });
  table = rdfTable(r.results, (x) => r.params[x.simulation][x.subset], ['rho', 'n'] as Array<keyof Params>);
});
after(() => {
  duck?.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('#.rdfParquetSchema', () => {
  it('should type identifiers and counts as INT32, funds and real parameters as DOUBLE, and only the share as nullable', () => {
    const schema = rdfParquetSchema(['simulation', 'subset', 'run', 'timestep', 'rho', 'n', 'tmin', 'funds', 'active_count', 'active_funds', 'max_conviction_share_of_trigger']);
    assert.deepEqual(
      schema.map((c) => `${c.name}:${c.type}${c.nullable ? '?' : ''}`),
      ['simulation:INT32', 'subset:INT32', 'run:INT32', 'timestep:INT32', 'rho:DOUBLE', 'n:INT32', 'tmin:INT32', 'funds:DOUBLE', 'active_count:INT32', 'active_funds:DOUBLE', 'max_conviction_share_of_trigger:DOUBLE?'],
    );
    assert.throws(() => rdfParquetSchema(['simulation', 'colour']), /^RangeError: rdfParquetSchema: unknown column 'colour'/);
  });
});

describe('#.openParquetWriter', () => {
  it('should write the rdf so that DuckDB reads back exactly the CSV of the same rows, with the declared types', async () => {
    const nulls = table.rows.filter((r) => r.max_conviction_share_of_trigger === null).length;
    assert.ok(nulls > 0 && nulls < table.rows.length, `nulls ${nulls} of ${table.rows.length}`);
    const file = path.join(dir, 'rdf.parquet');
    const schema = rdfParquetSchema(table.columns);
    const w = openParquetWriter(file, schema, { rowGroupSize: 100, metadata: { 'cv.experiment': 'abc' } });
    // Rows arrive in pieces, as a streamed run delivers them.
    for (let i = 0; i < table.rows.length; i += 37) w.writeRows(table.rows.slice(i, i + 37));
    assert.equal(w.rowCount, table.rows.length);
    w.close();

    // Types as the independent reader sees them.
    const pschema = await query(`select name, type, repetition_type from parquet_schema(${quoted(file)}) where name <> 'root'`);
    assert.deepEqual(
      pschema.map((c) => [c.name, c.type, c.repetition_type]),
      schema.map((c) => [c.name, c.type, c.nullable ? 'OPTIONAL' : 'REQUIRED']),
    );
    const described = await query(`describe select * from ${quoted(file)}`);
    assert.deepEqual(
      described.map((c) => [c.column_name, c.column_type]),
      schema.map((c) => [c.name, c.type === 'INT32' ? 'INTEGER' : 'DOUBLE']),
    );
    // Row groups of the size asked for: memory holds at most one group.
    const groups = await query(`select distinct row_group_id, row_group_num_rows from parquet_metadata(${quoted(file)}) order by row_group_id`);
    const want = Array.from({ length: Math.ceil(table.rows.length / 100) }, (_, i) => Math.min(100, table.rows.length - 100 * i));
    assert.deepEqual(groups.map((g) => Number(g.row_group_num_rows)), want);
    const kv = await query(`select key, value from parquet_kv_metadata(${quoted(file)})`);
    assert.deepEqual(kv.map((e) => [text(e.key), text(e.value)]), [['cv.experiment', 'abc']]);

    // Every value, through the same CSV formatting the CLI uses.
    const rows = await query(`select * from ${quoted(file)}`);
    for (const r of rows) {
      for (const c of schema) {
        const v = r[c.name];
        if (v === null) assert.ok(c.nullable, c.name);
        else assert.equal(typeof v, 'number', `${c.name} is a number`);
        if (c.type === 'INT32' && v !== null) assert.ok(Number.isInteger(v), c.name);
      }
    }
    assert.equal(toCsv(Object.keys(rows[0]), rows as TableRow[]), toCsv(table.columns, table.rows));
  });

  it('should stream full row groups to disk before close and show the file only on close', () => {
    const file = path.join(dir, 'stream.parquet');
    const schema: ParquetColumn[] = [{ name: 'x', type: 'DOUBLE', nullable: false }];
    const w = openParquetWriter(file, schema, { rowGroupSize: 1000 });
    const tmpSize = (): number => {
      const tmp = fs.readdirSync(dir).filter((f) => f.startsWith('.stream.parquet.') && f.endsWith('.tmp'));
      assert.equal(tmp.length, 1);
      return fs.statSync(path.join(dir, tmp[0])).size;
    };
    const step = (i: number) => Array.from({ length: 1000 }, (_, j) => ({ x: Math.sin(i * 1000 + j) }));
    w.writeRows(step(0));
    const one = tmpSize();
    w.writeRows(step(1));
    const two = tmpSize();
    // Each group (8 kB of doubles, incompressible) is on disk once complete.
    assert.ok(one >= 8000 && two >= one + 8000, `${one} then ${two}`);
    assert.equal(fs.existsSync(file), false);
    w.close();
    assert.equal(fs.existsSync(file), true);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
  });

  it('should write INT64, STRING and nullable columns that DuckDB reads back', async () => {
    const file = path.join(dir, 'types.parquet');
    const schema: ParquetColumn[] = [
      { name: 'big', type: 'INT64', nullable: false },
      { name: 'label', type: 'STRING', nullable: true },
      { name: 'x', type: 'DOUBLE', nullable: true },
    ];
    writeParquet(file, schema, [
      { big: 2 ** 40 + 1, label: 'a,"b"', x: Infinity },
      { big: -7, label: null, x: null },
      { big: 9007199254740993n, label: 'é', x: -0.5 },
    ]);
    const rows = await query(`select big, label, x from ${quoted(file)}`);
    assert.deepEqual(rows, [
      { big: 2n ** 40n + 1n, label: 'a,"b"', x: Infinity },
      { big: -7n, label: null, x: null },
      { big: 9007199254740993n, label: 'é', x: -0.5 },
    ]);
    const types = await query(`describe select * from ${quoted(file)}`);
    assert.deepEqual(types.map((t) => t.column_type), ['BIGINT', 'VARCHAR', 'DOUBLE']);
  });

  it('should refuse a bad schema or a value of the wrong type with one line, and leave no file', () => {
    const file = path.join(dir, 'bad.parquet');
    const int: ParquetColumn = { name: 'run', type: 'INT32', nullable: false };
    assert.throws(() => openParquetWriter(file, []), /^RangeError: openParquetWriter: schema has no column$/);
    assert.throws(() => openParquetWriter(file, [int, int]), /column 'run' appears twice/);
    assert.throws(() => openParquetWriter(file, [{ name: 'f', type: 'FLOAT' as 'DOUBLE', nullable: false }]), /column 'f' has type 'FLOAT'; allowed: INT32, INT64, DOUBLE, STRING/);
    assert.throws(() => openParquetWriter(file, [int], { rowGroupSize: 0 }), /rowGroupSize must be an integer ≥ 1, got 0/);
    const cases: Array<[ParquetColumn, unknown, RegExp]> = [
      [int, null, /row 1, column 'run' \(INT32\): null is not allowed/],
      [int, 1.5, /row 1, column 'run' \(INT32\): expected an integer in \[-2\^31, 2\^31\), got 1.5/],
      [int, 2 ** 31, /expected an integer in \[-2\^31, 2\^31\), got 2147483648/],
      [{ name: 'x', type: 'DOUBLE', nullable: true }, '1', /column 'x' \(DOUBLE, nullable\): expected a number, got string/],
      [{ name: 'b', type: 'INT64', nullable: false }, 2 ** 60, /column 'b' \(INT64\): expected a safe integer/],
      [{ name: 's', type: 'STRING', nullable: false }, 3, /column 's' \(STRING\): expected a string, got number/],
    ];
    for (const [col, bad, re] of cases) {
      const w = openParquetWriter(file, [col]);
      const good = col.type === 'STRING' ? 'ok' : col.type === 'INT64' ? 1n : 1;
      assert.throws(() => w.writeRows([{ [col.name]: good as never }, { [col.name]: bad as never }]), (e: Error) => {
        assert.match(e.message, /^openParquetWriter: /);
        assert.match(e.message, re);
        assert.ok(!e.message.includes('\n'));
        return true;
      });
      assert.throws(() => w.close(), /already aborted/);
    }
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('bad.') || f.startsWith('.bad.')), []);
  });

  it('should leave an existing file untouched when a new write is aborted', async () => {
    const file = path.join(dir, 'keep.parquet');
    const schema: ParquetColumn[] = [{ name: 'v', type: 'INT32', nullable: false }];
    writeParquet(file, schema, [{ v: 1 }, { v: 2 }]);
    const before = fs.readFileSync(file);
    const w = openParquetWriter(file, schema);
    w.writeRows([{ v: 3 }]);
    w.abort();
    assert.deepEqual(fs.readFileSync(file), before);
    assert.deepEqual((await readParquetRows(file)).rows, [{ v: 1 }, { v: 2 }]);
  });
});

describe('#.readParquetFrame', () => {
  it('should load the rdf into a danfo DataFrame with numeric dtypes and NaN for null', async () => {
    const file = path.join(dir, 'frame.parquet');
    writeParquet(file, rdfParquetSchema(table.columns), table.rows, { rowGroupSize: 128 });
    const df = await readParquetFrame(file);
    assert.deepEqual(df.columns, table.columns);
    assert.deepEqual(df.shape, [table.rows.length, table.columns.length]);
    const schema = rdfParquetSchema(table.columns);
    assert.deepEqual(df.dtypes, schema.map((c) => (c.type === 'INT32' ? 'int32' : 'float32')));
    for (const c of table.columns) {
      const got = df[c].values as number[];
      const want = table.rows.map((r) => (r[c] === null ? NaN : r[c]));
      assert.deepEqual(got, want, c);
    }
    // The column works as a number column: its mean is the mean of the non-null values.
    const fundsMean = table.rows.reduce((s, r) => s + (r.funds as number), 0) / table.rows.length;
    assert.ok(Math.abs((df['funds'].mean() as number) - fundsMean) < 1e-6 * fundsMean);
  });

  it('should give an empty frame with the columns for a file without rows, and one line for a missing file', async () => {
    const file = path.join(dir, 'empty.parquet');
    writeParquet(file, rdfParquetSchema(table.columns), []);
    const df = await readParquetFrame(file);
    assert.deepEqual(df.columns, table.columns);
    assert.equal(df.shape[0], 0);
    await assert.rejects(readParquetFrame(path.join(dir, 'nope.parquet')), /^Error: readParquet: cannot open .*nope\.parquet: no such file$/);
    fs.writeFileSync(path.join(dir, 'junk.parquet'), 'not parquet at all');
    await assert.rejects(openParquetFile(path.join(dir, 'junk.parquet')), /readParquet: .*junk\.parquet is not a Parquet file/);
  });
});
