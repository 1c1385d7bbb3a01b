/**
 * Loading a native addon embedded in the single executable: written to a private temp dir,
 * dlopen-ed, the dir removed; every failure is a reason, never a throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { embeddedSshCrypto, loadEmbeddedAddon, type SeaAssets } from '../../../src/util/sea-addon.js';
import { needs } from '../../helpers/require.js';

const require = createRequire(import.meta.url);
const binding = join(dirname(require.resolve('ssh2/package.json')), 'lib', 'protocol', 'crypto', 'build', 'Release', 'sshcrypto.node');

function assets(files: Record<string, Uint8Array>): SeaAssets {
  return {
    isSea: () => true,
    getRawAsset(name) {
      const f = files[name];
      if (!f) throw new Error(`no asset ${name}`);
      return f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength) as ArrayBuffer;
    },
  };
}

async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-addon-test-'));
  try {
    await fn(dir);
    assert.deepEqual(await readdir(dir), [], 'the private dir is removed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('outside the executable nothing is loaded (ssh2 uses its own build)', () => {
  assert.equal(embeddedSshCrypto, undefined);
  const r = loadEmbeddedAddon('sshcrypto.node', { isSea: () => false, getRawAsset: () => { throw new Error('unused'); } });
  assert.deepEqual(r, { ok: false, reason: 'not running as the single executable' });
});

test('an addon that is not embedded is a reason', async () => {
  await withDir((dir) => {
    const r = loadEmbeddedAddon('sshcrypto.node', assets({}), dir);
    assert.deepEqual(r, { ok: false, reason: 'sshcrypto.node is not embedded in this executable' });
  });
});

test('bytes that are not a loadable addon are a reason, and nothing is left behind', async () => {
  await withDir((dir) => {
    const r = loadEmbeddedAddon('sshcrypto.node', assets({ 'sshcrypto.node': new TextEncoder().encode('not an ELF file') }), dir);
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /^cannot load sshcrypto\.node: /);
  });
});

test('a real addon loads from its bytes and exports its classes', needs(existsSync(binding), "ssh2's sshcrypto.node was not built in node_modules"), async () => {
  await withDir((dir) => {
    const r = loadEmbeddedAddon('sshcrypto.node', assets({ 'sshcrypto.node': readFileSync(binding) }), dir);
    assert.equal(r.ok, true, r.ok ? '' : r.reason);
    if (r.ok) assert.equal(typeof r.exports.ChaChaPolyCipher, 'function');
  });
});

test('a temp dir where files cannot be written is a reason', () => {
  const r = loadEmbeddedAddon('sshcrypto.node', assets({ 'sshcrypto.node': new Uint8Array(4) }), '/nonexistent-dir-for-sftpgo-test');
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /cannot load sshcrypto\.node: .*ENOENT/);
});
