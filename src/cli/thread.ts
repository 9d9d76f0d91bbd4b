/**
 * The CLI as a process: the command runs on a worker thread while the main
 * thread only watches. A long synchronous run cannot delay a signal: on SIGINT,
 * SIGTERM or SIGHUP the main thread removes the temporary output file (the
 * previous --out file stays as it was) and exits 128 + the signal's number.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { FdWriter } from '../io/atomic';

type FromCli = { type: 'temp'; path: string | null } | { type: 'exit'; code: number };

const SIGNALS: Array<[NodeJS.Signals, number]> = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
];

function say(text: string): void {
  try {
    fs.writeSync(2, text);
  } catch {
    // stderr closed: nothing to tell.
  }
}

/** Runs the CLI with `argv` in this process; exits with its code. */
export function runCliProcess(argv: string[]): void {
  let temp: string | null = null;
  const finish = (code: number): never => {
    if (temp) fs.rmSync(temp, { force: true });
    process.exit(code);
  };
  for (const [signal, code] of SIGNALS) {
    process.on(signal, () => {
      const had = temp !== null;
      if (temp) fs.rmSync(temp, { force: true });
      temp = null;
      say(`conviction-voting: stopped by ${signal}${had ? '; no output written, any previous file kept' : ''}\n`);
      process.exit(code);
    });
  }
  const worker = new Worker(path.join(__dirname, 'thread.js'), {
    workerData: { argv, stderrIsTTY: Boolean(process.stderr.isTTY) },
    stdout: true,
    stderr: true,
  });
  worker.on('message', (m: FromCli) => {
    if (m.type === 'temp') temp = m.path;
    else finish(m.code);
  });
  worker.on('error', (e) => {
    say(`conviction-voting: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    finish(1);
  });
  worker.on('exit', (code) => finish(code === 0 ? 1 : code));
}

if (!isMainThread && workerData && Array.isArray((workerData as { argv?: unknown }).argv)) {
  const port = parentPort!;
  const data = workerData as { argv: string[]; stderrIsTTY: boolean };
  const stderr = (text: string): void => say(text);
  // Loaded in this thread only: the process's main thread just watches, and loading
  // the CLI there first delayed this thread's start by ~35 ms.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('./main') as typeof import('./main');
  void main(data.argv, {
    stdout: new FdWriter(1),
    stderr,
    stderrIsTTY: data.stderrIsTTY,
    exit: (code) => port.postMessage({ type: 'exit', code } satisfies FromCli),
    onTemp: (p) => port.postMessage({ type: 'temp', path: p } satisfies FromCli),
  }).then((code) => port.postMessage({ type: 'exit', code } satisfies FromCli));
}
