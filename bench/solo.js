'use strict';
/** One thread running `runs` default runs (metrics only): the unit of the machine's parallel ceiling. */
const path = require('node:path');
const cv = require(path.join(__dirname, '..', 'dist'));

const runs = Number(process.argv[2] ?? 1000);
cv.simulate({ runs: 50, seed: 'warm', keep: 'metrics', metrics: cv.metrics.SCALAR_METRICS });
const t = performance.now();
cv.simulate({ runs, seed: 7, keep: 'metrics', metrics: cv.metrics.SCALAR_METRICS });
process.stdout.write(`${performance.now() - t}\n`);
