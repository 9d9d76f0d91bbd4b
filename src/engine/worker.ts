/**
 * A worker thread of the executor. It lives as long as the process (the pool
 * reuses it, so its compiled code stays warm), rebuilds each experiment it is
 * told about once, and runs the jobs it is sent, in the order they arrive (the
 * pool relies on that order to know which job a dead worker was running).
 */
import { parentPort } from 'node:worker_threads';
import { buildExperiment, encodeRun, planJobRange, toWire, type BuiltExperiment, type FromWorker, type ToWorker } from './executor';
import { tryRunJob, type Job } from './wrappers';

const port = parentPort!;
const experiments = new Map<number, { built: BuiltExperiment<object, unknown>; jobs: Job<object>[] } | { error: unknown }>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'define') {
    try {
      const built = buildExperiment<object, unknown>(m.def);
      experiments.set(m.call, { built, jobs: planJobRange(built.simulations, m.jobs) });
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
  const r = tryRunJob(exp.built.simulations[job.simulation], job, { seed: m.seed, keep: m.keep, metrics: exp.built.metrics }, 'worker');
  if ('failure' in r) {
    port.postMessage({ type: 'failure', call: m.call, index: m.index, error: toWire(r.failure) } satisfies FromWorker);
    return;
  }
  const { run, transfer } = encodeRun(r, exp.built.codec);
  port.postMessage({ type: 'result', call: m.call, index: m.index, run } satisfies FromWorker, transfer);
});
