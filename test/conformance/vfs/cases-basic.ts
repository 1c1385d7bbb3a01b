/** Conformance: features, metadata, directory and file life cycle, error kinds, statfs. */
import assert from 'node:assert/strict';
import type { Fs, FsFeatures } from '../../../src/vfs/types.js';
import { ErrorKind } from '../../../src/util/errors.js';
import { entries, kindOf, names, readAll, writeFile, type FsCase } from './helpers.js';

const FEATURE_KEYS: (keyof FsFeatures)[] = [
  'randomWrite', 'resume', 'atomicUpload', 'symlinks', 'chmod', 'chown', 'chtimes', 'truncate', 'dirRename',
  'emptyDirs', 'statfs', 'readWrite', 'localPath',
];

/** What a backend must refuse with NotSupported when it does not declare a feature. */
const REFUSALS: Partial<Record<keyof FsFeatures, (fs: Fs) => Promise<unknown>>> = {
  symlinks: (fs) => fs.symlink('/f', '/l'),
  chmod: (fs) => fs.setStat('/f', { mode: 0o600 }),
  chown: (fs) => fs.setStat('/f', { uid: 4242, gid: 4242 }),
  chtimes: (fs) => fs.setStat('/f', { mtime: new Date(0), atime: new Date(0) }),
  truncate: (fs) => fs.setStat('/f', { size: 2 }),
  dirRename: async (fs) => {
    await fs.mkdir('/full');
    await writeFile(fs, '/full/x', 'x');
    return fs.rename('/full', '/moved');
  },
  readWrite: (fs) => fs.openWrite('/f', { mode: 'resume', read: true }),
  resume: (fs) => fs.openWrite('/f', { mode: 'resume', offset: 4 }),
};

export const basicCases: FsCase[] = [
  {
    title: 'declares every feature as a boolean, has a name and a description',
    async run(fs) {
      for (const k of FEATURE_KEYS) assert.equal(typeof fs.features[k], 'boolean', k);
      assert.ok(fs.name.length > 0);
      assert.ok(fs.description.length > 0);
      assert.equal(fs.features.localPath, typeof fs.localPath === 'function', 'localPath() exists exactly when declared');
    },
  },
  {
    title: 'ensureRoot is idempotent and the root is an empty directory',
    async run(fs) {
      await fs.ensureRoot();
      await fs.ensureRoot();
      assert.equal((await fs.stat('/')).type, 'dir');
      assert.deepEqual(await names(fs, '/'), []);
    },
  },
  {
    title: 'write, stat, read back',
    async run(fs) {
      await fs.mkdir('/d');
      await writeFile(fs, '/d/a.txt', 'hello');
      const st = await fs.stat('/d/a.txt');
      assert.equal(st.type, 'file');
      assert.equal(st.size, 5);
      assert.equal(st.name, 'a.txt');
      assert.ok(st.mtime instanceof Date && !Number.isNaN(st.mtime.getTime()));
      assert.equal(await readAll(fs, '/d/a.txt'), 'hello');
      assert.equal(await readAll(fs, '/d/a.txt', 2), 'llo');
      assert.equal((await fs.stat('/d')).type, 'dir');
      assert.equal((await fs.lstat('/d/a.txt')).size, 5);
    },
  },
  {
    title: 'errors are SftpGoError kinds',
    async run(fs) {
      assert.equal(await kindOf(fs.stat('/missing')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.lstat('/missing')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.openRead('/missing')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.remove('/missing')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.rmdir('/missing')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.rename('/missing', '/x')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.mkdir('/no/parent')), ErrorKind.NotFound);
      await fs.mkdir('/d');
      await writeFile(fs, '/d/f', 'x');
      assert.equal(await kindOf(fs.mkdir('/d')), ErrorKind.Exists);
      assert.equal(await kindOf(fs.rmdir('/d')), ErrorKind.NotEmpty);
      assert.equal(await kindOf(fs.openWrite('/d/f', { mode: 'create-exclusive' })), ErrorKind.Exists);
      assert.notEqual(await kindOf(fs.remove('/d')), 'ok', 'remove does not delete directories');
      assert.notEqual(await kindOf(fs.rmdir('/d/f')), 'ok', 'rmdir does not delete files');
      assert.equal(await readAll(fs, '/d/f'), 'x');
    },
  },
  {
    title: 'remove, rmdir, rename; a rename over a file replaces it',
    async run(fs) {
      await writeFile(fs, '/a', '1');
      await writeFile(fs, '/b', '22');
      await fs.rename('/a', '/b');
      assert.equal(await readAll(fs, '/b'), '1');
      assert.equal(await kindOf(fs.stat('/a')), ErrorKind.NotFound);
      await fs.remove('/b');
      await fs.mkdir('/e');
      await fs.rmdir('/e');
      assert.deepEqual(await names(fs, '/'), []);
    },
  },
  {
    title: 'empty directories exist as such',
    need: 'emptyDirs',
    async run(fs) {
      await fs.mkdir('/empty');
      const list = await entries(fs, '/');
      assert.deepEqual(list.map((e) => [e.name, e.type]), [['empty', 'dir']]);
      assert.deepEqual(await names(fs, '/empty'), []);
    },
  },
  {
    title: 'rename a non-empty directory',
    need: 'dirRename',
    async run(fs) {
      await fs.mkdir('/d1');
      await fs.mkdir('/d1/sub');
      await writeFile(fs, '/d1/sub/f', 'z');
      await fs.rename('/d1', '/d2');
      assert.equal(await readAll(fs, '/d2/sub/f'), 'z');
      assert.equal(await kindOf(fs.stat('/d1')), ErrorKind.NotFound);
    },
  },
  {
    title: 'the root cannot be removed or renamed',
    async run(fs) {
      await writeFile(fs, '/keep', 'k');
      assert.notEqual(await kindOf(fs.rmdir('/')), 'ok');
      assert.notEqual(await kindOf(fs.remove('/')), 'ok');
      assert.notEqual(await kindOf(fs.rename('/', '/x')), 'ok');
      assert.equal(await readAll(fs, '/keep'), 'k');
    },
  },
  {
    title: 'statfs returns coherent values',
    need: 'statfs',
    async run(fs) {
      const s = await fs.statfs('/');
      assert.ok(s.blockSize > 0 && s.blocks > 0);
      assert.ok(s.blocksAvailable <= s.blocks && s.blocksFree <= s.blocks);
      assert.ok(s.filesFree <= s.files);
      assert.ok(s.nameMax > 0);
    },
  },
  {
    title: 'features not declared are refused with NotSupported',
    skipIf: (fs) => (Object.keys(REFUSALS) as (keyof FsFeatures)[]).every((k) => fs.features[k]) ? 'every refusable feature is declared' : undefined,
    async run(fs) {
      await writeFile(fs, '/f', 'content');
      const missing = (Object.keys(REFUSALS) as (keyof FsFeatures)[]).filter((k) => !fs.features[k]);
      for (const k of missing) assert.equal(await kindOf(REFUSALS[k]!(fs)), ErrorKind.NotSupported, k);
    },
  },
];
