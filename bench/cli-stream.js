'use strict';
/**
 * The CLI's streamed output (issue 8, E2), through the real bin in a child
 * process: peak RSS of that process (all its threads) and rows per second, for
 * 10,000 and 100,000 runs (metrics only, 100 timesteps, both cores), to CSV and
 * Parquet, and for 10,000 runs to a JSON array. Peak RSS from `/usr/bin/time -v` when
 * present, else the child's VmHWM polled from /proc.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const BIN = path.join(__dirname, '..', 'bin', 'conviction-voting.js');
const TIME = '/usr/bin/time';

function viaTime(args) {
  const t = performance.now();
  const r = spawnSync(TIME, ['-v', process.execPath, BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  return { status: r.status, stderr: r.stderr, ms, peakKb: kb };
}

function viaProc(args) {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakKb = 0;
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // The child has just exited.
      }
    }, 50);
    child.on('exit', (status) => {
      clearInterval(poll);
      resolve({ status, stderr, ms: performance.now() - t, peakKb });
    });
  });
}

/** Runs the section; `emit` prints one JSON line. */
async function run({ quick, emit }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-bench-cli-'));
  const haveTime = fs.existsSync(TIME);
  // 100,000 runs to Parquet is issue 10's scale case: <= 200 s on 2 cores and <= 1 GB peak RSS.
  const cases = quick ? [[2000, 'csv'], [2000, 'json'], [2000, 'parquet']] : [[10000, 'csv'], [10000, 'json'], [100000, 'csv'], [100000, 'parquet']];
  try {
    for (const [runs, ext] of cases) {
      const out = path.join(dir, `runs.${ext}`);
      const args = ['simulate', '--runs', String(runs), '--keep', 'metrics', '--no-progress', '--out', out];
      const r = haveTime ? viaTime(args) : await viaProc(args);
      const rows = Number(/wrote (\d+) rows/.exec(r.stderr)?.[1]);
      if (r.status !== 0 || !(rows === runs * 100)) throw new Error(`bench: cli-stream ${runs} runs failed: ${r.stderr}`);
      emit({
        bench: 'cli-stream',
        what: `conviction-voting simulate --runs ${runs} --keep metrics --out runs.${ext} (real process, ${os.availableParallelism?.() ?? os.cpus().length} cores)`,
        runs,
        rows,
        format: ext,
        file_mb: Math.round(fs.statSync(out).size / 1e6),
        wall_ms: Math.round(r.ms),
        rows_per_s: Math.round(rows / (r.ms / 1000)),
        peak_rss_mb: Math.round(r.peakKb / 1024),
        peak_rss_from: haveTime ? '/usr/bin/time -v' : '/proc VmHWM (polled)',
        target_peak_rss_mb: 1024,
        ...(runs === 100000 && ext === 'parquet' ? { target_wall_ms: 200000 } : {}),
      });
      fs.rmSync(out, { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
