/**
 * The sql.js database lives in memory, so its file is ours to keep right (issue 2, LIBS.md):
 * a `kill -9` in the middle of a burst of 1,000 writes loses no acknowledged write and leaves a
 * readable file; a second process (or a second open in the same process) on the same file is
 * refused with a clear message, while read-only tools still read it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import { createSqliteProvider } from '../../../src/dataprovider/sqljs/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const writer = path.join(root, 'test/fixtures/sqljs-writer.ts');

interface Child {
  proc: ChildProcess;
  acks: string[];
  /** Resolves when a stdout line satisfies `pred`. */
  until(pred: (line: string) => boolean): Promise<void>;
  exited: Promise<void>;
}

function startWriter(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', writer, ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const acks: string[] = [];
  const waiters: { pred: (l: string) => boolean; resolve: () => void }[] = [];
  let buf = '';
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('ack ')) acks.push(line.slice(4));
      for (const w of waiters.filter((x) => x.pred(line))) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    }
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const until = (pred: (l: string) => boolean) => new Promise<void>((resolve, reject) => {
    waiters.push({ pred, resolve });
    void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
  });
  return { proc, acks, until, exited };
}

async function usernamesInFile(file: string): Promise<{ names: Set<string>; integrity: string }> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(await readFile(file));
  try {
    const integrity = String(db.exec('PRAGMA integrity_check')[0]!.values[0]![0]);
    const rows = db.exec('SELECT username FROM users')[0]?.values ?? [];
    return { names: new Set(rows.map((r) => String(r[0]))), integrity };
  } finally {
    db.close();
  }
}

for (const killAfter of [150, 600]) {
  test(`kill -9 after ${killAfter} acknowledged writes of a 1,000-write burst: all of them are in a readable file`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-crash-'));
    try {
      const child = startWriter(['burst', dir, '1000', '16']);
      await child.until(() => child.acks.length >= killAfter);
      child.proc.kill('SIGKILL');
      await child.exited;
      const acked = [...child.acks];
      assert.ok(acked.length >= killAfter && acked.length < 1000, `killed in the middle of the burst (${acked.length} acks)`);
      const { names, integrity } = await usernamesInFile(path.join(dir, 'sftpgo.db'));
      assert.equal(integrity, 'ok');
      const lost = acked.filter((u) => !names.has(u));
      assert.deepEqual(lost, [], `acknowledged writes missing after the crash (${names.size} users on disk)`);
      // The dead writer's lock is stale: a new process takes the file over and keeps writing.
      const p = await createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir });
      await p.initialize();
      await p.users.add({ username: 'after-crash', status: 1, home_dir: '/srv/x', password: 'x', permissions: { '/': ['*'] } });
      assert.ok((await p.users.count()) >= acked.length + 1);
      await p.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('a second process, or a second open in this process, on the same file is refused; read-only opens work', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-lock-'));
  const child = startWriter(['hold', dir]);
  try {
    await child.until((l) => l === 'ready');
    await assert.rejects(createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir }),
      new RegExp(`database file .*sftpgo\\.db is in use by another sftpgo process \\(pid ${child.proc.pid}\\)`));
    const reader = await createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir, readOnly: true });
    assert.equal(await reader.schemaVersion(), 10);
    await reader.close();
    child.proc.kill('SIGKILL');
    await child.exited;
    const mine = await createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir });
    await assert.rejects(createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir }), /is in use by this process/);
    await mine.close();
    const again = await createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir });
    await again.close();
  } finally {
    child.proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
