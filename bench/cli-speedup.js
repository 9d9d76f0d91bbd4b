'use strict';
/**
 * The CLI's parallel speed-up as a user sees it: wall time from process start
 * to output written (the process has exited) for
 *   conviction-voting simulate --runs 1000 --timesteps 100 --keep metrics --out FILE
 * with 1 worker and with 2, beside the machine's own ceiling measured in the
 * same run: two independent 1-worker CLI processes started side by side
 * (ceiling = 2 × alone / slowest of the pair). Rounds alternate the three
 * measurements so that load changes hit them alike; medians are reported with
 * every sample and the load average, so a busy machine shows as such.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const BIN = path.join(__dirname, '..', 'bin', 'conviction-voting.js');

/** Runs the CLI once; resolves to its wall time in ms (start to exit), rejecting on a non-zero exit. */
function timeCli(argv) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const c = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`bench: CLI exited ${code}: ${err}`))));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function run({ quick, emit }) {
  // The case (1,000 runs), then 5,000: each thread pays its own start and JIT
  // warm-up (~0.3 s, the first 100 runs cost 300-490 ms against ~135 ms warm), which the
  // ceiling's processes spread over all their runs; the longer case shows the rest.
  await measure({ runs: quick ? 300 : 1000, rounds: quick ? 2 : 5, emit });
  if (!quick) await measure({ runs: 5000, rounds: 3, emit });
}

async function measure({ runs, rounds, emit }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-bench-speedup-'));
  const args = (workers, name) => ['simulate', '--runs', String(runs), '--timesteps', '100', '--keep', 'metrics', '--seed', '7', '--workers', String(workers), '--force-workers', '--no-progress', '--out', path.join(dir, name)];
  const one = [];
  const two = [];
  const ceilings = [];
  const pairs = [];
  const load = [os.loadavg()[0]];
  for (let k = 0; k < rounds; k++) {
    const a = await timeCli(args(1, 'one.csv'));
    const b = await timeCli(args(2, 'two.csv'));
    const pair = await Promise.all([timeCli(args(1, 'p1.csv')), timeCli(args(1, 'p2.csv'))]);
    one.push(a);
    two.push(b);
    pairs.push(pair);
    ceilings.push((2 * a) / Math.max(...pair));
  }
  load.push(os.loadavg()[0]);
  const same = fs.readFileSync(path.join(dir, 'one.csv')).equals(fs.readFileSync(path.join(dir, 'two.csv')));
  fs.rmSync(dir, { recursive: true, force: true });
  const r0 = (x) => Math.round(x);
  const r2 = (x) => Math.round(x * 100) / 100;
  const speedup = median(one) / median(two);
  const ceiling = median(ceilings);
  emit({
    bench: 'cli-speedup',
    what: `conviction-voting simulate --runs ${runs} --timesteps 100 --keep metrics --out FILE: process start to output written, 1 vs 2 workers`,
    runs,
    one_worker_median_ms: r0(median(one)),
    two_workers_median_ms: r0(median(two)),
    speedup: r2(speedup),
    machine_ceiling_speedup: r2(ceiling),
    share_of_ceiling: r2(speedup / ceiling),
    target_share_of_ceiling: 0.95,
    one_worker_ms_all: one.map(r0),
    two_workers_ms_all: two.map(r0),
    pair_ms_all: pairs.map((p) => p.map(r0)),
    identical_output: same,
    load_average_1min: load.map(r2),
    note: 'ceiling = 2 x (one 1-worker process alone) / (slowest of two 1-worker processes side by side), per round; a loaded machine lowers both',
  });
}

module.exports = { run };
