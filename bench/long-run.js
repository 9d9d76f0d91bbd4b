'use strict';
/**
 * One long v1 run in its own process, so that its peak RSS (VmHWM) is its own:
 *   node bench/long-run.js metrics|checkpoints|all T [K]
 * Prints one JSON object: wall time, peak RSS and, for checkpoints, the time to
 * rebuild records at scattered (timestep, substep).
 */
const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist');
const { runOnce } = require(path.join(dist, 'engine', 'core.js'));
const { SEEDRANDOM_GENERATOR } = require(path.join(dist, 'engine', 'rng.js'));
const cv = require(dist);

const [mode = 'checkpoints', T = '5000', K = '10'] = process.argv.slice(2);
const timesteps = Number(T);
const model = cv.convictionVotingModel({ n: 60 });
const rng = SEEDRANDOM_GENERATOR.create(1, 0, 0, 1);
const genesis = model.genesis(model.params, rng);
const t0 = performance.now();
const r = runOnce({
  blocks: model.blocks, params: model.params, genesis, timesteps, rng, simulation: 0, subset: 0, run: 1,
  keep: mode, checkpointEvery: Number(K), metrics: cv.metrics.SCALAR_METRICS, usesHistory: model.usesHistory,
});
const runMs = performance.now() - t0;
const out = { mode, timesteps, run_ms: Math.round(runMs), cpu_ms: Math.round(process.cpuUsage().user / 1000) };
if (mode === 'checkpoints') {
  // Scattered probes from a fixed stream (no Math.random), the last timestep included.
  let x = 12345;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const ms = [];
  const probes = [[timesteps, 4], [timesteps - 1, 2]];
  for (let i = 0; i < 40; i++) probes.push([1 + Math.floor(next() * timesteps), 1 + Math.floor(next() * 4)]);
  r.recordAt(Math.max(1, timesteps - 3), 1); // the replay path compiled once, as in any session
  for (const [t, k] of probes) {
    const s = performance.now();
    const rec = r.recordAt(t, k);
    ms.push(performance.now() - s);
    if (rec.timestep !== t || rec.substep !== k) throw new Error('long-run: wrong record');
  }
  ms.sort((a, b) => a - b);
  out.checkpoint_every = Number(K);
  out.checkpoints = r.checkpoints.checkpoints.length;
  out.rebuild_median_ms = Math.round(ms[ms.length >> 1] * 10) / 10;
  out.rebuild_p90_ms = Math.round(ms[Math.floor(ms.length * 0.9)] * 10) / 10;
  out.rebuild_max_ms = Math.round(ms[ms.length - 1] * 10) / 10;
  const last = r.recordAt(timesteps, 4).network;
  out.final_participants = last.participantCount;
  out.final_proposals = last.proposalCount;
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
out.peak_rss_mb = hwm ? Math.round(Number(hwm[1]) / 1024) : null;
process.stdout.write(JSON.stringify(out) + '\n');
