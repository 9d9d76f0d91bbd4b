import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempPathFor } from '../src/io/atomic';
import { badInputProblems, BIN, runBin, runMain, startBin } from './helpers/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-hard-'));
const inTmp = (...p: string[]) => path.join(tmp, ...p);
function assertBad(r: { code: number | null; out: string; err: string }, pattern: RegExp, label = ''): void {
  assert.deepEqual(badInputProblems(r), [], `${label}: ${r.err}`);
  assert.match(r.err, pattern, label);
}
const tempsIn = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes('.cv-tmp-'));

describe('CLI: no silent acceptance (issue 8, E8)', () => {
  it('should refuse a single-valued flag given twice, naming it', async () => {
    for (const flag of ['--runs', '--timesteps', '--seed', '--workers', '--keep', '--out', '--params']) {
      const value = flag === '--keep' ? 'last' : flag === '--out' ? inTmp('a.csv') : flag === '--params' ? 'data/low-rho.json' : '2';
      assertBad(await runMain(['simulate', flag, value, `${flag}=${value}`]), new RegExp(`${flag} is given twice`), flag);
    }
    assertBad(await runMain(['simulate', '--cartesian', '--cartesian', '--sweep', 'rho=0.1']), /--cartesian is given twice/);
    assertBad(await runMain(['simulate', '--progress', '--no-progress']), /contradict/);
    assertBad(await runMain(['simulate', '--set', 'rho=0.1', '--set', 'rho=0.2']), /'rho' is set twice/);
  });

  it('should refuse a parameter both swept and set', async () => {
    assertBad(await runMain(['simulate', '--sweep', 'rho=0.01,0.02', '--set', 'rho=0.03']), /'rho' is also given with --set/);
  });

  it('should reject unknown arguments in every subcommand, and stray values', async () => {
    assertBad(await runMain(['params', '--x']), /params: unknown option '--x'/);
    assertBad(await runMain(['params', 'extra']), /params: unexpected argument 'extra'/);
    assertBad(await runMain(['--help', 'extra']), /unexpected argument 'extra'/);
    assertBad(await runMain(['simulate', 'stray']), /simulate: unexpected argument 'stray'/);
    assertBad(await runMain(['simulate', '-x']), /simulate: unknown option '-x'/);
    assertBad(await runMain(['simulate', '--cartesian=yes']), /--cartesian takes no value/);
    assertBad(await runMain(['simulate', '--runs']), /--runs needs a value/);
    assertBad(await runMain(['simulate', '--runs', '--timesteps', '3']), /--runs needs a value/);
    assertBad(await runMain(['bogus']), /unknown command 'bogus'/);
  });

  it('should print usage on stderr and exit 2 when run bare', () => {
    const r = runBin([]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^conviction-voting: no command given\nusage: conviction-voting simulate/);
  });

  it('should refuse empty values', async () => {
    assertBad(await runMain(['simulate', '--params', '']), /--params: the file name is empty/);
    assertBad(await runMain(['simulate', '--out', '']), /--out: the file name is empty/);
    assertBad(await runMain(['simulate', '--seed', '']), /--seed: the seed is empty/);
    assertBad(await runMain(['simulate', '--runs=']), /--runs: '' is not a decimal number/);
    assertBad(await runMain(['simulate', '--sweep', 'rho=0.1,,0.2']), /--sweep rho: '' is not a decimal number/);
  });
});

describe('CLI: params files (issue 8, E8)', () => {
  const write = (name: string, content: string | Buffer) => {
    fs.writeFileSync(inTmp(name), content);
    return inTmp(name);
  };

  it('should accept a UTF-8 BOM', async () => {
    const f = write('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"rho": 0.002}')]));
    const a = await runMain(['simulate', '--params', f, '--timesteps', '3']);
    const b = await runMain(['simulate', '--set', 'rho=0.002', '--timesteps', '3']);
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, b.out);
  });

  it('should refuse nesting beyond the schema, deep nesting without a stack overflow, and duplicate keys', async () => {
    assertBad(await runMain(['simulate', '--params', write('nested.json', '{"rho": {"value": 0.1}}')]), /nests objects or lists; it must be one flat object/);
    assertBad(await runMain(['simulate', '--params', write('list.json', '{"rho": [0.1]}')]), /nests objects or lists/);
    const deep = write('deep.json', '['.repeat(500_000) + ']'.repeat(500_000));
    const r = await runMain(['simulate', '--params', deep]);
    assertBad(r, /nests objects or lists/);
    assert.doesNotMatch(r.err, /call stack/);
    assertBad(await runMain(['simulate', '--params', write('dup.json', '{"rho": 0.1, "rho": 0.2}')]), /'rho' appears twice/);
    assertBad(await runMain(['simulate', '--params', write('str.json', '{"rho": "0.1"}')]), /'rho' in .* must be a number, got string/);
    assertBad(await runMain(['simulate', '--params', write('inf.json', '{"rho": 1e400}')]), /rho must be a finite number > 0, got Infinity/);
    assertBad(await runMain(['simulate', '--params', write('proto.json', '{"__proto__": {"rho": 1}}')]), /nests|unknown parameter/);
  });

  it('should refuse files over 1 MB, and read /dev/zero only up to the cap', async () => {
    const big = write('big.json', `{"rho": 0.1${' '.repeat(1 << 20)}}`);
    assertBad(await runMain(['simulate', '--params', big]), /is \d+ bytes, above the limit of 1048576/);
    assertBad(await runMain(['simulate', '--params', '/dev/zero']), /'\/dev\/zero' is larger than the limit of 1048576 bytes/);
    assertBad(await runMain(['simulate', '--params', tmp]), /is a folder, not a JSON file/);
  });
});

describe('CLI: checks before work (issue 8, E1)', () => {
  it('should refuse the issue\'s oversized experiments at once, naming the flags, the estimate and the limit', async () => {
    assertBad(
      await runMain(['simulate', '--runs', '1000000000', '--timesteps', '1', '--workers', '1']),
      /simulate: --runs × --sweep subsets = 1,000,000,000 runs, above the limit of 10,000,000 runs per experiment; use fewer runs .* shard/,
    );
    const out = inTmp('never.csv');
    assertBad(
      await runMain(['simulate', '--sweep', 'n=60,100000000', '--timesteps', '2', '--workers', '1', '--out', out]),
      /100,000,002 participants .* needs about \d+ GB of memory, above the limit of [\d.]+ GB .*; try .*shard/,
    );
    assert.equal(fs.existsSync(out), false);
    const sweeps = ['rho', 'alpha', 'beta', 'sentiment', 'sensitivity'].map((name) =>
      `${name}=${Array.from({ length: 100 }, (_, i) => ((i + 1) / 102).toFixed(4)).join(',')}`,
    );
    const crossed = await runMain(['simulate', '--timesteps', '1', ...sweeps.flatMap((s) => ['--sweep', s]), '--cartesian']);
    assertBad(crossed, /--sweep subsets \(crossed\) = 10,000,000,000 runs, above the limit/);
    assertBad(await runMain(['simulate', '--runs', '100000', '--timesteps', '100000']), /= 10,000,000,000 output rows, above the limit of 1,000,000,000/);
  });

  it('should refuse a bad --out before any run: missing folder, a folder, a too-long name, an unwritable folder', async () => {
    // Each would otherwise compute 100,000 runs first.
    const work = ['simulate', '--runs', '100000', '--workers', '1'];
    assertBad(await runMain([...work, '--out', inTmp('nope', 'x.csv')]), /--out: folder '.*nope' does not exist/);
    fs.mkdirSync(inTmp('dir.csv'));
    assertBad(await runMain([...work, '--out', inTmp('dir.csv')]), /--out: '.*dir.csv' is a folder/);
    assertBad(await runMain([...work, '--out', inTmp(`${'n'.repeat(300)}.csv`)]), /the file name is 304 bytes long, above the 255/);
    const unwritable = process.getuid?.() === 0 ? '/sys' : inTmp('ro');
    if (unwritable !== '/sys') {
      fs.mkdirSync(unwritable);
      fs.chmodSync(unwritable, 0o555);
    }
    assertBad(await runMain([...work, '--out', path.join(unwritable, 'x.csv')]), /--out: cannot write in folder '.*': permission denied \(EACCES\)/);
  });

  it('should refuse a read-only file system before any run (EROFS), when a private mount can be made', (t) => {
    const probe = spawnSync('unshare', ['-rm', 'true']);
    if (probe.status !== 0) return t.skip('unshare -rm is not available here');
    const ro = inTmp('rofs');
    fs.mkdirSync(ro);
    const r = spawnSync(
      'unshare',
      ['-rm', 'sh', '-c', `mount -t tmpfs -o ro none "${ro}" && exec "${process.execPath}" "${BIN}" simulate --runs 100000 --workers 1 --out "${ro}/x.csv"`],
      { encoding: 'utf8' },
    );
    assertBad({ code: r.status, out: r.stdout, err: r.stderr }, /--out: cannot write in folder .*read-only file system \(EROFS\)/);
  });

  it('should write a legal 250-character file name (the temporary name is cut to fit)', () => {
    const name = `${'a'.repeat(246)}.csv`;
    const r = runBin(['simulate', '--timesteps', '2', '--out', name], { cwd: tmp });
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.readFileSync(inTmp(name), 'utf8').split('\n').length, 4);
    assert.ok(Buffer.byteLength(path.basename(tempPathFor(inTmp(name), 4194304, 999))) <= 255);
    assert.deepEqual(tempsIn(tmp), []);
  });

  it('should cap --workers at the cores with a warning, unless forced', async () => {
    const r = await runMain(['simulate', '--workers', '8', '--timesteps', '2'], 2);
    assert.equal(r.code, 0);
    assert.equal(r.err, 'conviction-voting: --workers 8 is more than the 2 cores; using 2 (--force-workers to insist)\n');
    const forced = await runMain(['simulate', '--workers', '3', '--force-workers', '--timesteps', '2'], 2);
    assert.equal(forced.err, '');
    assert.equal(forced.out, r.out);
  });
});

describe('CLI: streamed output (issue 8, E2)', () => {
  it('should stream the same bytes the whole-table writer produced before (CSV and JSON), with 1 and 2 workers', async () => {
    const { rdfTable, toCsv, toJson } = await import('../src/cli/table');
    const { runConvictionExperiment } = await import('../src/models/v1/experiment');
    const swept = ['rho', 'alpha'] as const;
    const sweep = { rho: [0.02, 0.002], alpha: [0.5, 0.9] };
    const whole = await runConvictionExperiment({ simulations: [{ sweep, timesteps: 15, runs: 3 }] }, { seed: 21, keep: 'metrics' });
    const table = rdfTable(whole.results, (r) => whole.params[r.simulation][r.subset], [...swept]);
    const args = ['simulate', '--runs', '3', '--timesteps', '15', '--seed', '21', '--sweep', 'rho=0.02,0.002', '--sweep', 'alpha=0.5,0.9'];
    for (const workers of ['1', '2']) {
      const r = await runMain([...args, '--workers', workers], 2);
      assert.equal(r.out, toCsv(table.columns, table.rows), `CSV, ${workers} workers`);
      const f = inTmp(`same-${workers}.json`);
      assert.equal((await runMain([...args, '--workers', workers, '--out', f], 2)).code, 0);
      assert.equal(fs.readFileSync(f, 'utf8'), toJson(table.rows), `JSON, ${workers} workers`);
    }
  });

  it('should write CSV, JSON Lines and a JSON array with the same rows', () => {
    const args = ['simulate', '--runs', '3', '--timesteps', '4', '--seed', '5', '--sweep', 'rho=0.02,0.002', '--workers', '2'];
    for (const f of ['t.csv', 't.jsonl', 't.ndjson', 't.json']) assert.equal(runBin([...args, '--out', f], { cwd: tmp }).code, 0, f);
    const csv = fs.readFileSync(inTmp('t.csv'), 'utf8').trimEnd().split('\n');
    const cols = csv[0].split(',');
    const fromCsv = csv.slice(1).map((l) => l.split(','));
    const jsonl = fs.readFileSync(inTmp('t.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const array = JSON.parse(fs.readFileSync(inTmp('t.json'), 'utf8'));
    assert.equal(fs.readFileSync(inTmp('t.ndjson'), 'utf8'), fs.readFileSync(inTmp('t.jsonl'), 'utf8'));
    assert.equal(fromCsv.length, 2 * 3 * 4);
    assert.deepEqual(array, jsonl);
    jsonl.forEach((row: Record<string, unknown>, i: number) => {
      assert.deepEqual(Object.keys(row), cols);
      cols.forEach((c, k) => assert.equal(row[c] === null ? '' : String(row[c]), fromCsv[i][k], `${c} row ${i}`));
    });
  });

  it('should hand rows to the output run by run as runs finish, in job order', async () => {
    // In process: the rows reach stdout run by run, before the experiment has ended.
    let chunks = 0;
    let text = '';
    const { main } = await import('../src/cli/main');
    const code = await main(['simulate', '--runs', '40', '--timesteps', '5'], {
      stdout: { write: (t) => void ((text += t), chunks++), flush: () => {} },
      stderr: () => {},
      cores: 1,
    });
    assert.equal(code, 0);
    assert.equal(chunks, 1 + 40, 'a header, then one piece per run');
    const runs = text.trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    assert.deepEqual(runs, Array.from({ length: 200 }, (_, i) => Math.floor(i / 5) + 1));
  });
});

describe('CLI: signals and broken pipes (issue 8, E3)', () => {
  const waitFor = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(cond(), `timed out waiting for ${what}`);
  };

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`should remove the temporary file on ${signal}, keep the previous file and exit ${code}`, async () => {
      const dir = fs.mkdtempSync(inTmp('sig-'));
      fs.writeFileSync(path.join(dir, 'x.csv'), 'precious\n');
      // One worker: the runs are one long synchronous loop, which must not delay the signal.
      const child = startBin(['simulate', '--runs', '200000', '--workers', '1', '--out', 'x.csv'], dir);
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      await waitFor(() => tempsIn(dir).length === 1, 'the temporary file');
      child.kill(signal);
      assert.equal(await exited, code, err);
      assert.deepEqual(tempsIn(dir), []);
      assert.equal(fs.readFileSync(path.join(dir, 'x.csv'), 'utf8'), 'precious\n');
      assert.match(err, new RegExp(`stopped by ${signal}; no output written, any previous file kept\\n$`));
    });
  }

  it('should leave a recognisable temporary file on SIGKILL, which the next write to the target removes', async () => {
    const dir = fs.mkdtempSync(inTmp('kill-'));
    const child = startBin(['simulate', '--runs', '200000', '--workers', '1', '--out', 'x.csv'], dir);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await waitFor(() => tempsIn(dir).length === 1, 'the temporary file');
    child.kill('SIGKILL');
    await exited;
    assert.deepEqual(tempsIn(dir), [`.x.csv.cv-tmp-${child.pid}`]);
    // Another process's temporary file that is still alive is left alone.
    const alive = path.basename(tempPathFor(path.join(dir, 'x.csv'), process.pid));
    fs.writeFileSync(path.join(dir, alive), 'in use');
    const r = runBin(['simulate', '--timesteps', '2', '--out', 'x.csv'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(tempsIn(dir), [alive]);
  });

  it('should exit quietly with status 0 when the reader goes away (| head -1)', async () => {
    // pipefail: the pipeline's status is the CLI's unless it is 0.
    const s = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" simulate --runs 20000 --workers 1 | head -1`], {
      encoding: 'utf8',
    });
    assert.match(s.stdout, /^simulation,subset,run,timestep,[^\n]*\n$/);
    assert.equal(s.status, 0, s.stderr);
    assert.equal(s.stderr, '');
  });

  it('should print one line, no stack, when stdout cannot be written (ENOSPC on /dev/full)', () => {
    const fd = fs.openSync('/dev/full', 'w');
    const r = spawnSync(process.execPath, [BIN, 'simulate', '--runs', '50', '--workers', '1'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    fs.closeSync(fd);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'conviction-voting: cannot write to stdout: no space left on device (ENOSPC)\n');
  });
});

describe('#.RowFormatter', () => {
  it('should write JSON cells as JSON.stringify does, with Infinity and NaN as null', async () => {
    const { RowFormatter } = await import('../src/cli/output');
    const { toJson } = await import('../src/cli/table');
    const metrics = [
      { timestep: 0, a: 1 },
      { timestep: 1, a: Infinity, b: NaN, c: null, d: -0, e: 1e21, f: 'x"\n\u2028y' },
      { timestep: 2, a: -1.5e-7, b: 0, c: 3, d: 'é', e: -Infinity, f: '' },
    ];
    const cols = ['run', 'timestep', 'a', 'b', 'c', 'd', 'e', 'f'];
    const result = { simulation: 0, subset: 0, run: 1, records: [], metrics } as never;
    const rows = metrics.slice(1).map((m) => Object.fromEntries(cols.map((c) => [c, c === 'run' ? 1 : (m as Record<string, unknown>)[c]]))) as never;
    const json = new RowFormatter('json', cols);
    assert.equal(json.begin() + json.run(result, { run: 1 } as never) + json.end(), toJson(rows));
    const lines = new RowFormatter('jsonl', cols);
    const text = lines.begin() + lines.run(result, { run: 1 } as never) + lines.end();
    const replacer = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
    assert.equal(text, (rows as unknown[]).map((r) => JSON.stringify(r, replacer) + '\n').join(''));
    const empty = new RowFormatter('json', cols);
    assert.equal(empty.begin() + empty.end(), '[]\n');
  });
});
