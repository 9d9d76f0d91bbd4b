/** Files written whole or not at all. */
import * as fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;

/**
 * Writes `content` to `file` atomically: a temporary file beside it, then a
 * rename, so a reader never sees half a file and a failure leaves no file.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  // pid and a counter: two writers, in two processes or in one, never share a temporary file.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++counter}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
