import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteReorderBuffer } from '../../../src/vfs/shared/reorder.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';

/** A sink that records what reaches it, in order. */
function recorder() {
  const chunks: Buffer[] = [];
  return { chunks, sink: async (c: Buffer) => { chunks.push(c); }, text: () => Buffer.concat(chunks).toString() };
}

async function kind(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSftpGoError(err) ? err.kind : 'raw';
  }
}

test('reorder buffer: out-of-order writes reach the sink in order, each byte once', async () => {
  const r = recorder();
  const buf = new WriteReorderBuffer(r.sink, 0, 1024);
  await buf.write(Buffer.from('cc'), 4);
  await buf.write(Buffer.from('bb'), 2);
  assert.equal(r.chunks.length, 0, 'nothing flows before the gap at 0 is filled');
  assert.equal(buf.buffered, 4);
  await buf.write(Buffer.from('aa'), 0);
  await buf.write(Buffer.from('dd'), 6);
  await buf.finish();
  assert.equal(r.text(), 'aabbccdd');
  assert.equal(buf.written, 8);
  assert.equal(buf.buffered, 0);
});

test('reorder buffer: the caller may reuse its buffer once a held write resolves', async () => {
  const r = recorder();
  const buf = new WriteReorderBuffer(r.sink, 0, 1024);
  const reused = Buffer.from('xy');
  await buf.write(reused, 2);
  reused.write('ZZ');
  await buf.write(Buffer.from('ab'), 0);
  await buf.finish();
  assert.equal(r.text(), 'abxy');
});

test('reorder buffer: a jump beyond the window fails with a clear message, memory stays bounded', async () => {
  const r = recorder();
  const buf = new WriteReorderBuffer(r.sink, 0, 8);
  await buf.write(Buffer.from('1234'), 4);
  await assert.rejects(buf.write(Buffer.from('x'), 8), /too far ahead: offset 8 while offset 0 is still missing.*at most 8 bytes/);
  assert.equal(buf.buffered, 4);
});

test('reorder buffer: going back over received bytes is refused as unsupported', async () => {
  const r = recorder();
  const buf = new WriteReorderBuffer(r.sink, 0, 64);
  await buf.write(Buffer.from('abcd'), 0);
  assert.equal(await kind(buf.write(Buffer.from('X'), 1)), ErrorKind.NotSupported);
  await buf.write(Buffer.from('gh'), 6);
  assert.equal(await kind(buf.write(Buffer.from('XYZ'), 5)), ErrorKind.NotSupported, 'overlaps a held write');
  await buf.write(Buffer.from('ef'), 4);
  await buf.finish();
  assert.equal(r.text(), 'abcdefgh');
});

test('reorder buffer: finish fails while a gap was never filled; truncate-to-0 state is tracked', async () => {
  const r = recorder();
  const buf = new WriteReorderBuffer(r.sink, 0, 64);
  assert.equal(buf.untouched, true);
  await buf.write(Buffer.from('later'), 10);
  assert.equal(buf.untouched, false);
  await assert.rejects(buf.finish(), /no data received at offset 0 while 5 bytes wait beyond it/);
});

test('reorder buffer: concurrent in-order writes keep their order through a slow sink', async () => {
  const seen: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const buf = new WriteReorderBuffer(async (c) => {
    if (seen.length === 0) await gate;
    seen.push(c.toString());
  }, 0, 64);
  const a = buf.write(Buffer.from('a'), 0);
  const b = buf.write(Buffer.from('b'), 1);
  const c = buf.write(Buffer.from('c'), 2);
  release();
  await Promise.all([a, b, c]);
  await buf.finish();
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('reorder buffer: a failing sink fails the write that hit it', async () => {
  const buf = new WriteReorderBuffer(async () => { throw new Error('service down'); }, 0, 64);
  await assert.rejects(buf.write(Buffer.from('a'), 0), /service down/);
});
