/** Conformance: attributes, symlinks, host paths and hard links. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { ErrorKind } from '../../../src/util/errors.js';
import { kindOf, readAll, writeFile, type FsCase } from './helpers.js';

export const attrCases: FsCase[] = [
  {
    title: 'truncate by path shrinks and extends',
    need: 'truncate',
    async run(fs) {
      await writeFile(fs, '/t', '123456');
      await fs.setStat('/t', { size: 2 });
      assert.equal(await readAll(fs, '/t'), '12');
      await fs.setStat('/t', { size: 4 });
      assert.equal((await fs.stat('/t')).size, 4);
    },
  },
  {
    title: 'chmod sets permission bits',
    need: 'chmod',
    async run(fs) {
      await writeFile(fs, '/m', 'x');
      await fs.setStat('/m', { mode: 0o600 });
      assert.equal((await fs.stat('/m')).mode, 0o600);
      await fs.mkdir('/d');
      await fs.setStat('/d', { mode: 0o750 });
      assert.equal((await fs.stat('/d')).mode, 0o750);
    },
  },
  {
    title: 'chtimes sets access and modification times',
    need: 'chtimes',
    async run(fs) {
      await writeFile(fs, '/m', 'x');
      const when = new Date('2020-01-02T03:04:05Z');
      await fs.setStat('/m', { atime: when, mtime: when });
      assert.equal((await fs.stat('/m')).mtime.getTime(), when.getTime());
      const later = new Date('2021-05-06T07:08:09Z');
      await fs.setStat('/m', { mtime: later });
      assert.equal((await fs.stat('/m')).mtime.getTime(), later.getTime(), 'mtime alone');
    },
  },
  {
    title: 'chown to the current owner is accepted',
    need: 'chown',
    async run(fs) {
      await writeFile(fs, '/o', 'x');
      const st = await fs.stat('/o');
      await fs.setStat('/o', { uid: st.uid ?? 0, gid: st.gid ?? 0 });
      assert.equal((await fs.stat('/o')).uid, st.uid);
    },
  },
  {
    title: 'symlinks inside the root: lstat, stat, readlink, read through, remove the link only',
    need: 'symlinks',
    async run(fs) {
      await fs.mkdir('/dir');
      await writeFile(fs, '/dir/target', 'data');
      await fs.symlink('/dir/target', '/link');
      assert.equal((await fs.lstat('/link')).type, 'symlink');
      assert.equal((await fs.stat('/link')).type, 'file');
      assert.equal(await fs.readlink('/link'), '/dir/target');
      assert.equal(await readAll(fs, '/link'), 'data');
      await fs.symlink('/dir', '/dirlink');
      assert.equal(await readAll(fs, '/dirlink/target'), 'data');
      await fs.remove('/link');
      assert.equal(await kindOf(fs.lstat('/link')), ErrorKind.NotFound);
      assert.equal(await readAll(fs, '/dir/target'), 'data');
      assert.notEqual(await kindOf(fs.readlink('/dir/target')), 'ok', 'readlink of a regular file fails');
    },
  },
  {
    title: 'localPath maps backend paths to absolute host paths; hard links share content',
    need: 'localPath',
    async run(fs) {
      await writeFile(fs, '/f', 'shared');
      const host = await fs.localPath!('/f');
      assert.ok(path.isAbsolute(host));
      assert.equal(path.basename(host), 'f');
      assert.ok(fs.link, 'link() exists when localPath is declared');
      await fs.link!('/f', '/hard');
      assert.equal(await readAll(fs, '/hard'), 'shared');
      await fs.remove('/f');
      assert.equal(await readAll(fs, '/hard'), 'shared');
    },
  },
];
