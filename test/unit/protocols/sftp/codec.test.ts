import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketFramer, PacketReader, PacketWriter } from '../../../../src/protocols/sftp/codec.js';
import { isSftpGoError } from '../../../../src/util/errors.js';

function packet(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length + 1, 0);
  head[4] = type;
  return Buffer.concat([head, body]);
}

test('the framer returns whole packets whatever the chunking', () => {
  const stream = Buffer.concat([packet(1, Buffer.from([0, 0, 0, 3])), packet(17, Buffer.alloc(300, 7)), packet(5, Buffer.alloc(2))]);
  for (const size of [1, 3, 4, 5, 64, stream.length]) {
    const f = new PacketFramer(1024);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) out.push(...f.push(stream.subarray(i, i + size)));
    assert.deepEqual(out.map((p) => [p[0], p.length]), [[1, 5], [17, 301], [5, 3]], `chunks of ${size}`);
  }
});

test('the framer refuses packets over the limit and empty packets', () => {
  assert.throws(() => new PacketFramer(100).push(packet(6, Buffer.alloc(200))), /bad packet length/);
  assert.throws(() => new PacketFramer(100).push(Buffer.from([0, 0, 0, 0])), /bad packet length/);
});

test('reader and writer round-trip SSH types; truncated input is a bad message', () => {
  const w = new PacketWriter(104).uint32(7).uint64(2 ** 40 + 5).string('héllo').bytes(Buffer.from([1, 2]));
  const buf = w.finish();
  assert.equal(buf.readUInt32BE(0), buf.length - 4);
  const r = new PacketReader(buf, 4);
  assert.equal(r.byte(), 104);
  assert.equal(r.uint32(), 7);
  assert.equal(r.uint64(), 2 ** 40 + 5);
  assert.equal(r.string(), 'héllo');
  assert.deepEqual([...r.bytes()], [1, 2]);
  assert.throws(() => r.uint32(), (e) => isSftpGoError(e) && e.kind === 'InvalidInput');
  const bad = new PacketReader(Buffer.from([0, 0, 0, 9, 1]));
  assert.throws(() => bad.string(), /truncated/);
});
