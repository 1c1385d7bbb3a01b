/**
 * dist/sftpgo-linux-arm64 starts under qemu-user (Debian qemu-user-static with the arm64 cross
 * sysroot), with no Node reachable. Emulation is slow: one run per check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hasBinary, needs } from '../../helpers/require.js';
import { arm64Binary, built, installed, qemuArm64, run, sandbox } from './binary.js';

const ready = needs(built(arm64Binary) && hasBinary(qemuArm64.bin) && existsSync(`${qemuArm64.sysroot}/lib`),
  'dist/sftpgo-linux-arm64 (make dist), qemu-aarch64-static and the arm64 sysroot (make deps-dist) are needed');

/** qemu by absolute path: the binary's own environment has an empty PATH. */
function qemuPrefix(): string[] {
  const bin = execFileSync('sh', ['-c', `command -v ${qemuArm64.bin}`]).toString().trim();
  return [bin, '-L', qemuArm64.sysroot];
}

test('linux-arm64 executable: --version and --help under qemu-user', ready, async () => {
  const box = await sandbox();
  const qemu = qemuPrefix();
  try {
    const [version, help] = await Promise.all([run(installed(arm64Binary), ['--version'], box, {}, qemu), run(installed(arm64Binary), ['--help'], box, {}, qemu)]);
    assert.equal(version.code, 0, version.output);
    assert.match(version.stdout, /^SFTPGo 2\.1\.2-[0-9a-f]{7,}(-dirty)?-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /);
    assert.equal(help.code, 0, help.output);
    assert.match(help.stdout, /Usage: sftpgo/);
    assert.match(help.stdout, /\n {2}portable\b/);
  } finally {
    await box.cleanup();
  }
});
