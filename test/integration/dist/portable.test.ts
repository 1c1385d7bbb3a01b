/**
 * `sftpgo portable` from the single executable with no Node reachable: every SFTPGo flag is
 * there, storage not built is refused, and a real OpenSSH sftp client moves files both ways while
 * a wrong password is refused (this last one waits for the SFTP server: it reports itself skipped
 * while the binary says SFTP is not built).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasBinary, needs } from '../../helpers/require.js';
import { built, freePort, installed, run, sandbox, start, x64Binary } from './binary.js';

const needsBinary = needs(built(x64Binary), 'dist/sftpgo is not built (make dist)');

/** Every `portable` flag of SFTPGo v2.1.2 (INVENTORY §1.2), with its short form when it has one. */
const FLAGS = [
  '-d, --directory', '-s, --sftpd-port', '--ftpd-port', '--webdav-port', '-c, --ssh-commands', '-u, --username', '-p, --password',
  '-k, --public-key', '-g, --permissions', '--allowed-patterns', '--denied-patterns', '-l, --log-file-path', '-v, --log-verbose',
  '-S, --advertise-service', '-C, --advertise-credentials', '-f, --fs-provider',
  '--s3-bucket', '--s3-region', '--s3-access-key', '--s3-access-secret', '--s3-endpoint', '--s3-storage-class', '--s3-key-prefix',
  '--s3-upload-part-size', '--s3-upload-concurrency', '--gcs-bucket', '--gcs-storage-class', '--gcs-key-prefix',
  '--gcs-credentials-file', '--gcs-automatic-credentials', '--az-container', '--az-account-name', '--az-account-key', '--az-sas-url',
  '--az-endpoint', '--az-access-tier', '--az-key-prefix', '--az-upload-part-size', '--az-upload-concurrency', '--az-use-emulator',
  '--crypto-passphrase', '--sftp-endpoint', '--sftp-username', '--sftp-password', '--sftp-key-path', '--sftp-fingerprints',
  '--sftp-prefix', '--sftp-disable-concurrent-reads', '--sftp-buffer-size', '--ftpd-cert', '--ftpd-key', '--webdav-cert', '--webdav-key',
];

test('portable --help lists every SFTPGo portable flag', needsBinary, async () => {
  const box = await sandbox();
  try {
    const help = await run(installed(x64Binary), ['portable', '--help'], box);
    assert.equal(help.code, 0, help.stderr);
    const missing = FLAGS.filter((f) => !help.stdout.includes(f));
    assert.deepEqual(missing, []);
  } finally {
    await box.cleanup();
  }
});

test('portable refuses an unknown storage provider before listening', needsBinary, async () => {
  const box = await sandbox();
  try {
    const p = await run(installed(x64Binary), ['portable', '-d', box.home, '-f', '9'], box);
    assert.equal(p.code, 1);
    assert.equal(p.stderr, 'invalid --fs-provider 9: 0 local, 1 S3, 2 GCS, 3 Azure Blob, 4 encrypted local, 5 SFTP\n');
    assert.doesNotMatch(p.stdout, /Portable mode ready/);
  } finally {
    await box.cleanup();
  }
});

/** Runs OpenSSH's sftp in batch mode with a password (sshpass); resolves with exit code and output. */
function sftpBatch(port: number, user: string, password: string, cwd: string, commands: string): Promise<{ code: number; out: string }> {
  const args = ['-p', password, 'sftp', '-P', String(port), '-oBatchMode=no', '-oStrictHostKeyChecking=no', '-oUserKnownHostsFile=/dev/null',
    '-oPreferredAuthentications=password', '-oPubkeyAuthentication=no', '-b', '-', `${user}@127.0.0.1`];
  return new Promise((resolve, reject) => {
    const child = spawn('sshpass', args, { cwd });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    child.stdin.end(commands);
  });
}

const clients = hasBinary('sftp') && hasBinary('sshpass');

test('portable: OpenSSH sftp put/get on the shared directory, wrong password refused, nothing else written',
  needs(built(x64Binary) && clients, 'dist/sftpgo (make dist), sftp and sshpass are needed'), async () => {
    const box = await sandbox();
    try {
      const shared = join(box.home, 'share');
      const local = join(box.dir, 'local');
      await mkdir(shared);
      await mkdir(local);
      const served = randomBytes(300_000);
      const upload = randomBytes(1_000_000);
      await writeFile(join(shared, 'served.bin'), served);
      await writeFile(join(local, 'upload.bin'), upload);
      const port = await freePort();
      const proc = start(installed(x64Binary), ['portable', '-d', 'share', '-s', String(port), '-u', 'tester', '-p', 'pw-ok', '-g', '*'], box,
        { SFTPGO_SFTPD__BINDINGS__0__ADDRESS: '127.0.0.1' });
      if ((await proc.waitFor(/Portable mode ready/)) === 'exit') {
        assert.fail(`portable exited ${proc.code}: ${proc.output}`);
      }
      try {
        assert.match(proc.stdout, new RegExp(`sftp -P ${port} tester@127\\.0\\.0\\.1`), proc.output);
        const ok = await sftpBatch(port, 'tester', 'pw-ok', local, 'put upload.bin\nget served.bin got.bin\nbye\n');
        assert.equal(ok.code, 0, ok.out);
        assert.deepEqual(await readFile(join(shared, 'upload.bin')), upload);
        assert.deepEqual(await readFile(join(local, 'got.bin')), served);
        const bad = await sftpBatch(port, 'tester', 'pw-wrong', local, 'ls\nbye\n');
        assert.notEqual(bad.code, 0);
        assert.match(bad.out, /Permission denied/);
      } finally {
        assert.equal(await proc.stop(), 0, proc.output);
      }
      assert.deepEqual((await readdir(shared)).sort(), ['served.bin', 'upload.bin']);
      assert.deepEqual(await readdir(box.home), ['share'], 'no host keys or anything else in the start directory');
    } finally {
      await box.cleanup();
    }
  });
