/** Running the CLI in tests: in this process through `main(argv, io)`, or as the real bin in a child process. */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

/** The bin users run (over the compiled library: npm test builds first). */
export const BIN = path.join(__dirname, '..', '..', 'bin', 'conviction-voting.js');

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `main(argv)` in this process with stdout and stderr captured (one thread: cores = 1). */
export async function runMain(argv: string[], cores = 1): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: { write: (t) => void (out += t), flush: () => {} },
    stderr: (t) => void (err += t),
    stderrIsTTY: false,
    cores,
  });
  return { code, out, err };
}

/** Runs the real bin in a child process and waits for it. */
export function runBin(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...options });
  return { code: r.status, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

/** Starts the real bin without waiting. */
export function startBin(args: string[], cwd: string) {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The promises made for bad input: exit 2, exactly one line on stderr, no stack trace, nothing on stdout. */
export function badInputProblems(r: CliResult): string[] {
  const problems: string[] = [];
  if (r.code !== 2) problems.push(`exit ${r.code}, not 2`);
  const lines = r.err.split('\n');
  if (!(lines.length === 2 && lines[1] === '' && lines[0].startsWith('conviction-voting: '))) problems.push(`stderr is not one line: ${JSON.stringify(r.err.slice(0, 300))}`);
  if (/\n\s+at /.test(r.err) || r.err.includes('    at ')) problems.push('a stack trace');
  if (r.out !== '') problems.push(`stdout not empty: ${JSON.stringify(r.out.slice(0, 100))}`);
  return problems;
}
