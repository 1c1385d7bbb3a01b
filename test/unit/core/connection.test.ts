import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { download, kindOf, makeEnv, names, upload } from '../../integration/core/fixture.js';

test('connection: basic operations on virtual paths', async () => {
  const env = await makeEnv();
  try {
    const c = await env.connect();
    await c.mkdir('/docs');
    await upload(c, '/docs/a.txt', 'hello');
    assert.equal(await download(c, 'docs/a.txt'), 'hello');
    assert.deepEqual(await names(c, '/'), ['docs/']);
    assert.equal((await c.stat('/docs/a.txt')).size, 5);
    await c.rename('/docs/a.txt', '/docs/b.txt');
    await c.setStat('/docs/b.txt', { mode: 0o600 });
    assert.equal((await c.stat('/docs/b.txt')).mode, 0o600);
    await c.symlink('b.txt', '/docs/l');
    assert.equal(await c.readlink('/docs/l'), '/docs/b.txt');
    assert.equal((await c.lstat('/docs/l')).type, 'symlink');
    assert.equal(await c.hashFile('/docs/b.txt', 'sha256'), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    assert.equal(await c.hashFile('/docs/b.txt', 'crc32'), '3610a686');
    assert.equal(await kindOf(c.remove('/docs')), 'Failure');
    assert.equal(await kindOf(c.rmdir('/docs')), 'NotEmpty');
    await c.remove('/docs/l');
    await c.remove('/docs/b.txt');
    await c.rmdir('/docs');
    assert.deepEqual(await names(c, '/'), []);
    assert.equal(await kindOf(c.rmdir('/')), 'PermissionDenied');
    assert.equal(await kindOf(c.rename('/', '/x')), 'PermissionDenied');
  } finally {
    await env.cleanup();
  }
});

test('connection: hostile paths cannot leave the home', async () => {
  const env = await makeEnv();
  try {
    await mkdir(env.home, { recursive: true });
    await writeFile(path.join(env.base, 'secret'), 'top secret');
    await symlink(path.join(env.base, 'secret'), path.join(env.home, 'esc'));
    await symlink(env.base, path.join(env.home, 'escdir'));
    const c = await env.connect();
    await upload(c, '/../../../../in.txt', 'x');
    assert.equal(await readFile(path.join(env.home, 'in.txt'), 'utf8'), 'x');
    assert.equal(await kindOf(c.stat('/../secret')), 'NotFound');
    assert.equal(await kindOf(c.stat('%2e%2e/secret')), 'NotFound');
    assert.equal(await kindOf(download(c, '/esc')), 'PermissionDenied');
    assert.equal(await kindOf(upload(c, '/escdir/evil', 'x')), 'PermissionDenied');
    assert.equal(await kindOf(c.mkdir('/escdir/newdir')), 'PermissionDenied');
    assert.equal(await kindOf(c.stat('/a\0b')), 'InvalidInput');
    assert.equal(await kindOf(c.symlink('/', '/toroot')), 'PermissionDenied');
    assert.equal(await readFile(path.join(env.base, 'secret'), 'utf8'), 'top secret');
  } finally {
    await env.cleanup();
  }
});

test('connection: permission matrix evaluated on the parent directory', async () => {
  const env = await makeEnv({
    user: {
      permissions: {
        '/': ['list', 'download'],
        '/up': ['list', 'upload'],
        '/ow': ['list', 'overwrite', 'download'],
        '/del': ['list', 'delete'],
        '/dirs': ['create_dirs'],
        '/none': [],
      },
    },
  });
  try {
    for (const d of ['up', 'ow', 'del', 'dirs', 'none']) await mkdir(path.join(env.home, d), { recursive: true });
    await writeFile(path.join(env.home, 'ow', 'f'), 'old');
    await writeFile(path.join(env.home, 'del', 'f'), 'x');
    await writeFile(path.join(env.home, 'r'), 'root file');
    const c = await env.connect();
    assert.equal(await kindOf(upload(c, '/new', 'x')), 'PermissionDenied');
    assert.equal(await kindOf(upload(c, '/up/new', 'x')), 'ok');
    assert.equal(await kindOf(upload(c, '/up/new', 'y')), 'PermissionDenied', 'overwrite needs overwrite');
    assert.equal(await kindOf(upload(c, '/ow/f', 'new')), 'ok', 'overwrite alone is enough');
    assert.equal(await kindOf(upload(c, '/ow/g', 'new')), 'PermissionDenied');
    assert.equal(await kindOf(c.remove('/r')), 'PermissionDenied');
    assert.equal(await kindOf(c.remove('/del/f')), 'ok');
    assert.equal(await kindOf(c.mkdir('/x')), 'PermissionDenied');
    assert.equal(await kindOf(c.mkdir('/dirs/x')), 'ok');
    assert.equal(await kindOf(names(c, '/none')), 'PermissionDenied');
    assert.equal(await kindOf(c.stat('/none/x')), 'PermissionDenied');
    assert.equal(await kindOf(download(c, '/up/new')), 'PermissionDenied');
    assert.equal(await kindOf(download(c, '/r')), 'ok');
    assert.equal(await kindOf(c.setStat('/r', { mode: 0o600 })), 'PermissionDenied');
    assert.equal(await kindOf(c.rename('/r', '/up/r')), 'PermissionDenied');
    assert.equal(await kindOf(c.symlink('/r', '/link')), 'PermissionDenied');
  } finally {
    await env.cleanup();
  }
});

test('connection: rename rules', async () => {
  const env = await makeEnv({
    user: {
      permissions: { '/': ['*'], '/ro': ['list', 'download'], '/mv': ['delete', 'list'], '/in': ['upload', 'list'] },
      filters: { file_patterns: [{ path: '/', denied_patterns: ['*.exe'] }] },
    },
  });
  try {
    for (const d of ['ro', 'mv', 'in', 'd']) await mkdir(path.join(env.home, d), { recursive: true });
    await writeFile(path.join(env.home, 'ro', 'f'), 'x');
    await writeFile(path.join(env.home, 'mv', 'f'), 'x');
    await writeFile(path.join(env.home, 'a'), 'a');
    const c = await env.connect();
    assert.equal(await kindOf(c.rename('/ro/f', '/g')), 'PermissionDenied');
    assert.equal(await kindOf(c.rename('/mv/f', '/in/f')), 'ok', 'delete on source + upload on target');
    assert.equal(await kindOf(c.rename('/a', '/b.exe')), 'PermissionDenied', 'patterns');
    assert.equal(await kindOf(c.rename('/a', '/d')), 'NotSupported', 'over a directory');
    await writeFile(path.join(env.home, 'b'), 'bb');
    assert.equal(await kindOf(c.rename('/a', '/b')), 'ok', 'overwrite a file');
    assert.equal(await readFile(path.join(env.home, 'b'), 'utf8'), 'a');
  } finally {
    await env.cleanup();
  }
});

test('connection: setstat applies one group only and honours setstat_mode', async () => {
  const env = await makeEnv();
  try {
    const c = await env.connect();
    await upload(c, '/f', '123456');
    const when = new Date('2001-01-01T00:00:00Z');
    await c.setStat('/f', { mode: 0o640, mtime: when, atime: when, size: 1 });
    const st = await c.stat('/f');
    assert.equal(st.mode, 0o640);
    assert.notEqual(st.mtime.getTime(), when.getTime(), 'times not applied with perms');
    assert.equal(st.size, 6, 'size not applied with perms');
    await c.setStat('/f', { size: 2 });
    assert.equal((await c.stat('/f')).size, 2);
    assert.equal(env.provider.quota.get('u:alice')?.usedSize, 2);
  } finally {
    await env.cleanup();
  }
  const env1 = await makeEnv({ common: { setstat_mode: 1 } });
  try {
    const c = await env1.connect();
    await upload(c, '/f', 'x');
    await c.setStat('/f', { mode: 0o600 });
    assert.notEqual((await c.stat('/f')).mode, 0o600, 'ignored in mode 1');
  } finally {
    await env1.cleanup();
  }
});

test('connection: file patterns on transfers, not on listings', async () => {
  const env = await makeEnv({ user: { filters: { file_patterns: [{ path: '/p', allowed_patterns: ['*.txt'] }] } } });
  try {
    await mkdir(path.join(env.home, 'p'), { recursive: true });
    await writeFile(path.join(env.home, 'p', 'x.bin'), 'b');
    const c = await env.connect();
    assert.equal(await kindOf(upload(c, '/p/a.TXT', 'ok')), 'ok');
    assert.equal(await kindOf(upload(c, '/p/a.bin', 'no')), 'PermissionDenied');
    assert.equal(await kindOf(download(c, '/p/x.bin')), 'PermissionDenied');
    assert.equal(await kindOf(c.remove('/p/x.bin')), 'PermissionDenied');
    assert.equal(await kindOf(c.hashFile('/p/x.bin', 'md5')), 'PermissionDenied');
    assert.deepEqual(await names(c, '/p'), ['a.TXT', 'x.bin']);
  } finally {
    await env.cleanup();
  }
});

test('connection: pre-hooks veto with a message; pre-delete success means handled, failure means delete', async () => {
  const env = await makeEnv();
  try {
    const c = await env.connect();
    await upload(c, '/f', 'abc');
    const post = await env.hooks.waitFor('upload');
    assert.equal(post.status, 1);
    assert.equal(post.file_size, 3);
    assert.equal(post.path, path.join(env.home, 'f'));
    env.hooks.veto.add('pre-download');
    await assert.rejects(download(c, '/f'), (e: Error) => /pre-download hook refused: pre-download vetoed by hook/.test(e.message));
    env.hooks.handled = true;
    await c.remove('/f');
    assert.equal((await readFile(path.join(env.home, 'f'), 'utf8')), 'abc', 'handled externally: not deleted by the core');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 0, usedFiles: 0 }, 'but given back as SFTPGo does');
    assert.equal(env.hooks.calls.some((i) => i.action === 'delete'), false, 'no delete action when handled');
    env.hooks.handled = false;
    env.hooks.veto.add('pre-delete');
    await upload(c, '/g', 'xy');
    await c.remove('/g');
    assert.equal(await kindOf(c.stat('/g')), 'NotFound', 'a failing pre-delete hook means: delete as usual');
    assert.equal((await env.hooks.waitFor('delete')).file_size, 2);
    env.hooks.veto.add('pre-upload');
    await assert.rejects(upload(c, '/h', 'x'), (e: Error) => /pre-upload hook refused/.test(e.message));
    assert.equal(await kindOf(c.stat('/h')), 'NotFound');
  } finally {
    await env.cleanup();
  }
});
