/** A worker thread of the executor: rebuilds the experiment, runs the jobs it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildExperiment, encodeRun, type ExecuteOptions, type ExperimentDefinition } from './executor';
import { errorMessage, planJobs, runJob } from './wrappers';

const { def, options } = workerData as { def: ExperimentDefinition; options: ExecuteOptions };
const port = parentPort!;

try {
  const built = buildExperiment<object, unknown>(def);
  const jobs = planJobs(built.simulations);
  port.on('message', (m: { type: 'job'; index: number }) => {
    const job = jobs[m.index];
    try {
      const result = runJob(built.simulations[job.simulation], job, { ...options, metrics: built.metrics });
      const { run, transfer } = encodeRun(result, built.codec);
      port.postMessage({ type: 'result', index: m.index, run }, transfer);
    } catch (e) {
      port.postMessage({ type: 'failure', index: m.index, error: errorMessage(e) });
    }
  });
} catch (e) {
  port.postMessage({ type: 'fatal', error: errorMessage(e) });
}
