/** Conformance: every call honours its AbortSignal. */
import assert from 'node:assert/strict';
import type { Fs } from '../../../src/vfs/types.js';
import { ErrorKind } from '../../../src/util/errors.js';
import { abortedSignal, kindOf, names, readAll, writeFile, type FsCase } from './helpers.js';

/** Every port call with an aborted signal, and what must still be true afterwards. */
function abortedCalls(fs: Fs, signal: AbortSignal): [string, () => Promise<unknown>][] {
  return [
    ['stat', () => fs.stat('/f', { signal })],
    ['lstat', () => fs.lstat('/f', { signal })],
    ['list', () => names(wrapList(fs, signal), '/')],
    ['openRead', () => fs.openRead('/f', { signal })],
    ['openWrite', () => fs.openWrite('/new', { mode: 'truncate', signal })],
    ['mkdir', () => fs.mkdir('/newdir', { signal })],
    ['remove', () => fs.remove('/f', { signal })],
    ['rmdir', () => fs.rmdir('/d', { signal })],
    ['rename', () => fs.rename('/f', '/g', { signal })],
    ['setStat', () => fs.setStat('/f', { mtime: new Date(0), atime: new Date(0) }, { signal })],
    ['statfs', () => fs.statfs('/', { signal })],
  ];
}

/** An Fs view whose list() always passes `signal`. */
function wrapList(fs: Fs, signal: AbortSignal): Fs {
  return { ...fs, list: (p: string) => fs.list(p, { signal }) } as Fs;
}

export const abortCases: FsCase[] = [
  {
    title: 'a pre-aborted signal stops every call before it acts',
    async run(fs) {
      await writeFile(fs, '/f', 'keep');
      await fs.mkdir('/d');
      for (const [name, call] of abortedCalls(fs, abortedSignal())) {
        assert.equal(await kindOf(call()), ErrorKind.Aborted, name);
      }
      assert.deepEqual(await names(fs, '/'), ['d', 'f'], 'nothing was created, removed or renamed');
      assert.equal(await readAll(fs, '/f'), 'keep');
    },
  },
  {
    title: 'symlink calls honour a pre-aborted signal',
    need: 'symlinks',
    async run(fs) {
      await writeFile(fs, '/f', 'x');
      assert.equal(await kindOf(fs.symlink('/f', '/l', { signal: abortedSignal() })), ErrorKind.Aborted);
      await fs.symlink('/f', '/l');
      assert.equal(await kindOf(fs.readlink('/l', { signal: abortedSignal() })), ErrorKind.Aborted);
    },
  },
  {
    title: 'aborting during a listing stops the iteration',
    async run(fs) {
      await fs.mkdir('/many');
      for (let i = 0; i < 40; i++) await writeFile(fs, `/many/f${i}`, '');
      const ac = new AbortController();
      const it = fs.list('/many', { signal: ac.signal })[Symbol.asyncIterator]();
      assert.equal((await it.next()).done, false);
      ac.abort(new Error('client gone'));
      let kind = 'ok';
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) { /* drain until the abort is seen */ }
      } catch (err) {
        kind = await kindOf(Promise.reject(err));
      }
      assert.equal(kind, ErrorKind.Aborted);
    },
  },
  {
    title: 'handle reads and writes honour their signal',
    async run(fs) {
      await writeFile(fs, '/f', 'data');
      const r = await fs.openRead('/f');
      assert.equal(await kindOf(r.read(Buffer.alloc(4), 0, abortedSignal())), ErrorKind.Aborted);
      await r.close();
      const w = await fs.openWrite('/g', { mode: 'truncate' });
      assert.equal(await kindOf(w.write(Buffer.from('x'), 0, abortedSignal())), ErrorKind.Aborted);
      await w.abort();
    },
  },
];
