/**
 * The CLI's `--model v1|v3` and `--rng numpy`, as users run them (the real bin):
 * `simulate --model M --rng numpy --seed k --out x.csv` reproduces the original's
 * reference runs (test/fixtures/reference-runs) at every timestep of the rdf —
 * counts equal, amounts within 1e-12 relative — and v3 runs the same on worker
 * threads as in one thread, in the CLI and in the library.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SCALAR_METRIC_NAMES_V3 } from '../src/analysis/metrics-v3';
import { runConvictionExperiment } from '../src/models/v1/experiment';
import { runBin, runMain } from './helpers/cli';

const REF = path.join(__dirname, 'fixtures', 'reference-runs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-models-'));
const REL = 1e-12;

type Cell = number | null;

/** A CSV file of the CLI as rows of numbers (empty cells are null). */
function readCsv(file: string): { header: string[]; rows: Array<Record<string, Cell>> } {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = head.split(',');
  const rows = lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] === '' ? null : Number(cells[i])]));
  });
  return { header, rows };
}

function relDiff(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null || b === null) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

const COUNTS: Array<[string, string]> = [
  ['participants', 'participant_count'],
  ['proposals', 'proposal_count'],
  ['candidate', 'candidate_count'],
  ['active', 'active_count'],
  ['completed', 'completed_count'],
  ['failed', 'failed_count'],
  ['killed', 'killed_count'],
];

/** Every mismatch between the CLI's rows and a reference file's rows. */
function compare(file: string, refFile: string, amounts: Array<[string, string]>): string[] {
  const ref = JSON.parse(fs.readFileSync(path.join(REF, refFile), 'utf8')) as { rows: Array<Record<string, Cell>> };
  const { rows } = readCsv(file);
  const out: string[] = [];
  if (rows.length !== ref.rows.length) out.push(`${rows.length} rows, the reference has ${ref.rows.length}`);
  ref.rows.forEach((r, k) => {
    const o = rows[k];
    if (!o) return;
    if (o.timestep !== r.timestep) out.push(`row ${k}: timestep ${o.timestep}, reference ${r.timestep}`);
    for (const [f, col] of COUNTS) if (o[col] !== r[f]) out.push(`t = ${r.timestep}: ${col} ${o[col]}, reference ${f} ${r[f]}`);
    for (const [f, col] of amounts) {
      const d = relDiff(o[col], r[f]);
      if (!(d <= REL)) out.push(`t = ${r.timestep}: ${col} ${o[col]}, reference ${f} ${r[f]} (relative ${d})`);
    }
  });
  return out;
}

const V1_AMOUNTS: Array<[string, string]> = [
  ['funds', 'funds'],
  ['candidate_funds', 'candidate_funds'],
  ['max_share', 'max_conviction_share_of_trigger'],
];
const V3_AMOUNTS: Array<[string, string]> = [
  ['funds', 'funds'],
  ['candidate_funds', 'candidate_funds'],
  ['total_supply', 'total_supply'],
  ['effective_supply', 'effective_supply'],
  ['sentiment', 'sentiment'],
];

describe('#.CLI --model v1|v3 --rng numpy reproduces the original', () => {
  it('should reproduce v3-seed-1.json with simulate --model v3 --rng numpy --seed 1', () => {
    const out = path.join(tmp, 'v3-1.csv');
    const r = runBin(['simulate', '--model', 'v3', '--rng', 'numpy', '--seed', '1', '--out', out, '--no-progress']);
    assert.equal(r.code, 0, r.err);
    const { header } = readCsv(out);
    assert.deepEqual(header, ['simulation', 'subset', 'run', 'timestep', ...SCALAR_METRIC_NAMES_V3]);
    assert.deepEqual(compare(out, 'v3-seed-1.json', V3_AMOUNTS), []);
  });

  for (const k of [1, 2, 3, 4, 5]) {
    it(`should reproduce v1-seed-${k}.json and, with --set rho=0.002, v1-rho002-seed-${k}.json`, async () => {
      const a = path.join(tmp, `v1-${k}.csv`);
      const b = path.join(tmp, `v1-rho-${k}.csv`);
      // In process: the same `main` the bin runs, without a process start per seed.
      const ra = await runMain(['simulate', '--model', 'v1', '--rng', 'numpy', '--seed', String(k), '--out', a]);
      const rb = await runMain(['simulate', '--rng', 'numpy', '--seed', String(k), '--set', 'rho=0.002', '--out', b]);
      assert.equal(ra.code, 0, ra.err);
      assert.equal(rb.code, 0, rb.err);
      assert.deepEqual(compare(a, `v1-seed-${k}.json`, V1_AMOUNTS), []);
      assert.deepEqual(compare(b, `v1-rho002-seed-${k}.json`, V1_AMOUNTS), []);
    });
  }

  it('should fail the comparison for another seed (the check can fail)', async () => {
    const out = path.join(tmp, 'v3-2.csv');
    const r = await runMain(['simulate', '--model', 'v3', '--rng', 'numpy', '--seed', '2', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.ok(compare(out, 'v3-seed-1.json', V3_AMOUNTS).length > 0);
  });

  it('should give the same v3 rows on 2 worker threads with --keep all as on one thread', async () => {
    const one = path.join(tmp, 'v3-w1.csv');
    const two = path.join(tmp, 'v3-w2.csv');
    const common = ['simulate', '--model', 'v3', '--runs', '5', '--timesteps', '15', '--sweep', 'gamma=0.001,0.002', '--seed', 'w'];
    assert.equal((await runMain([...common, '--workers', '1', '--out', one])).code, 0);
    const r = runBin([...common, '--workers', '2', '--force-workers', '--keep', 'all', '--out', two, '--no-progress']);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.readFileSync(two, 'utf8'), fs.readFileSync(one, 'utf8'));
    assert.match(fs.readFileSync(one, 'utf8').split('\n')[0], /^simulation,subset,run,timestep,gamma,funds,/);
  });

  it('should refuse a bad --model, --rng, numpy seed or a parameter of the other model with one line, exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--model', 'v2'], /^conviction-voting: --model must be one of v1, v3, got 'v2'\n$/],
      [['--rng', 'mt'], /^conviction-voting: --rng must be one of seedrandom, numpy, got 'mt'\n$/],
      [['--rng', 'numpy', '--seed', 'abc'], /--seed: with --rng numpy the seed must be an integer in \[0, 2\^32 − 1\]/],
      [['--rng', 'numpy', '--seed', '4294967296'], /--seed: with --rng numpy the seed must be an integer in \[0, 2\^32 − 1\]/],
      [['--rng', 'numpy', '--seed=-1'], /--seed: with --rng numpy/],
      [['--model', 'v3', '--set', 'sentiment=0.5'], /--set: unknown parameter 'sentiment' \(of model v3\); known: n, m, initial_funds/],
      [['--set', 'gamma=0.01'], /--set: unknown parameter 'gamma' \(of model v1\)/],
      [['--model', 'v3', '--set', 'rho=0.5'], /rho/],
      [['--model', 'v3', '--model', 'v3'], /--model is given twice/],
    ];
    for (const [argv, re] of cases) {
      const r = await runMain(['simulate', '--timesteps', '1', ...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
      assert.equal(r.out, '');
    }
  });

  it('should accept the numpy seed bounds 0 and 2^32 − 1', async () => {
    for (const seed of ['0', '4294967295']) {
      const r = await runMain(['simulate', '--rng', 'numpy', '--seed', seed, '--timesteps', '2']);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out.split('\n').length, 4);
    }
  });

  it('should list the v3 parameters with params --model v3, from the model declaration', async () => {
    const r = await runMain(['params', '--model', 'v3']);
    assert.equal(r.code, 0);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines[0], 'name,default,allowed');
    assert.equal(lines[1], 'n,30,"an integer >= 1 and <= 10000"');
    assert.ok(lines.some((l) => l.startsWith('gamma,0.001,')));
    assert.ok(!lines.some((l) => l.startsWith('expected_supply,')));
    const v1 = await runMain(['params']);
    assert.ok(v1.out.split('\n').some((l) => l.startsWith('expected_supply,')));
  });
});

describe('#.runConvictionExperiment with model v3', () => {
  it('should run v3 on workers with the same records (state codec) and metrics as on this thread', async () => {
    const args = { simulations: [{ model: 'v3' as const, runs: 3, timesteps: 8, params: { n: 12 } }] };
    const here = await runConvictionExperiment(args, { seed: 5, keep: 'last', workers: 1 });
    const there = await runConvictionExperiment(args, { seed: 5, keep: 'last', workers: 2, isolate: true });
    assert.equal(here.results.length, 3);
    for (let i = 0; i < 3; i++) {
      const a = here.results[i];
      const b = there.results[i];
      assert.deepEqual(b.metrics, a.metrics);
      assert.equal(b.records.length, 9);
      b.records.forEach((rec, t) => {
        const ref = a.records[t];
        for (const k of ['funds', 'sentiment', 'total_supply', 'effective_supply', 'fractionOfSupplyForVoting', 'fractionOfSupplyInPool'] as const) {
          assert.equal(rec[k], ref[k], `${k} at t = ${t}`);
        }
        const ps = rec.fractionOfProposalStages;
        const pr = ref.fractionOfProposalStages;
        assert.deepEqual(ps === 0 ? 0 : ps.values, pr === 0 ? 0 : pr.values);
        const fs2 = rec.fractionOfFundStages;
        assert.deepEqual(fs2 === 0 ? 0 : fs2.values, ref.fractionOfFundStages === 0 ? 0 : ref.fractionOfFundStages.values);
        assert.equal(rec.network.participantCount, ref.network.participantCount);
        assert.equal(rec.network.holdings(0), ref.network.holdings(0));
      });
    }
    assert.ok('sentiment' in here.results[0].metrics[1]);
  });

  it('should refuse a v1 parameter under v3 and mixed models, naming the field', async () => {
    await assert.rejects(runConvictionExperiment({ simulations: [{ model: 'v3', params: { sentiment: 0.5 } as never }] }, { seed: 1 }), /unknown v3 parameter 'sentiment'/);
    await assert.rejects(
      runConvictionExperiment({ simulations: [{ model: 'v3' }, { model: 'v1' }] } as never, { seed: 1 }),
      /runConvictionExperiment: simulations\[1\]\.model is 'v1' but simulations\[0\] runs 'v3'/,
    );
    await assert.rejects(runConvictionExperiment({ simulations: [{ model: 'v9' as never }] }, { seed: 1 }), /simulations\[0\]\.model must be one of v1, v3/);
  });
});
