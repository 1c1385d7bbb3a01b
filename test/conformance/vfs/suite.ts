/**
 * Conformance suite every Fs backend runs: `runFsConformance(name, makeFs)`. Tests for features a
 * backend does not declare are skipped with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fs } from '../../../src/vfs/types.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';

export interface FsUnderTest {
  fs: Fs;
  cleanup(): Promise<void>;
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSftpGoError(err) ? err.kind : `raw:${String(err)}`;
  }
}

async function writeFile(fs: Fs, p: string, data: string | Buffer): Promise<void> {
  const h = await fs.openWrite(p, { mode: 'truncate' });
  await h.write(Buffer.from(data), 0);
  await h.close();
}

async function readAll(fs: Fs, p: string, offset = 0): Promise<string> {
  const h = await fs.openRead(p, { offset });
  const info = await fs.stat(p);
  const buf = Buffer.alloc(Math.max(0, info.size - offset));
  const n = await h.read(buf, offset);
  await h.close();
  return buf.subarray(0, n).toString();
}

async function names(fs: Fs, p: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of fs.list(p)) out.push(e.name);
  return out.sort();
}

/** Registers the suite as node:test tests. */
export function runFsConformance(name: string, makeFs: () => Promise<FsUnderTest>): void {
  const withFs = (title: string, fn: (fs: Fs) => Promise<void>, need?: keyof Fs['features']) => {
    test(`${name}: ${title}`, async (t) => {
      const u = await makeFs();
      try {
        if (need && !u.fs.features[need]) {
          t.skip(`${name} does not declare ${need}`);
          return;
        }
        await fn(u.fs);
      } finally {
        await u.fs.close();
        await u.cleanup();
      }
    });
  };

  withFs('write, stat, read back, list streamed', async (fs) => {
    await fs.mkdir('/d');
    await writeFile(fs, '/d/a.txt', 'hello');
    const st = await fs.stat('/d/a.txt');
    assert.equal(st.type, 'file');
    assert.equal(st.size, 5);
    assert.equal(st.name, 'a.txt');
    assert.equal(await readAll(fs, '/d/a.txt'), 'hello');
    assert.equal(await readAll(fs, '/d/a.txt', 2), 'llo');
    assert.deepEqual(await names(fs, '/d'), ['a.txt']);
    assert.equal((await fs.stat('/d')).type, 'dir');
  });

  withFs('errors are SftpGoError kinds', async (fs) => {
    assert.equal(await kindOf(fs.stat('/missing')), ErrorKind.NotFound);
    await fs.mkdir('/d');
    await writeFile(fs, '/d/f', 'x');
    assert.equal(await kindOf(fs.mkdir('/d')), ErrorKind.Exists);
    assert.equal(await kindOf(fs.rmdir('/d')), ErrorKind.NotEmpty);
    assert.equal(await kindOf(fs.openWrite('/d/f', { mode: 'create-exclusive' })), ErrorKind.Exists);
    assert.equal(await kindOf(fs.remove('/missing')), ErrorKind.NotFound);
  });

  withFs('remove, rmdir, rename file', async (fs) => {
    await writeFile(fs, '/a', '1');
    await fs.rename('/a', '/b');
    assert.equal(await readAll(fs, '/b'), '1');
    await fs.remove('/b');
    await fs.mkdir('/e');
    await fs.rmdir('/e');
    assert.deepEqual(await names(fs, '/'), []);
  });

  withFs('an aborted signal stops calls', async (fs) => {
    const ac = new AbortController();
    ac.abort();
    assert.equal(await kindOf(fs.stat('/', { signal: ac.signal })), ErrorKind.Aborted);
    assert.equal(await kindOf(fs.mkdir('/x', { signal: ac.signal })), ErrorKind.Aborted);
  });

  withFs('hostile paths stay inside the root', async (fs) => {
    await writeFile(fs, '/in', 'inside');
    assert.equal(await readAll(fs, '/../../../in'), 'inside');
    assert.equal(await readAll(fs, '../in'), 'inside');
    assert.equal(await readAll(fs, '/a/../../in'), 'inside');
    assert.equal(await kindOf(fs.stat('/in\0/etc/passwd')), ErrorKind.InvalidInput);
    assert.deepEqual(await names(fs, '/..'), ['in']);
  });

  withFs('positional writes and resume', async (fs) => {
    const h = await fs.openWrite('/r', { mode: 'truncate' });
    await h.write(Buffer.from('world'), 6);
    await h.write(Buffer.from('hello '), 0);
    await h.close();
    assert.equal(await readAll(fs, '/r'), 'hello world');
    const r = await fs.openWrite('/r', { mode: 'resume', offset: 11 });
    await r.write(Buffer.from('!'), 11);
    await r.close();
    assert.equal(await readAll(fs, '/r'), 'hello world!');
    const a = await fs.openWrite('/r', { mode: 'append' });
    await a.write(Buffer.from('?'), 0);
    await a.close();
    assert.equal(await readAll(fs, '/r'), 'hello world!?');
  }, 'randomWrite');

  withFs('truncate via setStat', async (fs) => {
    await writeFile(fs, '/t', '123456');
    await fs.setStat('/t', { size: 2 });
    assert.equal(await readAll(fs, '/t'), '12');
  }, 'truncate');

  withFs('chmod and chtimes', async (fs) => {
    await writeFile(fs, '/m', 'x');
    await fs.setStat('/m', { mode: 0o600 });
    assert.equal((await fs.stat('/m')).mode, 0o600);
    const when = new Date('2020-01-02T03:04:05Z');
    await fs.setStat('/m', { atime: when, mtime: when });
    assert.equal((await fs.stat('/m')).mtime.getTime(), when.getTime());
  }, 'chmod');

  withFs('symlinks inside the root', async (fs) => {
    await writeFile(fs, '/target', 'data');
    await fs.symlink('/target', '/link');
    assert.equal((await fs.lstat('/link')).type, 'symlink');
    assert.equal((await fs.stat('/link')).type, 'file');
    assert.equal(await fs.readlink('/link'), '/target');
    assert.equal(await readAll(fs, '/link'), 'data');
  }, 'symlinks');

  withFs('rename a non-empty directory', async (fs) => {
    await fs.mkdir('/d1');
    await writeFile(fs, '/d1/f', 'z');
    await fs.rename('/d1', '/d2');
    assert.equal(await readAll(fs, '/d2/f'), 'z');
  }, 'dirRename');

  withFs('statfs returns real values', async (fs) => {
    const s = await fs.statfs('/');
    assert.ok(s.blockSize > 0 && s.blocks > 0);
  }, 'statfs');

  withFs('the root cannot be removed or renamed', async (fs) => {
    assert.notEqual(await kindOf(fs.rmdir('/')), 'ok');
    assert.notEqual(await kindOf(fs.rename('/', '/x')), 'ok');
  });
}
