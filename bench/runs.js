'use strict';
/**
 * The speed of single runs and long runs (issue G items 2 and 5, issue F item 6),
 * as JSON lines, in its own module so the other bench sections merge cleanly.
 *  - v1 keep metrics (the CLI's rdf metrics): median <= 1.5 ms over 1,000 runs, one thread;
 *  - v1 keep all, and v3 keep all: median <= 10 ms;
 *  - T = 5000 (n = 60), keep metrics: <= 10 s; keep checkpoints (every substep
 *    retrievable): peak RSS <= 1 GB, any record rebuilt in <= 50 ms, replays equal
 *    to the full history. Long runs run in child processes (bench/long-run.js), so
 *    their peak RSS is their own.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const ss = require('simple-statistics');

const dist = path.join(__dirname, '..', 'dist');

function summary(ms) {
  const r = (x) => Math.round(x * 1000) / 1000;
  return { median_ms: r(ss.median(ms)), p10_ms: r(ss.quantile(ms, 0.1)), p90_ms: r(ss.quantile(ms, 0.9)) };
}

/** Times `n` calls of `once(seed)` after a warm-up. */
function time(once, n) {
  for (let i = 0; i < 50; i++) once(`warm${i}`);
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    once(i);
    ms.push(performance.now() - t);
  }
  return ms;
}

/** Every record of a checkpointed run equals the full history's, at every (t, k) of a T = 200 run. */
function replayMatches(cv) {
  const { runOnce } = require(path.join(dist, 'engine', 'core.js'));
  const { SEEDRANDOM_GENERATOR } = require(path.join(dist, 'engine', 'rng.js'));
  const model = cv.convictionVotingModel();
  const run = (keep) => {
    const rng = SEEDRANDOM_GENERATOR.create(5, 0, 0, 1);
    const genesis = model.genesis(model.params, rng);
    return runOnce({ blocks: model.blocks, params: model.params, genesis, timesteps: 200, rng, simulation: 0, subset: 0, run: 1, keep, checkpointEvery: 10 });
  };
  const full = run('all');
  const cp = run('checkpoints');
  const key = (rec) => JSON.stringify([rec.funds, rec.timestep, rec.substep, rec.network.toGraph().export()]);
  return full.records.every((rec) => key(cp.recordAt(rec.timestep, rec.substep)) === key(rec));
}

/** Runs the section; `emit` prints one JSON line. */
async function run({ quick, emit, want }) {
  const cv = require(dist);
  const { simulateV3 } = require(path.join(dist, 'models', 'v3'));
  if (want('runs')) {
    const n = quick ? 200 : 1000;
    const M = cv.metrics.SCALAR_METRICS;
    // The originals on cadCAD, in-process on these 2-core machines: ~1.4 s per v1 run (the project's brief),
    // ~15 s per v3 run (MODEL_SPEC_V3 §12).
    const cases = [
      ['v1-run-metrics', 'v1, T=100, keep metrics (the CLI rdf metrics), one thread', () => time((seed) => cv.simulate({ seed, keep: 'metrics', metrics: M }), n), 1.5, 1400],
      ['v1-run-all', 'v1, T=100, every substep kept (401 records), one thread', () => time((seed) => cv.simulate({ seed, keep: 'all' }), n), null, 1400],
      ['v3-run-all', 'v3, T=100, every substep kept (601 records), one thread', () => time((seed) => simulateV3({ seed, keep: 'all' }), n), 10, 15000],
    ];
    for (const [bench, what, measure, target, cadcad] of cases) {
      const s = summary(measure());
      emit({
        bench,
        what,
        samples: n,
        ...s,
        ...(target === null ? {} : { target_median_ms: target }),
        python_cadcad_ms: cadcad,
        speedup_vs_python: Math.round(cadcad / s.median_ms),
      });
    }
  }
  if (want('long-run')) {
    const T = quick ? 1000 : 5000;
    const child = (...args) => {
      const c = spawnSync(process.execPath, [path.join(__dirname, 'long-run.js'), ...args], { encoding: 'utf8' });
      if (c.status !== 0) throw new Error(`bench: long run ${args.join(' ')} failed: ${c.stderr}`);
      return JSON.parse(c.stdout);
    };
    const metrics = child('metrics', String(T));
    emit({ bench: 'long-run-metrics', what: `v1, T=${T}, n=60, keep metrics, one run`, ...metrics, target_run_ms: 10000 });
    const cps = child('checkpoints', String(T), '10');
    emit({
      bench: 'long-run-checkpoints',
      what: `v1, T=${T}, n=60, keep checkpoints (every 10 timesteps): every substep retrievable by replay`,
      ...cps,
      replay_equals_full_history: replayMatches(cv),
      target_peak_rss_mb: 1024,
      target_rebuild_max_ms: 50,
    });
  }
}

module.exports = { run };
