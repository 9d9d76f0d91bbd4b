/** A progress display for notebooks: one tslab output updated in place. */
import { progressLine } from '../cli/progress';

/** The part of tslab's Display this needs. */
interface TextDisplay {
  text(s: string): void;
}

/**
 * A progress bar (runs done, rate, ETA) for `onProgress` in a tslab notebook;
 * it updates one output in place, at most every `everyMs` milliseconds.
 */
export function notebookProgress(
  unit = 'runs',
  options: { display?: TextDisplay; everyMs?: number; now?: () => number } = {},
): { update: (done: number, total: number) => void } {
  // tslab is loaded lazily: the library must also work outside a kernel.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const display = options.display ?? (require('tslab') as { newDisplay(): TextDisplay }).newDisplay();
  const now = options.now ?? (() => performance.now());
  const every = options.everyMs ?? 200;
  const start = now();
  let last = -Infinity;
  return {
    update(done, total) {
      const t = now();
      if (done !== total && t - last < every) return;
      last = t;
      display.text(progressLine(done, total, (t - start) / 1000, unit));
    },
  };
}
