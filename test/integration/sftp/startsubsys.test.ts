/**
 * `sftpgo startsubsys` driven by OpenSSH's sftp client through `sftp -D` (what sshd runs for
 * `Subsystem sftp`): the OS user is created with its home under --base-home-dir, files go up and
 * come back, a sqlite provider is replaced by memory, and --log-to-journald fails loudly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsBinaries } from '../../helpers/require.js';
import { run } from './harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = `${process.execPath} --import tsx ${path.join(root, 'src/cli/main.ts')} startsubsys`;

test('startsubsys serves sftp -D and creates the OS user', needsBinaries('sftp'), async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-subsys-'));
  try {
    // sqlite would be shared with a running server: startsubsys swaps it for memory (no db file).
    await writeFile(path.join(dir, 'sftpgo.json'), JSON.stringify({ data_provider: { driver: 'sqlite', name: 'sftpgo.db' } }));
    const src = path.join(dir, 'up.txt');
    await writeFile(src, 'through startsubsys\n');
    const back = path.join(dir, 'back.txt');
    const server = `${cli} -c ${dir} -d ${path.join(dir, 'homes')} -v false`;
    const r = await run('sftp', ['-D', server, '-b', '-'], { input: `mkdir d\nput ${src} d/up.txt\nget d/up.txt ${back}\npwd\n`, cwd: root, env: { NODE_NO_WARNINGS: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Remote working directory: \//);
    const home = path.join(dir, 'homes', os.userInfo().username);
    assert.equal(await readFile(path.join(home, 'd', 'up.txt'), 'utf8'), 'through startsubsys\n');
    assert.equal(await readFile(back, 'utf8'), 'through startsubsys\n');
    await assert.rejects(readFile(path.join(dir, 'sftpgo.db')));
    const j = await run('sftp', ['-D', `${cli} -c ${dir} -j`, '-b', '-'], { input: 'pwd\n', cwd: root });
    assert.notEqual(j.code, 0);
    assert.match(j.stderr, /not supported: logging to journald/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
