import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestContext } from '../../helpers/context.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';

const remote = { ip: '127.0.0.1', port: 40000 };

test('test context: login creates the home, a connection uploads and lists', async () => {
  const ctx = await createTestContext();
  try {
    await ctx.addUser({ username: 'alice', password: 'pw' });
    const { user } = await ctx.core.auth.login({ username: 'alice', protocol: 'SFTP', credentials: { method: 'password', password: 'pw' }, remote });
    assert.ok((await stat(user.home_dir)).isDirectory());
    const conn = await ctx.core.connections.open({ protocol: 'SFTP', user, remote });
    const up = await conn.openUpload('/hello.txt', { mode: 'truncate' });
    await up.write(Buffer.from('hi'), 0);
    await up.close();
    const names: string[] = [];
    for await (const e of conn.list('/')) names.push(e.name);
    assert.deepEqual(names, ['hello.txt']);
    assert.equal(ctx.core.connections.countUser('alice'), 1);
    await conn.close();
  } finally {
    await ctx.close();
  }
});

test('pre-upload hook vetoes an upload; upload post-action runs with the file size', async () => {
  const ctx0 = await createTestContext();
  const hook = path.join(ctx0.dir, 'action.sh');
  const log = path.join(ctx0.dir, 'action.log');
  await writeFile(hook, `#!/bin/sh
echo "$SFTPGO_ACTION $SFTPGO_ACTION_PATH $SFTPGO_ACTION_FILE_SIZE" >> ${log}
case "$SFTPGO_ACTION_PATH" in *deny*) exit 1;; esac
exit 0
`);
  await chmod(hook, 0o755);
  const ctx = await createTestContext({ config: { common: { actions: { hook, execute_on: ['pre-upload', 'upload'], execute_sync: ['upload'] } } } });
  try {
    const user = await ctx.addUser({ username: 'bob', password: 'pw' });
    await ctx.core.auth.login({ username: 'bob', protocol: 'FTP', credentials: { method: 'password', password: 'pw' }, remote });
    const conn = await ctx.core.connections.open({ protocol: 'FTP', user, remote });
    await assert.rejects(conn.openUpload('/deny.txt', { mode: 'truncate' }), (e) => isSftpGoError(e) && e.kind === ErrorKind.PermissionDenied);
    const up = await conn.openUpload('/ok.txt', { mode: 'truncate' });
    await up.write(Buffer.from('12345'), 0);
    await up.close();
    await conn.close();
    // The post action is asynchronous: poll the log briefly.
    let text = '';
    for (let i = 0; i < 100 && !/^upload /m.test(text); i++) {
      text = await readFile(log, 'utf8').catch(() => '');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.match(text, /^pre-upload .*deny\.txt/m);
    assert.match(text, /^upload .*ok\.txt 5$/m);
  } finally {
    await ctx.close();
    await ctx0.close();
  }
});
