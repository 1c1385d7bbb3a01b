/** Conformance: positional read/write handles, streams, open modes. */
import assert from 'node:assert/strict';
import { ErrorKind } from '../../../src/util/errors.js';
import { kindOf, readAll, readStream, writeFile, type FsCase } from './helpers.js';

const DIGITS = '0123456789';

export const handleCases: FsCase[] = [
  {
    title: 'openReadInfo, where offered, opens like openRead and reports what stat reports',
    skipIf: (fs) => (fs.openReadInfo ? undefined : 'openReadInfo is not offered'),
    async run(fs) {
      await writeFile(fs, '/oi', DIGITS);
      await fs.mkdir('/oid');
      const { handle, info } = await fs.openReadInfo!('/oi', { offset: 2 });
      try {
        const st = await fs.stat('/oi');
        assert.deepEqual([info.name, info.type, info.size], [st.name, st.type, st.size]);
        const buf = Buffer.alloc(16);
        assert.equal(await handle.read(buf, 7), 3, 'a read past the end is short');
        assert.equal(buf.subarray(0, 3).toString(), '789');
        assert.equal(await readStream(handle.stream()), DIGITS.slice(2), 'the stream starts at the open offset');
      } finally {
        await handle.close();
      }
      assert.equal(await kindOf(fs.openReadInfo!('/missing')), ErrorKind.NotFound);
      const dir = await fs.openReadInfo!('/oid').then(async (r) => { await r.handle.close(); return r.info.type; }, (err: unknown) => err);
      assert.ok(dir === 'dir' || (dir instanceof Error), 'a directory is reported as one, or refused');
    },
  },
  {
    title: 'writev and storedInfo, where offered, write buffers back to back and report the stored size',
    need: 'randomWrite',
    async run(fs) {
      const h = await fs.openWrite('/wv', { mode: 'truncate' });
      if (h.writev) {
        await h.writev([Buffer.from('012'), Buffer.alloc(0), Buffer.from('3456')], 0);
        await h.writev([Buffer.from('78'), Buffer.from('9')], 7);
      } else {
        await h.write(Buffer.from(DIGITS), 0);
      }
      const stored = await h.storedInfo?.();
      await h.close();
      if (stored) assert.equal(stored.size, (await fs.stat('/wv')).size, 'the size a path stat sees after close');
      assert.equal(await readAll(fs, '/wv'), DIGITS);
    },
  },
  {
    title: 'positional reads: any offset, short read at EOF, zero bytes past EOF',
    async run(fs) {
      await writeFile(fs, '/r', DIGITS);
      const h = await fs.openRead('/r');
      try {
        const buf = Buffer.alloc(4);
        assert.equal(await h.read(buf, 3), 4);
        assert.equal(buf.toString(), '3456');
        assert.equal(await h.read(buf, 0), 4, 'backwards reads are allowed');
        assert.equal(buf.toString(), '0123');
        assert.equal(await h.read(buf, 8), 2);
        assert.equal(buf.subarray(0, 2).toString(), '89');
        assert.equal(await h.read(buf, 10), 0);
        assert.equal(await h.read(buf, 1000), 0);
      } finally {
        await h.close();
      }
    },
  },
  {
    title: 'read streams honour the open offset and the exclusive end',
    async run(fs) {
      await writeFile(fs, '/s', DIGITS);
      const whole = await fs.openRead('/s');
      assert.equal(await readStream(whole.stream()), DIGITS);
      await whole.close();
      const from = await fs.openRead('/s', { offset: 4 });
      assert.equal(await readStream(from.stream()), '456789');
      await from.close();
      const range = await fs.openRead('/s', { offset: 2, end: 5 });
      assert.equal(await readStream(range.stream()), '234');
      await range.close();
    },
  },
  {
    title: 'a large file round-trips intact through positional writes and a stream',
    async run(fs) {
      const data = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
      const h = await fs.openWrite('/big', { mode: 'truncate' });
      for (let off = 0; off < data.length; off += 32 * 1024) await h.write(data.subarray(off, off + 32 * 1024), off);
      await h.close();
      assert.equal((await fs.stat('/big')).size, data.length);
      const r = await fs.openRead('/big');
      const chunks: Buffer[] = [];
      for await (const c of r.stream() as AsyncIterable<Buffer>) chunks.push(c);
      await r.close();
      assert.ok(Buffer.concat(chunks).equals(data));
    },
  },
  {
    title: 'out-of-order and sparse positional writes',
    need: 'randomWrite',
    async run(fs) {
      const h = await fs.openWrite('/w', { mode: 'truncate' });
      await h.write(Buffer.from('world'), 6);
      await h.write(Buffer.from('hello '), 0);
      await h.write(Buffer.from('!'), 20);
      await h.close();
      const got = Buffer.from(await readAll(fs, '/w'), 'latin1');
      assert.equal(got.length, 21);
      assert.equal(got.subarray(0, 11).toString(), 'hello world');
      assert.ok(got.subarray(11, 20).every((b) => b === 0), 'the hole reads as zeros');
    },
  },
  {
    title: 'truncate empties, resume keeps and continues, append writes at the end',
    need: 'resume',
    async run(fs) {
      await writeFile(fs, '/m', 'hello world');
      const r = await fs.openWrite('/m', { mode: 'resume', offset: 11 });
      await r.write(Buffer.from('!'), 11);
      await r.close();
      assert.equal(await readAll(fs, '/m'), 'hello world!');
      const a = await fs.openWrite('/m', { mode: 'append' });
      await a.write(Buffer.from('?'), 0);
      await a.close();
      assert.equal(await readAll(fs, '/m'), 'hello world!?');
      const t = await fs.openWrite('/m', { mode: 'truncate' });
      await t.close();
      assert.equal((await fs.stat('/m')).size, 0);
    },
  },
  {
    title: 'create-exclusive creates a new file and refuses an existing one',
    async run(fs) {
      const h = await fs.openWrite('/x', { mode: 'create-exclusive' });
      await h.write(Buffer.from('new'), 0);
      await h.close();
      assert.equal(await readAll(fs, '/x'), 'new');
      assert.equal(await kindOf(fs.openWrite('/x', { mode: 'create-exclusive' })), ErrorKind.Exists);
      assert.equal(await readAll(fs, '/x'), 'new');
    },
  },
  {
    title: 'a read+write handle reads back what it wrote',
    need: 'readWrite',
    async run(fs) {
      await writeFile(fs, '/rw', 'abcdef');
      const h = await fs.openWrite('/rw', { mode: 'resume', read: true });
      await h.write(Buffer.from('XY'), 2);
      const buf = Buffer.alloc(6);
      assert.equal(await h.read!(buf, 0), 6);
      assert.equal(buf.toString(), 'abXYef');
      await h.close();
    },
  },
  {
    title: 'an open write handle can be truncated',
    need: 'truncate',
    async run(fs) {
      const h = await fs.openWrite('/t', { mode: 'truncate' });
      await h.write(Buffer.from(DIGITS), 0);
      assert.ok(h.truncate, 'truncate() exists when declared');
      await h.truncate!(3);
      await h.close();
      assert.equal(await readAll(fs, '/t'), '012');
    },
  },
  {
    title: 'close and abort are idempotent',
    async run(fs) {
      const h = await fs.openWrite('/c', { mode: 'truncate' });
      await h.write(Buffer.from('c'), 0);
      await h.close();
      await h.close();
      await h.abort();
      const r = await fs.openRead('/c');
      await r.close();
      await r.close();
      const a = await fs.openWrite('/d', { mode: 'truncate' });
      await a.abort(new Error('client gone'));
      await a.abort();
    },
  },
];
