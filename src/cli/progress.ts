/** A text progress bar: runs done, rate and ETA, redrawn in place on a terminal stream. */

/** Formats seconds as e.g. "1m05s" or "12.3s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - 60 * m)).padStart(2, '0')}s`;
}

/** One line of progress: a bar, done/total, rate and ETA. */
export function progressLine(done: number, total: number, elapsedSeconds: number, unit = 'runs', width = 24): string {
  const frac = total > 0 ? done / total : 1;
  const filled = Math.round(frac * width);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}` +
    ` ${(frac * 100).toFixed(0)}% | ${rate.toFixed(1)} ${unit}/s | ETA ${done === total ? '0.0s' : formatDuration(eta)}`
  );
}

/** A progress bar writing to `stream` (redraws at most every 100 ms). */
export function progressBar(
  stream: { write(s: string): unknown; isTTY?: boolean },
  unit = 'runs',
  now: () => number = () => performance.now(),
): { update: (done: number, total: number) => void; done: () => void } {
  const start = now();
  let last = -Infinity;
  let line = '';
  const draw = (done: number, total: number, force: boolean): void => {
    const t = now();
    if (!force && t - last < 100) return;
    last = t;
    line = progressLine(done, total, (t - start) / 1000, unit);
    stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
  };
  return {
    update: (done, total) => draw(done, total, done === total),
    done: () => {
      if (stream.isTTY && line) stream.write('\n');
    },
  };
}
