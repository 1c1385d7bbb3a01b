/** Conformance: streamed listings. */
import assert from 'node:assert/strict';
import { ErrorKind } from '../../../src/util/errors.js';
import { entries, kindOf, names, writeFile, type FsCase } from './helpers.js';

const MANY = 300;

export const listCases: FsCase[] = [
  {
    title: 'listing is streamed: an async iterator that can be left early and listed again',
    async run(fs) {
      await fs.mkdir('/many');
      for (let i = 0; i < MANY; i++) await writeFile(fs, `/many/f${String(i).padStart(3, '0')}`, 'x'.repeat(i % 7));
      const it = fs.list('/many')[Symbol.asyncIterator]();
      const first = await it.next();
      assert.equal(first.done, false);
      assert.match(first.value.name, /^f\d{3}$/);
      await it.return?.();
      const all = await entries(fs, '/many');
      assert.equal(all.length, MANY);
      assert.ok(all.every((e) => e.type === 'file' && e.size === Number(e.name.slice(1)) % 7));
      assert.ok(!all.some((e) => e.name === '.' || e.name === '..'));
    },
  },
  {
    title: 'listing reports files and directories with their metadata',
    async run(fs) {
      await fs.mkdir('/d');
      await fs.mkdir('/d/sub');
      await writeFile(fs, '/d/sub/inner', 'i');
      await writeFile(fs, '/d/f', 'abc');
      const list = await entries(fs, '/d');
      assert.deepEqual(list.map((e) => [e.name, e.type]), [['f', 'file'], ['sub', 'dir']]);
      assert.equal(list[0]!.size, 3);
      assert.ok(list.every((e) => e.mtime instanceof Date));
    },
  },
  {
    title: 'listing shows symlinks as links (lstat semantics)',
    need: 'symlinks',
    async run(fs) {
      await writeFile(fs, '/t', 'target');
      await fs.symlink('/t', '/l');
      const list = await entries(fs, '/');
      assert.deepEqual(list.map((e) => [e.name, e.type]), [['l', 'symlink'], ['t', 'file']]);
    },
  },
  {
    title: 'listing a missing directory fails with NotFound',
    // Object stores cannot tell a missing prefix from an empty one.
    need: 'emptyDirs',
    async run(fs) {
      assert.equal(await kindOf(names(fs, '/missing')), ErrorKind.NotFound);
    },
  },
];
