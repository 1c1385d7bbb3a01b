/**
 * Durability for the sql.js database, which lives in memory: an acknowledged write must be on disk.
 * Writes that arrive together share one flush (export → temp file → fsync → rename → fsync dir), so
 * a crash at any moment leaves the old or the new file, never a torn one.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export class FilePersister {
  private flushing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  /** @param snapshot exports the database; it must not run inside an open transaction. */
  constructor(private readonly file: string, private readonly snapshot: () => Promise<Uint8Array>) {}

  /** Resolves once a flush that started after this call has completed. */
  persist(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.flushing;
    const run = async () => {
      await previous?.catch(() => undefined);
      // Everything committed before the snapshot is covered by this flush.
      this.queued = undefined;
      const data = await this.snapshot();
      const p = writeAtomically(this.file, data);
      this.flushing = p;
      try {
        await p;
      } finally {
        if (this.flushing === p) this.flushing = undefined;
      }
    };
    this.queued = new Promise<void>((resolve) => setImmediate(resolve)).then(run);
    return this.queued;
  }

  /** Waits for every pending flush. */
  async drain(): Promise<void> {
    await this.queued;
    await this.flushing;
  }
}

export async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
