/**
 * Size-rotated log file (SFTPGo's lumberjack settings): rotate at `maxSizeMB`, keep `maxBackups`
 * rotated files, remove rotated files older than `maxAgeDays`, gzip them when `compress`.
 * rotating-file-stream does rotation, count and compression; age pruning is done here after each
 * rotation because the library has no age limit.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

/** Rotation settings of the log file. */
export interface LogFileOptions {
  /** Absolute log file path. */
  filePath: string;
  maxSizeMB: number;
  maxBackups: number;
  maxAgeDays: number;
  compress: boolean;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `sftpgo-2021-09-11T10-20-30.000.log`: the rotated name (lumberjack style, local time). */
export function rotatedName(base: string, time: Date, index = 1): string {
  const ext = path.extname(base);
  const stem = path.basename(base, ext);
  const t = `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}-` +
    `${pad(time.getMinutes())}-${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
  return `${stem}-${t}${index > 1 ? `-${index}` : ''}${ext}`;
}

/** Opens the rotating log stream. */
export function openLogFile(opts: LogFileOptions): RotatingFileStream {
  const base = path.basename(opts.filePath);
  const dir = path.dirname(opts.filePath);
  const generator = (time: number | Date | null, index?: number) =>
    time ? rotatedName(base, typeof time === 'number' ? new Date(time) : time, index) + (opts.compress ? '.gz' : '') : base;
  const stream = createStream(generator, {
    path: dir,
    size: `${Math.max(1, opts.maxSizeMB)}M`,
    ...(opts.maxBackups > 0 ? { maxFiles: opts.maxBackups } : {}),
    ...(opts.compress ? { compress: 'gzip' as const } : {}),
    history: `.${base}.history`,
  });
  if (opts.maxAgeDays > 0) {
    stream.on('rotated', () => void pruneOld(dir, base, opts.maxAgeDays * 86_400_000));
  }
  // A failing log file must not crash the server; the error is reported on stderr once per event.
  stream.on('error', (err) => process.stderr.write(`sftpgo: log file error: ${err.message}\n`));
  return stream;
}

/** The library's internals used by {@link rotateNow} (rotating-file-stream 3.x, pinned by the lockfile). */
interface RotationInternals {
  rotate(): Promise<void>;
  timeoutPromise?: Promise<void>;
}

/**
 * Rotates now (SIGUSR1), whatever the size: the file is renamed to its lumberjack name and a new
 * one is opened. rotating-file-stream has no public call for this, so it is done the way the
 * library's own interval rotation does it: the rotation promise is published as `timeoutPromise`,
 * which every write awaits first. It starts only while no write is in flight, so it can never
 * overlap a size rotation that a write triggered. Resolves with the rotated file's name.
 */
export async function rotateNow(stream: RotatingFileStream): Promise<string | undefined> {
  const s = stream as unknown as RotationInternals;
  if (typeof s.rotate !== 'function') throw new Error('log rotation: unsupported rotating-file-stream version');
  for (let i = 0; (stream.writableLength > 0 || s.timeoutPromise) && i < 10_000; i++) {
    await (s.timeoutPromise ?? new Promise((r) => setImmediate(r)));
  }
  let rotated: string | undefined;
  const onRotated = (name: string) => { rotated = name; };
  stream.once('rotated', onRotated);
  try {
    s.timeoutPromise = s.rotate();
    await s.timeoutPromise;
  } finally {
    delete s.timeoutPromise;
    stream.off('rotated', onRotated);
  }
  return rotated;
}

/** Removes rotated copies of `base` older than `maxAgeMs`. */
export async function pruneOld(dir: string, base: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const ext = path.extname(base);
  const stem = path.basename(base, ext);
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name === base || !name.startsWith(`${stem}-`)) continue;
    const p = path.join(dir, name);
    const st = await stat(p).catch(() => undefined);
    if (st && now - st.mtimeMs > maxAgeMs) {
      await unlink(p).catch(() => undefined);
      removed.push(name);
    }
  }
  return removed;
}
