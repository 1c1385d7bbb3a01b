/**
 * Hostile paths through a Connection: nothing — `..`, absolute paths, encoded or look-alike names,
 * symlinks planted in the home or a folder — reaches outside the user's home or a folder's root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from '../../../src/core/types.js';
import { download, kindOf, makeEnv, names, upload } from '../../integration/core/fixture.js';

/** Every operation aimed below `dir`: none may succeed when `dir` leads outside the home. */
function attempts(c: Connection, dir: string): [string, () => Promise<unknown>][] {
  return [
    ['stat', () => c.stat(`${dir}/secret`)],
    ['lstat', () => c.lstat(`${dir}/secret`)],
    ['list', () => names(c, dir)],
    ['download', () => download(c, `${dir}/secret`)],
    ['upload', () => upload(c, `${dir}/planted`, 'evil')],
    ['mkdir', () => c.mkdir(`${dir}/newdir`)],
    ['remove', () => c.remove(`${dir}/secret`)],
    ['rename out', () => c.rename(`${dir}/secret`, '/stolen')],
    ['rename in', () => c.rename('/own', `${dir}/own`)],
    ['setstat', () => c.setStat(`${dir}/secret`, { mode: 0o777 })],
    ['truncate', () => c.setStat(`${dir}/secret`, { size: 0 })],
    ['hash', () => c.hashFile(`${dir}/secret`, 'sha256')],
    ['symlink', () => c.symlink('/own', `${dir}/l`)],
    ['hardlink', () => c.link('/own', `${dir}/h`)],
    ['statfs', () => c.statfs(dir)],
  ];
}

/** Asserts the outside world is untouched. */
async function outsideIntact(base: string): Promise<void> {
  assert.equal(await readFile(path.join(base, 'outside', 'secret'), 'utf8'), 'top secret');
  assert.deepEqual(await readdir(path.join(base, 'outside')), ['secret']);
}

test('confinement: dot-dot, absolute and encoded paths stay in the home', async () => {
  const env = await makeEnv();
  try {
    await mkdir(path.join(env.base, 'outside'));
    await writeFile(path.join(env.base, 'outside', 'secret'), 'top secret');
    const c = await env.connect();
    await upload(c, '/../../../../in.txt', 'x');
    await c.mkdir('/../etc');
    await upload(c, '../../etc/passwd', 'not the host one');
    assert.equal(await readFile(path.join(env.home, 'in.txt'), 'utf8'), 'x');
    assert.equal(await readFile(path.join(env.home, 'etc', 'passwd'), 'utf8'), 'not the host one');
    assert.equal(await kindOf(c.stat('/../outside/secret')), 'NotFound');
    assert.equal(await kindOf(c.stat(`${env.base}/outside/secret`)), 'NotFound', 'a host path is a virtual path');
    assert.equal(await kindOf(download(c, '/../../../../../../etc/hostname')), 'NotFound');
    for (const p of ['%2e%2e/outside/secret', '..%2foutside%2fsecret', '..\\outside\\secret', '\uff0e\uff0e/outside/secret']) {
      assert.equal(await kindOf(c.stat(p)), 'NotFound', `${p} is a plain name`);
    }
    await upload(c, '/%2e%2e', 'enc');
    await upload(c, '/\uff0e\uff0e', 'fullwidth');
    await upload(c, '/cafe\u0301', 'nfd');
    assert.deepEqual((await readdir(env.home)).sort(), ['%2e%2e', 'cafe\u0301', 'etc', 'in.txt', '\uff0e\uff0e'].sort());
    assert.equal(await kindOf(c.stat('/caf\u00e9')), 'NotFound', 'no Unicode normalisation: NFC is another name');
    assert.equal(await kindOf(c.stat('/a\0/../../outside/secret')), 'InvalidInput');
    await outsideIntact(env.base);
  } finally {
    await env.cleanup();
  }
});

test('confinement: symlinks in the home pointing outside, to a parent, or chained are never followed out', async () => {
  const env = await makeEnv();
  try {
    await mkdir(path.join(env.base, 'outside'));
    await writeFile(path.join(env.base, 'outside', 'secret'), 'top secret');
    await mkdir(env.home, { recursive: true });
    await writeFile(path.join(env.home, 'own'), 'mine');
    await symlink(path.join(env.base, 'outside'), path.join(env.home, 'abs'));
    await symlink('..', path.join(env.home, 'up'));
    await symlink('../outside', path.join(env.home, 'rel'));
    await symlink('up', path.join(env.home, 'chain'));
    await symlink(path.join(env.base, 'outside', 'secret'), path.join(env.home, 'filelink'));
    const c = await env.connect();
    for (const dir of ['/abs', '/up/outside', '/rel', '/chain/outside']) {
      for (const [name, run] of attempts(c, dir)) {
        const got = await kindOf(run());
        assert.ok(got === 'PermissionDenied' || got === 'NotFound', `${dir} ${name}: ${got}`);
      }
    }
    assert.equal(await kindOf(download(c, '/filelink')), 'PermissionDenied');
    assert.equal(await kindOf(c.stat('/filelink')), 'PermissionDenied');
    assert.equal((await c.lstat('/filelink')).type, 'symlink', 'the link itself is visible');
    assert.equal(await kindOf(c.readlink('/filelink')), 'PermissionDenied', 'its outside target is not revealed');
    assert.equal(await kindOf(c.readlink('/up')), 'PermissionDenied');
    await c.remove('/filelink');
    await outsideIntact(env.base);
    assert.equal(await readFile(path.join(env.home, 'own'), 'utf8'), 'mine');
  } finally {
    await env.cleanup();
  }
});

test('confinement: a virtual folder is its own jail (no climbing into the home or out of the mapped path)', async () => {
  const env = await makeEnv({
    folders: (base) => [{ name: 'shared', mapped_path: path.join(base, 'shared'), virtual_path: '/vf' }],
  });
  try {
    await mkdir(path.join(env.base, 'outside'));
    await writeFile(path.join(env.base, 'outside', 'secret'), 'top secret');
    await mkdir(path.join(env.base, 'shared'), { recursive: true });
    await symlink('..', path.join(env.base, 'shared', 'up'));
    await symlink(env.home, path.join(env.base, 'shared', 'tohome'));
    const c = await env.connect();
    await upload(c, '/own', 'home file');
    for (const dir of ['/vf/up/outside', '/vf/tohome']) {
      for (const [name, run] of attempts(c, dir)) {
        const got = await kindOf(run());
        // Links from the folder to the home are refused before any path is resolved (NotSupported).
        assert.ok(['PermissionDenied', 'NotFound', 'NotSupported'].includes(got), `${dir} ${name}: ${got}`);
      }
    }
    await upload(c, '/vf/../../../x', 'lands in the home');
    assert.equal(await readFile(path.join(env.home, 'x'), 'utf8'), 'lands in the home');
    assert.equal(await kindOf(c.symlink('/own', '/vf/l')), 'NotSupported', 'no links across mounts');
    await outsideIntact(env.base);
  } finally {
    await env.cleanup();
  }
});
