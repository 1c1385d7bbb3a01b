import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { batch, drainTo, toCrlf, toLf } from '../../../../src/protocols/ftp/streams.js';

async function through(t: NodeJS.ReadWriteStream, chunks: string[]): Promise<string> {
  const out: Buffer[] = [];
  t.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => t.on('end', r));
  for (const c of chunks) t.write(Buffer.from(c, 'latin1'));
  t.end();
  await done;
  return Buffer.concat(out).toString('latin1');
}

test('ASCII conversions keep CR/LF pairs split across chunks intact', async () => {
  assert.equal(await through(toCrlf(), ['a\nb\r', '\nc', '\n']), 'a\r\nb\r\nc\r\n');
  assert.equal(await through(toLf(), ['a\r', '\nb\r\r\n', 'c\r']), 'a\nb\r\nc\r');
  assert.equal(await through(toLf(), ['x\r', 'y']), 'x\ry');
});

test('drainTo writes everything in order, batching what arrives during a write', async () => {
  const src = new PassThrough();
  const writes: string[] = [];
  let release: () => void = () => undefined;
  const done = drainTo(src, async (parts, size) => {
    const b = Buffer.concat(parts);
    assert.equal(b.length, size);
    writes.push(b.toString());
    if (writes.length === 1) await new Promise<void>((r) => (release = r));
  });
  src.write('a');
  await new Promise((r) => setImmediate(r));
  src.write('b');
  src.write('c');
  await new Promise((r) => setImmediate(r));
  release();
  src.end('d');
  await done;
  assert.deepEqual(writes, ['a', 'bcd']);
});

test('drainTo rejects when the stream is destroyed before its end', async () => {
  const src = new PassThrough();
  const done = drainTo(src, async () => undefined);
  src.write('partial');
  src.destroy();
  await assert.rejects(done, /closed before the end/);
});

test('listing lines are CRLF-terminated and grouped', async () => {
  const out: Buffer[] = [];
  for await (const b of Readable.from(batch((async function* () { yield 'one'; yield 'two'; })()))) out.push(b as Buffer);
  assert.equal(Buffer.concat(out).toString(), 'one\r\ntwo\r\n');
  assert.equal(out.length, 1);
});
