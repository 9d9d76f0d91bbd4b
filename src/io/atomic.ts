/**
 * Files written whole or not at all, streamed. Content goes to a temporary file
 * beside the target, named `.NAME.cv-tmp-PID` so that one left by a killed
 * process is recognisable; it is renamed over the target only when complete.
 * The temporary file is created first, so a bad target fails before any work.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The marker of our temporary files: `.NAME.cv-tmp-PID` (or `-PID-N` for a second one in one process). */
export const TEMP_MARK = '.cv-tmp-';
/** Longest file name, in bytes, that Linux and macOS file systems allow. */
export const NAME_MAX = 255;

/** A write target that cannot be used, found before any work: one line naming why. */
export class OutputPathError extends Error {
  override name = 'OutputPathError';
}

/** Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character. */
function cutBytes(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/** The stem every temporary file of `target` starts with (cut so that the full name stays within NAME_MAX). */
function tempStem(target: string): string {
  // Room for the marker, a pid (at most 10 digits) and a "-N" serial (at most 7).
  const room = NAME_MAX - 1 - TEMP_MARK.length - 10 - 7;
  return `.${cutBytes(path.basename(target), room)}${TEMP_MARK}`;
}

/** The temporary file name of `target` for process `pid` (serial 1 has no suffix). */
export function tempPathFor(target: string, pid: number = process.pid, serial = 1): string {
  const abs = path.resolve(target);
  return path.join(path.dirname(abs), `${tempStem(abs)}${pid}${serial > 1 ? `-${serial}` : ''}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files of `target` left by processes that no longer exist; returns their paths. */
export function removeStaleTemps(target: string): string[] {
  const abs = path.resolve(target);
  const dir = path.dirname(abs);
  const stem = tempStem(abs);
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(stem)) continue;
    const m = /^(\d+)(?:-\d+)?$/.exec(name.slice(stem.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    } catch {
      // Someone else's file we may not remove: leave it.
    }
  }
  return removed;
}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'name too long',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EPIPE: 'broken pipe',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  ELOOP: 'too many symbolic links',
};

/** One line for a file-system error: what it means and its code, never a stack. */
export function describeIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code) return `${WHY[code] ?? 'failed'} (${code})`;
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/**
 * Writes to a file descriptor synchronously, in chunks: no memory grows when
 * the reader is slow, and an error (EPIPE, ENOSPC) is thrown at the write that
 * met it.
 */
export class FdWriter {
  private parts: Array<string | Uint8Array> = [];
  private size = 0;

  constructor(
    readonly fd: number,
    private readonly chunk = 1 << 18,
  ) {}

  /** Buffers `text`; writes out when a chunk is full. */
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunk) this.flush();
  }

  /** Writes out everything buffered. */
  flush(): void {
    if (this.size === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.size = 0;
    const text = parts.every((p) => typeof p === 'string');
    this.writeAll(text ? Buffer.from(parts.join('')) : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
  }

  /** Buffers `bytes` after whatever is buffered (rows encoded by worker threads arrive as bytes). */
  writeBytes(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= this.chunk) this.flush();
  }

  private writeAll(buf: Uint8Array): void {
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd, buf, off, buf.length - off);
      } catch (e) {
        // A non-blocking pipe that is full: wait a moment and retry.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }
}

/**
 * A file being written atomically: `open` checks the target and creates the
 * temporary file (so every path problem shows before any work), `write`
 * streams, `commit` renames it over the target, `abort` removes it.
 */
export class AtomicFile {
  private writer: FdWriter | null;
  private done = false;

  private constructor(
    readonly target: string,
    readonly tempPath: string,
    fd: number,
  ) {
    this.writer = new FdWriter(fd);
  }

  /** Checks `target` and creates its temporary file; throws OutputPathError with one line when it cannot be written. */
  static open(target: string, options: { createFolder?: boolean } = {}): AtomicFile {
    if (target.length === 0) throw new OutputPathError('the file name is empty');
    if (target.includes('\0')) throw new OutputPathError('the file name contains a NUL character');
    const abs = path.resolve(target);
    const dir = path.dirname(abs);
    const base = path.basename(abs);
    if (target.endsWith('/') || target.endsWith(path.sep)) throw new OutputPathError(`'${target}' names a folder, not a file`);
    const bytes = Buffer.byteLength(base);
    if (bytes > NAME_MAX) throw new OutputPathError(`the file name is ${bytes} bytes long, above the ${NAME_MAX} a file system allows`);
    if (options.createFolder) {
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw new OutputPathError(`cannot create folder '${dir}': ${describeIoError(e)}`);
      }
    }
    let dirStat: fs.Stats;
    try {
      dirStat = fs.statSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new OutputPathError(code === 'ENOENT' ? `folder '${dir}' does not exist` : `cannot use folder '${dir}': ${describeIoError(e)}`);
    }
    if (!dirStat.isDirectory()) throw new OutputPathError(`'${dir}' is not a folder`);
    try {
      const st = fs.statSync(abs);
      if (st.isDirectory()) throw new OutputPathError(`'${target}' is a folder`);
      if (!st.isFile()) throw new OutputPathError(`'${target}' exists and is not a regular file`);
    } catch (e) {
      if (e instanceof OutputPathError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputPathError(`cannot use '${target}': ${describeIoError(e)}`);
    }
    removeStaleTemps(abs);
    for (let serial = 1; ; serial++) {
      const tmp = tempPathFor(abs, process.pid, serial);
      try {
        return new AtomicFile(abs, tmp, fs.openSync(tmp, 'wx', 0o666));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new OutputPathError(`cannot write in folder '${dir}': ${describeIoError(e)}`);
      }
    }
  }

  /** Appends `text` (buffered) or bytes. */
  write(data: string | Uint8Array): void {
    if (!this.writer) throw new Error('atomic: the file is already closed');
    if (typeof data === 'string') this.writer.write(data);
    else this.writer.writeBytes(data);
  }

  /** Flushes, syncs and renames the temporary file over the target. */
  commit(): void {
    const w = this.writer;
    if (!w) throw new Error('atomic: the file is already closed');
    try {
      w.flush();
      fs.fsyncSync(w.fd);
      fs.closeSync(w.fd);
      this.writer = null;
      fs.renameSync(this.tempPath, this.target);
      this.done = true;
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Removes the temporary file, leaving the target as it was. Safe to call twice. */
  abort(): void {
    if (this.writer) {
      try {
        fs.closeSync(this.writer.fd);
      } catch {
        // Already closed or failed: the file is removed below either way.
      }
      this.writer = null;
    }
    if (!this.done) fs.rmSync(this.tempPath, { force: true });
  }
}

/**
 * Writes `content` to `file` atomically: a temporary file beside it, then a
 * rename, so a reader never sees half a file and a failure leaves no file.
 * Creates the folder when missing.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const f = AtomicFile.open(file, { createFolder: true });
  try {
    f.write(content);
  } catch (e) {
    f.abort();
    throw e;
  }
  f.commit();
}
