/**
 * Conformance: confinement. Whatever the path, a backend never reaches outside its root. Escapes
 * that need host access (symlinks planted outside the port) are tested per backend.
 */
import assert from 'node:assert/strict';
import { ErrorKind } from '../../../src/util/errors.js';
import { kindOf, names, readAll, writeFile, type FsCase } from './helpers.js';

export const confineCases: FsCase[] = [
  {
    title: 'nativePath (the log\'s file_path) is lexical, ends with the backend path and stays confined',
    skipIf: (fs) => (fs.nativePath ? undefined : 'no nativePath: logs show the backend path'),
    async run(fs) {
      // Synchronous and for paths that do not exist: no I/O is involved.
      const p = fs.nativePath!('/no/such/file.txt');
      assert.equal(typeof p, 'string');
      assert.ok(p.endsWith('no/such/file.txt'), p);
      assert.notEqual(fs.nativePath!('/a'), fs.nativePath!('/b'));
      assert.equal(fs.nativePath!('/x/../../../y'), fs.nativePath!('/y'), 'dot-dot cannot climb out of the root');
      const root = fs.nativePath!('/');
      assert.ok(p.startsWith(root), `${p} is under ${root}`);
    },
  },
  {
    title: 'dot-dot, absolute and doubled slashes resolve inside the root',
    async run(fs) {
      await writeFile(fs, '/in', 'inside');
      for (const p of ['/../../../in', '../in', '/a/../../in', '//in', '/./in', 'in', '/../../../../../../../../in']) {
        assert.equal(await readAll(fs, p), 'inside', p);
      }
      assert.deepEqual(await names(fs, '/..'), ['in']);
      await writeFile(fs, '/../../escape', 'x');
      assert.deepEqual(await names(fs, '/'), ['escape', 'in'], 'a write through .. lands in the root');
    },
  },
  {
    title: 'host-looking absolute paths are root-relative',
    async run(fs) {
      assert.equal(await kindOf(fs.stat('/etc/passwd')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.openRead('/etc/hostname')), ErrorKind.NotFound);
      assert.equal(await kindOf(fs.stat('/proc/self/environ')), ErrorKind.NotFound);
    },
  },
  {
    title: 'NUL bytes are refused',
    async run(fs) {
      assert.equal(await kindOf(fs.stat('/in\0/etc/passwd')), ErrorKind.InvalidInput);
      assert.equal(await kindOf(fs.openWrite('/x\0y', { mode: 'truncate' })), ErrorKind.InvalidInput);
      assert.equal(await kindOf(fs.mkdir('/\0')), ErrorKind.InvalidInput);
    },
  },
  {
    title: 'encoded and look-alike names are plain names, never decoded',
    async run(fs) {
      const tricky = ['%2e%2e', '..%2f..%2fetc', '..\\..\\x', '\uff0e\uff0e', '\u2024\u2024', 'caf\u00e9', 'cafe\u0301'];
      const stored: string[] = [];
      for (const n of tricky) {
        const got = await kindOf(writeFile(fs, `/${n}`, n));
        // A service that would silently turn "\\" into "/" (Azure Blob) must refuse the name instead.
        if (got !== 'ok' && n.includes('\\')) assert.equal(got, ErrorKind.InvalidInput, JSON.stringify(n));
        else assert.equal(got, 'ok', JSON.stringify(n));
        if (got === 'ok') stored.push(n);
      }
      assert.ok(stored.length >= tricky.length - 1);
      assert.deepEqual((await names(fs, '/')).sort(), [...stored].sort());
      for (const n of stored) assert.equal(await readAll(fs, `/${n}`), n, JSON.stringify(n));
    },
  },
  {
    title: 'symlinks made through the port cannot point outside the root',
    need: 'symlinks',
    async run(fs) {
      await writeFile(fs, '/in', 'inside');
      const up = await kindOf(fs.symlink('/../../../..', '/up'));
      if (up === 'ok') {
        assert.equal(await fs.readlink('/up'), '/');
        assert.deepEqual(await names(fs, '/up'), ['in', 'up'], 'the link lands on the root, not above it');
      } else {
        assert.equal(up, ErrorKind.PermissionDenied);
      }
      const etc = await kindOf(fs.symlink('/../../../etc/passwd', '/pw'));
      if (etc === 'ok') assert.equal(await kindOf(fs.stat('/pw')), ErrorKind.NotFound, 'dangling inside the root');
      else assert.equal(etc, ErrorKind.PermissionDenied);
    },
  },
];
