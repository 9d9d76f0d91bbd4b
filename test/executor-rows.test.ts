/**
 * `ExecuteOptions.rows`: each thread encodes the rows of the runs it finishes
 * (here the CLI's encoder), only those cross threads, and they reach `onRows`
 * in job order with the same bytes whatever the number of workers.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SCALAR_METRIC_NAMES } from '../src/analysis/metrics';
import { outputColumns, RowFormatter } from '../src/cli/output';
import type { EncodedColumns, EncodedText } from '../src/cli/rows';
import { runConvictionExperiment } from '../src/models/v1/experiment';

const ROWS = { module: path.join(__dirname, '..', 'src', 'cli', 'rows.ts'), export: 'cliRowEncoder' };
const ARGS = { simulations: [{ runs: 5, timesteps: 4, sweep: { rho: [0.002, 0.003] } }] };
const columns = outputColumns(['rho']);

describe('#.executor rows encoded where runs finish', () => {
  it('should hand each run its CSV bytes in job order, as the formatter writes them, with 1 and 2 workers', async () => {
    const whole = await runConvictionExperiment(ARGS, { seed: 3, keep: 'metrics' });
    const fmt = new RowFormatter('csv', columns);
    const expected = whole.results.map((r) => fmt.run(r, whole.params[0][r.subset]));
    for (const workers of [1, 2]) {
      const got: Array<[number, string, number]> = [];
      const outcomes: Array<[number, number]> = [];
      await runConvictionExperiment(ARGS, {
        seed: 3,
        keep: 'all',
        workers,
        isolate: workers > 1,
        collect: false,
        rows: { ...ROWS, args: { format: 'csv', columns, model: 'v1' } },
        onRows: (i, d) => got.push([i, Buffer.from((d as EncodedText).bytes).toString('utf8'), (d as EncodedText).rows]),
        // The result carries the run's ids only: its history stayed where it ran.
        onOutcome: (o) => outcomes.push([o.index, 'result' in o ? o.result.records.length + o.result.metrics.length : -1]),
      });
      assert.deepEqual(got.map(([i]) => i), [...expected.keys()]);
      assert.deepEqual(got.map(([, t]) => t), expected);
      assert.ok(got.every(([, , n]) => n === 4));
      assert.deepEqual(outcomes, expected.map((_, i) => [i, 0]));
    }
  });

  it('should encode Parquet columns as typed arrays: Int32Array for ints, Float64Array for amounts, swept values as a column', async () => {
    const got: EncodedColumns[] = [];
    await runConvictionExperiment(ARGS, {
      seed: 3,
      keep: 'metrics',
      workers: 2,
      isolate: true,
      collect: false,
      jobs: { from: 4, to: 6 },
      rows: { ...ROWS, args: { format: 'parquet', columns, model: 'v1' } },
      onRows: (_i, d) => got.push(d as EncodedColumns),
    });
    assert.equal(got.length, 2);
    const at = (name: string) => columns.indexOf(name);
    assert.ok(got[0].columns[at('run')].values instanceof Int32Array);
    assert.ok(got[0].columns[at('funds')].values instanceof Float64Array);
    assert.deepEqual([...got[0].columns[at('run')].values], [5, 5, 5, 5]);
    assert.deepEqual([...got[1].columns[at('subset')].values], [1, 1, 1, 1]);
    assert.deepEqual([...got[1].columns[at('rho')].values], [0.003, 0.003, 0.003, 0.003]);
    assert.equal(columns.length, 5 + SCALAR_METRIC_NAMES.length);
  });

  it('should refuse rows without collect: false, naming the option', async () => {
    await assert.rejects(
      runConvictionExperiment(ARGS, { seed: 1, rows: { ...ROWS, args: { format: 'csv', columns, model: 'v1' } } }),
      /runConvictionExperiment: rows needs collect: false/,
    );
  });
});
