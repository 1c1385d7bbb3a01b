/** Portable mode refuses, before starting anything, storage this build lacks and unusable TLS files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkKeyPair, checkStorage, preflight } from '../../../src/app/portable/preflight.js';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { needsBinaries } from '../../helpers/require.js';
import { baseFlags } from './portable-fixture.js';

test('local storage is built; every backend not built yet is refused by name', () => {
  assert.doesNotThrow(() => checkStorage(0));
  const registry = createFsRegistry();
  const names: Record<number, string> = { 1: 's3', 2: 'gcs', 3: 'azblob', 4: 'crypt', 5: 'sftp' };
  for (const [code, name] of Object.entries(names)) {
    if (registry.has(name)) continue; // landed since: nothing to refuse
    assert.throws(() => checkStorage(Number(code), registry),
      { message: `not supported: storage backend ${name} (--fs-provider ${code}) is not built yet` });
  }
});

test('a backend the registry has is accepted (the check asks the registry)', () => {
  const registry = createFsRegistry();
  registry.register('s3', async () => { throw new Error('unused'); });
  assert.doesNotThrow(() => checkStorage(1, registry));
});

test('an unknown --fs-provider is an invalid input listing the codes', () => {
  assert.throws(() => checkStorage(9), /invalid --fs-provider 9: 0 local, 1 S3, 2 GCS, 3 Azure Blob, 4 encrypted local, 5 SFTP/);
});

test('TLS pairs: a good pair passes, a mismatched or missing one names both files', needsBinaries('openssl'), async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-portable-tls-'));
  try {
    const pair = (name: string) => {
      const cert = join(dir, `${name}.crt`);
      const key = join(dir, `${name}.key`);
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
      return { cert, key };
    };
    const a = pair('a');
    const b = pair('b');
    await checkKeyPair('FTPS', a.cert, a.key);
    await assert.rejects(checkKeyPair('FTPS', a.cert, b.key), (err: Error) =>
      err.message.startsWith(`unable to load FTPS key pair, cert file "${a.cert}" key file "${b.key}": `));
    await assert.rejects(checkKeyPair('WebDAV', join(dir, 'none.crt'), a.key), /unable to load WebDAV key pair.*ENOENT/);
    await assert.rejects(preflight({ ...baseFlags, ftpdPort: 0, ftpdCert: a.cert, ftpdKey: b.key }), /FTPS key pair/);
    await preflight({ ...baseFlags, ftpdPort: -1, ftpdCert: a.cert, ftpdKey: b.key }); // FTP off: files not used
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
