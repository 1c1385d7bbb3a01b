/** Checks every object store runs beyond the shared suite: multipart uploads, paging, signals. */
import assert from 'node:assert/strict';
import type { Fs } from '../../../src/vfs/types.js';
import { ErrorKind } from '../../../src/util/errors.js';
import { entries, kindOf, readStream } from './helpers.js';

/** A patterned buffer (every byte differs from its neighbours). */
export function pattern(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + (i >> 8)) & 0xff;
  return b;
}

/** Writes `data` in 32 KiB chunks, each pair sent in reverse order (SFTP writes in flight). */
export async function writeShuffled(fs: Fs, p: string, data: Buffer): Promise<void> {
  const h = await fs.openWrite(p, { mode: 'truncate' });
  const step = 32 * 1024;
  for (let off = 0; off < data.length; off += 2 * step) {
    const second = off + step < data.length ? h.write(data.subarray(off + step, off + 2 * step), off + step) : Promise.resolve();
    const first = h.write(data.subarray(off, off + step), off);
    await Promise.all([second, first]);
  }
  await h.close();
}

/** Reads a whole file through its stream. */
export async function readBuffer(fs: Fs, p: string): Promise<Buffer> {
  const r = await fs.openRead(p);
  const chunks: Buffer[] = [];
  for await (const c of r.stream() as AsyncIterable<Buffer>) chunks.push(c);
  await r.close();
  return Buffer.concat(chunks);
}

/** A big upload (several parts) arrives intact, out-of-order writes included. */
export async function checkBigUpload(fs: Fs, size: number): Promise<void> {
  const data = pattern(size);
  await writeShuffled(fs, '/big.bin', data);
  assert.equal((await fs.stat('/big.bin')).size, size);
  assert.ok((await readBuffer(fs, '/big.bin')).equals(data));
}

/** Listings cross page boundaries without losing or repeating entries. */
export async function checkPaging(fs: Fs): Promise<void> {
  await fs.mkdir('/p');
  for (let i = 0; i < 4; i++) await fs.mkdir(`/p/d${i}`);
  for (let i = 0; i < 17; i++) {
    const h = await fs.openWrite(`/p/f${String(i).padStart(2, '0')}`, { mode: 'truncate' });
    await h.write(Buffer.from('x'.repeat(i + 1)), 0);
    await h.close();
  }
  const all = await entries(fs, '/p');
  assert.equal(all.length, 21);
  assert.equal(new Set(all.map((e) => e.name)).size, 21);
  assert.equal(all.filter((e) => e.type === 'dir').length, 4);
  assert.ok(all.filter((e) => e.type === 'file').every((e) => e.size === Number(e.name.slice(1)) + 1));
}

/** An upload whose open signal fires is discarded; an older object of that name survives. */
export async function checkSignalDiscards(fs: Fs): Promise<void> {
  const old = await fs.openWrite('/s', { mode: 'truncate' });
  await old.write(Buffer.from('old'), 0);
  await old.close();
  const ac = new AbortController();
  const h = await fs.openWrite('/s', { mode: 'truncate', signal: ac.signal });
  await h.write(Buffer.from('new content'), 0);
  ac.abort(new Error('client gone'));
  assert.notEqual(await kindOf(h.close()), 'ok');
  const r = await fs.openRead('/s');
  assert.equal(await readStream(r.stream()), 'old');
  await r.close();
  const n = await fs.openWrite('/never', { mode: 'truncate', signal: ac.signal }).then(() => 'opened', () => 'refused');
  assert.equal(n, 'refused');
  assert.equal(await kindOf(fs.stat('/never')), ErrorKind.NotFound);
}

/** Open modes an object store can honour: only writing a new (or empty) object from offset 0. */
export async function checkOpenModes(fs: Fs): Promise<void> {
  assert.equal(await kindOf(fs.openWrite('/new', { mode: 'resume', offset: 5 })), ErrorKind.NotSupported);
  const a = await fs.openWrite('/new', { mode: 'append' });
  await a.write(Buffer.from('appended'), 0);
  await a.close();
  assert.equal(await kindOf(fs.openWrite('/new', { mode: 'append' })), ErrorKind.NotSupported, 'no append to existing bytes');
  const e = await fs.openWrite('/empty', { mode: 'truncate' });
  await e.close();
  const r = await fs.openWrite('/empty', { mode: 'resume', offset: 0 });
  await r.write(Buffer.from('filled'), 0);
  await r.close();
  assert.equal((await fs.stat('/empty')).size, 6);
  const t = await fs.openWrite('/t', { mode: 'truncate' });
  await t.truncate!(0);
  await t.write(Buffer.from('abc'), 0);
  assert.equal(await kindOf(t.truncate!(0)), ErrorKind.NotSupported, 'truncate only before any byte');
  await t.close();
  assert.equal((await fs.stat('/t')).size, 3);
  await fs.setStat('/t', { size: 0 });
  assert.equal((await fs.stat('/t')).size, 0, 'truncate to 0 by path');
}
