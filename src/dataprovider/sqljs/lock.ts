/**
 * One process per database file: sql.js keeps the database in memory, so two writers would
 * silently overwrite each other's rows (LIBS.md). `<file>.lock` is created exclusively and holds
 * the owner's pid; a lock whose pid is gone is stale and taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { failure } from '../../util/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws a clear error naming the holder; returns the release function. */
export async function acquireFileLock(dbFile: string): Promise<() => Promise<void>> {
  const lockFile = `${dbFile}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(lockFile, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(lockFile).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (pid && alive(pid)) {
        throw failure(`the database file ${dbFile} is in use by another sftpgo process (pid ${pid}); stop it first or use that server's API`);
      }
      await unlink(lockFile).catch(() => undefined);
    }
  }
  throw failure(`cannot lock the database file ${dbFile}`);
}
