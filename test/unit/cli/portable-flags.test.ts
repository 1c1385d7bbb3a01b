/** `sftpgo portable`'s flags (INVENTORY §1.2): names, short forms, defaults, lists, storage blocks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/program.js';
import { portableFlags, type Raw } from '../../../src/cli/commands/portable.js';
import type { PortableFlags } from '../../../src/app/portable/options.js';

/** Parses `sftpgo portable ...args` without running it. */
async function parse(...args: string[]): Promise<PortableFlags> {
  const program = buildProgram({ writeOut: () => undefined, writeErr: () => undefined });
  const cmd = program.commands.find((c) => c.name() === 'portable')!;
  let raw: Raw | undefined;
  cmd.action((_o: Raw, c: Command) => { raw = c.opts<Raw>(); });
  await program.parseAsync(['node', 'sftpgo', 'portable', ...args]);
  return portableFlags(raw!);
}

test('defaults are SFTPGo v2.1.2\'s', async () => {
  const f = await parse();
  assert.equal(f.directory, '.');
  assert.equal(f.username, 'user');
  assert.equal(f.password, '');
  assert.deepEqual(f.publicKeys, []);
  assert.deepEqual(f.permissions, ['list,download']);
  assert.equal(f.sftpdPort, 0);
  assert.equal(f.ftpdPort, -1);
  assert.equal(f.webdavPort, -1);
  assert.deepEqual(f.sshCommands, ['md5sum,sha1sum,cd,pwd,scp']);
  assert.equal(f.logFilePath, '');
  assert.equal(f.logVerbose, false);
  assert.equal(f.advertiseService, false);
  assert.equal(f.advertiseCredentials, false);
  assert.equal(f.filesystem.provider, 0);
  assert.equal(f.filesystem.s3config?.upload_part_size, 5);
  assert.equal(f.filesystem.s3config?.upload_concurrency, 2);
  assert.equal(f.filesystem.gcsconfig?.automatic_credentials, 1);
  assert.equal(f.filesystem.azblobconfig?.upload_part_size, 4);
  assert.equal(f.filesystem.azblobconfig?.upload_concurrency, 2);
  assert.equal(f.filesystem.azblobconfig?.use_emulator, false);
  assert.equal(f.filesystem.sftpconfig?.buffer_size, 0);
});

test('short forms; a list flag given replaces its default, repeats add', async () => {
  const f = await parse('-d', '/srv', '-u', 'bob', '-p', 'pw', '-k', 'k1', '-k', 'k2,k3', '-g', 'list', '-s', '2022',
    '-c', 'md5sum', '-c', 'pwd', '-l', 'p.log', '-v', '-S', '-C', '--ftpd-port', '0', '--webdav-port', '8090');
  assert.equal(f.directory, '/srv');
  assert.equal(f.username, 'bob');
  assert.equal(f.password, 'pw');
  assert.deepEqual(f.publicKeys, ['k1', 'k2,k3']);
  assert.deepEqual(f.permissions, ['list'], 'the default list,download is replaced, not extended');
  assert.equal(f.sftpdPort, 2022);
  assert.deepEqual(f.sshCommands, ['md5sum', 'pwd']);
  assert.equal(f.logFilePath, 'p.log');
  assert.equal(f.logVerbose, true);
  assert.equal(f.advertiseService, true);
  assert.equal(f.advertiseCredentials, true);
  assert.equal(f.ftpdPort, 0);
  assert.equal(f.webdavPort, 8090);
});

test('patterns, TLS files and cobra-style booleans', async () => {
  const f = await parse('--allowed-patterns', '/::*.jpg,*.png', '--allowed-patterns', '/a::*.txt', '--denied-patterns', '/::*.exe',
    '--ftpd-cert', 'c', '--ftpd-key', 'k', '--webdav-cert', 'wc', '--webdav-key', 'wk', '--log-verbose=false', '-S=true');
  assert.deepEqual(f.allowedPatterns, ['/::*.jpg,*.png', '/a::*.txt']);
  assert.deepEqual(f.deniedPatterns, ['/::*.exe']);
  assert.deepEqual([f.ftpdCert, f.ftpdKey, f.webdavCert, f.webdavKey], ['c', 'k', 'wc', 'wk']);
  assert.equal(f.logVerbose, false);
  assert.equal(f.advertiseService, true);
});

test('storage flags fill the block of every backend; secrets are plain secrets', async () => {
  const f = await parse('-f', '1', '--s3-bucket', 'b', '--s3-region', 'r', '--s3-access-key', 'ak', '--s3-access-secret', 'as',
    '--s3-endpoint', 'http://e', '--s3-storage-class', 'STANDARD', '--s3-key-prefix', 'p/', '--s3-upload-part-size', '10',
    '--s3-upload-concurrency', '4', '--az-container', 'c', '--az-account-name', 'n', '--az-account-key', 'k', '--az-sas-url', 'https://sas',
    '--az-endpoint', 'e', '--az-access-tier', 'Hot', '--az-key-prefix', 'z/', '--az-use-emulator', '--crypto-passphrase', 'pp',
    '--sftp-endpoint', 'h:22', '--sftp-username', 'u', '--sftp-password', 'sp', '--sftp-fingerprints', 'SHA256:a,SHA256:b',
    '--sftp-prefix', '/x', '--sftp-disable-concurrent-reads', '--sftp-buffer-size', '2', '--gcs-bucket', 'g', '--gcs-key-prefix', 'gp/');
  assert.equal(f.filesystem.provider, 1);
  assert.deepEqual(f.filesystem.s3config, {
    bucket: 'b', region: 'r', access_key: 'ak', access_secret: { status: 'Plain', payload: 'as' }, endpoint: 'http://e',
    storage_class: 'STANDARD', key_prefix: 'p/', upload_part_size: 10, upload_concurrency: 4,
  });
  assert.equal(f.filesystem.azblobconfig?.account_key?.payload, 'k');
  assert.equal(f.filesystem.azblobconfig?.sas_url?.payload, 'https://sas');
  assert.equal(f.filesystem.azblobconfig?.use_emulator, true);
  assert.equal(f.filesystem.azblobconfig?.access_tier, 'Hot');
  assert.equal(f.filesystem.cryptconfig?.passphrase?.payload, 'pp');
  assert.deepEqual(f.filesystem.sftpconfig?.fingerprints, ['SHA256:a', 'SHA256:b']);
  assert.equal(f.filesystem.sftpconfig?.password?.payload, 'sp');
  assert.equal(f.filesystem.sftpconfig?.disable_concurrent_reads, true);
  assert.equal(f.filesystem.sftpconfig?.buffer_size, 2);
  assert.equal(f.filesystem.gcsconfig?.bucket, 'g');
});

test('key files are read for the backend in use only, at most 1 MB; a GCS credentials file means explicit credentials', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-portable-flags-'));
  try {
    const key = join(dir, 'id');
    await writeFile(key, 'PRIVATE KEY');
    const sftp = await parse('-f', '5', '--sftp-key-path', key);
    assert.deepEqual(sftp.filesystem.sftpconfig?.private_key, { status: 'Plain', payload: 'PRIVATE KEY' });
    const local = await parse('--sftp-key-path', join(dir, 'missing'));
    assert.equal(local.filesystem.sftpconfig?.private_key, undefined, 'not read for local storage');
    const gcs = await parse('-f', '2', '--gcs-credentials-file', key);
    assert.equal(gcs.filesystem.gcsconfig?.automatic_credentials, 0);
    assert.equal(gcs.filesystem.gcsconfig?.credentials?.payload, 'PRIVATE KEY');
    const big = join(dir, 'big');
    await writeFile(big, Buffer.alloc(1024 * 1024 + 1));
    await assert.rejects(parse('-f', '5', '--sftp-key-path', big), /is too big 1048577\/1048576 bytes/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a non-integer port is a usage error', async () => {
  await assert.rejects(parse('-s', 'abc'), (err: { code?: string }) => err.code === 'commander.invalidArgument');
});
