import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCommandLine } from '../../../../src/protocols/sftp/commands/shell-words.js';

test('splits like a POSIX shell without expanding anything', () => {
  assert.deepEqual(splitCommandLine('md5sum  "a b.txt"'), ['md5sum', 'a b.txt']);
  assert.deepEqual(splitCommandLine("git-upload-pack '/repo name.git'"), ['git-upload-pack', '/repo name.git']);
  assert.deepEqual(splitCommandLine('scp -t -- -dash\\ file'), ['scp', '-t', '--', '-dash file']);
  assert.deepEqual(splitCommandLine('echo "x\\"y" $HOME `id` a\'b\'c'), ['echo', 'x"y', '$HOME', '`id`', 'abc']);
  assert.deepEqual(splitCommandLine('sha1sum ""'), ['sha1sum', '']);
  assert.deepEqual(splitCommandLine('   '), []);
});

test('unbalanced quotes are an error', () => {
  assert.throws(() => splitCommandLine('md5sum "open'), /unbalanced double quote/);
  assert.throws(() => splitCommandLine("md5sum 'open"), /unbalanced single quote/);
});
