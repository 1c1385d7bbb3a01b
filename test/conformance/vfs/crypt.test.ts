import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile as writeHostFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { ErrorKind } from '../../../src/util/errors.js';
import { runFsConformance } from './suite.js';
import { kindOf, readAll, writeFile } from './helpers.js';

async function makeCrypt(passphrase = 'conformance secret') {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-crypt-'));
  const root = path.join(base, 'root');
  const fs = await createFsRegistry().create(4, { root, config: { passphrase: { status: 'Plain', payload: passphrase } } });
  await fs.ensureRoot();
  return { fs, base, root, cleanup: () => rm(base, { recursive: true, force: true }) };
}

await runFsConformance('crypt', makeCrypt);

test('crypt: files on disk are encrypted, sizes are plaintext sizes, diskSize is the stored size', async () => {
  const u = await makeCrypt();
  try {
    await writeFile(u.fs, '/a.txt', 'hello world');
    const raw = await readFile(path.join(u.root, 'a.txt'));
    assert.equal(raw.length, 33 + 16 + 11 + 16);
    assert.equal(raw[0], 0x10);
    assert.equal(raw.includes(Buffer.from('hello')), false);
    const st = await u.fs.stat('/a.txt');
    assert.equal(st.size, 11);
    assert.equal(st.diskSize, raw.length);
    await writeFile(u.fs, '/empty', '');
    assert.equal((await stat(path.join(u.root, 'empty'))).size, 33, 'an empty file is its header alone');
    assert.equal((await u.fs.stat('/empty')).size, 0);
    assert.equal(await readAll(u.fs, '/empty'), '');
  } finally {
    await u.cleanup();
  }
});

test('crypt: a wrong passphrase or a tampered file never yields plaintext', async () => {
  const u = await makeCrypt('right');
  try {
    await writeFile(u.fs, '/f', 'secret data');
    const other = await createFsRegistry().create('crypt', { root: u.root, config: { passphrase: 'wrong' } });
    assert.equal(await kindOf(readAll(other, '/f')), ErrorKind.Failure);
    const host = path.join(u.root, 'f');
    const raw = await readFile(host);
    raw[40] = raw[40]! ^ 1;
    await writeHostFile(host, raw);
    assert.equal(await kindOf(readAll(u.fs, '/f')), ErrorKind.Failure);
    await writeHostFile(host, raw.subarray(0, raw.length - 1));
    assert.equal(await kindOf(readAll(u.fs, '/f')), ErrorKind.Failure);
  } finally {
    await u.cleanup();
  }
});
