/**
 * A worker thread of the executor. It lives as long as the process (the pool
 * reuses it, so its compiled code stays warm), rebuilds each experiment it is
 * told about once, and runs the jobs it is sent, in the order they arrive (the
 * pool relies on that order to know which job a dead worker was running).
 */
import { parentPort } from 'node:worker_threads';
import {
  buildExperiment,
  buildRowEncoder,
  encodeRun,
  planJobRange,
  runAndEncode,
  toWire,
  type BuiltExperiment,
  type FromWorker,
  type RowEncoder,
  type ToWorker,
} from './executor';
import { runFailed } from './errors';
import { tryRunJob, type Job } from './wrappers';

const port = parentPort!;
type Defined = { built: BuiltExperiment<object, unknown>; jobs: Job<object>[]; encoder?: RowEncoder<object, unknown> };
const experiments = new Map<number, Defined | { error: unknown }>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'define') {
    try {
      const built = buildExperiment<object, unknown>(m.def);
      const encoder = m.rows ? buildRowEncoder<object, unknown>(m.rows) : undefined;
      experiments.set(m.call, { built, jobs: planJobRange(built.simulations, m.jobs), encoder });
    } catch (e) {
      experiments.set(m.call, { error: e });
    }
    return;
  }
  if (m.type === 'forget') {
    experiments.delete(m.call);
    return;
  }
  const exp = experiments.get(m.call);
  if (!exp || 'error' in exp) {
    const error = toWire(exp ? exp.error : new Error('worker: unknown experiment'));
    port.postMessage({ type: 'failure', call: m.call, index: m.index, error } satisfies FromWorker);
    return;
  }
  const job = exp.jobs[m.index];
  const runIt = () => tryRunJob(exp.built.simulations[job.simulation], job, { seed: m.seed, keep: m.keep, metrics: exp.built.metrics }, 'worker');
  if (exp.encoder) {
    // Only the rows leave the thread: the run's history and metrics stay here and are dropped.
    const { settled, transfer } = runAndEncode(runIt, job, exp.encoder, (e) => runFailed('worker', job, e));
    if ('failure' in settled) port.postMessage({ type: 'failure', call: m.call, index: m.index, error: toWire(settled.failure) } satisfies FromWorker);
    else port.postMessage({ type: 'rows', call: m.call, index: m.index, rows: settled as never } satisfies FromWorker, transfer);
    return;
  }
  const r = runIt();
  if ('failure' in r) {
    port.postMessage({ type: 'failure', call: m.call, index: m.index, error: toWire(r.failure) } satisfies FromWorker);
    return;
  }
  const { run, transfer } = encodeRun(r, exp.built.codec);
  port.postMessage({ type: 'result', call: m.call, index: m.index, run } satisfies FromWorker, transfer);
});
