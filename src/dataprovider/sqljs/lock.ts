/**
 * One process per database file: sql.js keeps the database in memory, so two writers would
 * silently overwrite each other's rows (LIBS.md). `<file>.lock` is created exclusively and holds
 * the owner's pid and, on Linux, the owner's start time: a lock whose process is gone, or whose pid
 * now belongs to another process (containers restart with the same pid), is stale and taken over.
 * A second open inside the same process is refused too (same pid, same start time).
 * Known limit: two processes breaking the same stale lock at the same instant may both succeed.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { failure } from '../../util/errors.js';

/** Start time of `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat); "" when unknown. */
function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock content names a running process that is still the one that wrote it. */
function heldBy(content: string): number | undefined {
  const [pidText, started = ''] = content.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  const now = startTime(pid);
  return started && now && started !== now ? undefined : pid;
}

/** Takes the lock or throws a clear error naming the holder; returns the release function. */
export async function acquireFileLock(dbFile: string): Promise<() => Promise<void>> {
  const lockFile = `${dbFile}.lock`;
  const content = `${process.pid} ${startTime(process.pid)}`.trim();
  // The lock appears complete or not at all (link is atomic), so a reader never sees it half written.
  const tmp = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, content, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await tryLink(tmp, lockFile, content)) return () => unlink(lockFile).catch(() => undefined);
      const text = await readFile(lockFile, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile
      const holder = heldBy(text);
      if (holder !== undefined) {
        const who = holder === process.pid ? 'this process' : `another sftpgo process (pid ${holder})`;
        throw failure(`the database file ${dbFile} is in use by ${who}; stop it first or use that server's REST API`);
      }
      await unlink(lockFile).catch(() => undefined);
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  throw failure(`cannot lock the database file ${dbFile}`);
}

/** Creates `to` exclusively; file systems without hard links get an exclusive create instead. */
async function tryLink(from: string, to: string, content: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
  }
  try {
    await writeFile(to, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
