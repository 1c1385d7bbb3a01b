import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryLine, parseScpArgs, parseScpLine, timesLine } from '../../../../src/protocols/sftp/scp/protocol.js';

test('control lines', () => {
  assert.deepEqual(parseScpLine('C0644 12 file name.txt'), { kind: 'file', mode: 0o644, size: 12, name: 'file name.txt' });
  assert.deepEqual(parseScpLine('D0755 0 dir'), { kind: 'dir', mode: 0o755, size: 0, name: 'dir' });
  assert.deepEqual(parseScpLine('E'), { kind: 'end' });
  assert.deepEqual(parseScpLine('T1700000000 0 1700000001 0'), { kind: 'times', mtime: 1700000000, atime: 1700000001 });
  assert.deepEqual(parseScpLine('\x01scp: oops'), { kind: 'error', fatal: false, message: 'scp: oops' });
  assert.deepEqual(parseScpLine('\x02fatal'), { kind: 'error', fatal: true, message: 'fatal' });
});

test('names that are not one path element and malformed lines are refused', () => {
  for (const bad of ['C0644 1 ../x', 'C0644 1 a/b', 'D0755 0 ..', 'D0755 0 .', 'C644 1 x', 'Cxxxx 1 x', 'Z', 'C0644 -1 x']) {
    assert.throws(() => parseScpLine(bad), /scp:/, bad);
  }
});

test('lines we send', () => {
  assert.equal(entryLine('file', 0o100644, 5, 'a.txt'), 'C0644 5 a.txt\n');
  assert.equal(entryLine('dir', 0o755, 4096, 'd'), 'D0755 0 d\n');
  assert.equal(timesLine(new Date(1700000000500), new Date(1600000000000)), 'T1700000000 0 1600000000 0\n');
});

test('arguments: one path, -t or -f, flags before it, "--" allowed', () => {
  assert.deepEqual(parseScpArgs(['-r', '-p', '-t', 'dir']), { mode: 'sink', recursive: true, preserve: true, targetIsDir: false, path: 'dir' });
  assert.deepEqual(parseScpArgs(['-f', '--', '-odd']), { mode: 'source', recursive: false, preserve: false, targetIsDir: false, path: '-odd' });
  assert.equal(parseScpArgs(['-dt', 'x']).targetIsDir, true);
  assert.throws(() => parseScpArgs(['-t', '-f', 'x']), /exactly one of -t or -f/);
  assert.throws(() => parseScpArgs(['x']), /exactly one of -t or -f/);
  assert.throws(() => parseScpArgs(['-t', 'a', 'b']), /only one path/);
});
