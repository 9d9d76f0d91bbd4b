/**
 * A worker thread of the executor. It lives as long as the process (the pool
 * reuses it, so its compiled code stays warm), rebuilds each experiment it is
 * told about once, and runs the jobs it is sent.
 */
import { parentPort } from 'node:worker_threads';
import { buildExperiment, encodeRun, type BuiltExperiment, type ToWorker } from './executor';
import { errorMessage, planJobs, runJob, type Job } from './wrappers';

const port = parentPort!;
const experiments = new Map<number, { built: BuiltExperiment<object, unknown>; jobs: Job<object>[] } | { error: string }>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'define') {
    try {
      const built = buildExperiment<object, unknown>(m.def);
      experiments.set(m.call, { built, jobs: planJobs(built.simulations) });
    } catch (e) {
      experiments.set(m.call, { error: errorMessage(e) });
    }
    return;
  }
  if (m.type === 'forget') {
    experiments.delete(m.call);
    return;
  }
  const exp = experiments.get(m.call);
  if (!exp || 'error' in exp) {
    port.postMessage({ type: 'failure', call: m.call, index: m.index, error: exp ? exp.error : 'worker: unknown experiment' });
    return;
  }
  const job = exp.jobs[m.index];
  try {
    const result = runJob(exp.built.simulations[job.simulation], job, { seed: m.seed, keep: m.keep, metrics: exp.built.metrics });
    const { run, transfer } = encodeRun(result, exp.built.codec);
    port.postMessage({ type: 'result', call: m.call, index: m.index, run }, transfer);
  } catch (e) {
    port.postMessage({ type: 'failure', call: m.call, index: m.index, error: errorMessage(e) });
  }
});
