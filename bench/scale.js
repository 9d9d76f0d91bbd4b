'use strict';
/** The scale case of `npm run bench`, in its own process for an honest peak RSS. */
const path = require('node:path');
const cv = require(path.join(__dirname, '..', 'dist'));

const T = Number(process.argv[2] ?? 1000);
const t = performance.now();
const r = cv.simulate({ seed: 1, timesteps: T, params: { n: 600 }, keep: 'last' });
const ms = performance.now() - t;
const records = r.results[0].records;
// Every kept timestep's network is still there: read each one through the compact
// API (a digest of its tokens), and materialise a graphology graph for a sample.
let digest = 0;
for (const rec of records) {
  const net = rec.network;
  for (let j = 0; j < net.proposalCount; j++) for (const x of net.tokensColumn(j)) digest += x;
}
const step = Math.max(1, Math.floor(records.length / 10));
let materialised = 0;
const t2 = performance.now();
for (let k = 0; k < records.length; k += step) {
  const g = records[k].network.toGraph();
  if (g.order !== records[k].network.participantCount + records[k].network.proposalCount) throw new Error('scale: bad graph');
  materialised++;
}
const last = records[records.length - 1].network;
process.stdout.write(
  JSON.stringify({
    bench: 'scale',
    what: `T=${T}, n=600, keep last`,
    run_ms: Math.round(ms),
    records: records.length,
    every_timestep_kept: records.length === T + 1,
    tokens_digest_finite: Number.isFinite(digest),
    graphs_materialised: materialised,
    materialise_ms_each: Math.round((performance.now() - t2) / materialised),
    participants_at_end: last.participantCount,
    proposals_at_end: last.proposalCount,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    target_ms: 60000,
    target_peak_rss_mb: 2048,
    node: process.version,
  }) + '\n',
);
