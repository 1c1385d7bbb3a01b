/**
 * SFTP v3 at the packet level, over a session on a real core connection: the VERSION extensions,
 * pflags OpenSSH's client never sends (APPEND, EXCL), replies in request order with many writes in
 * flight, streamed READDIR, statvfs with a quota, limits, and bad input (unknown types and
 * extensions, truncated packets, unknown handles) answered with the right status, never a crash.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { PacketFramer, PacketReader, PacketWriter } from '../../../src/protocols/sftp/codec.js';
import { OpenFlag as F, PacketType as T, Status } from '../../../src/protocols/sftp/constants.js';
import { SftpSession } from '../../../src/protocols/sftp/session.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;

before(async () => {
  ctx = await createTestContext({ config: { common: { idle_timeout: 0 } } });
});

after(async () => ctx?.close());

/** A minimal SFTP client on a PassThrough pair. */
class RawClient {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  private readonly framer = new PacketFramer(1 << 20);
  readonly replies: Buffer[] = [];
  /** Request ids of the replies in arrival order. */
  readonly arrival: number[] = [];
  private waiters: (() => void)[] = [];
  private nextId = 1;

  constructor() {
    this.output.on('data', (b: Buffer) => {
      const got = this.framer.push(b);
      for (const r of got) if (r[0] !== T.VERSION) this.arrival.push(r.readUInt32BE(1));
      this.replies.push(...got);
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  send(type: number, build: (w: PacketWriter) => void, id = this.nextId++): number {
    const w = new PacketWriter(type);
    if (type !== T.INIT) w.uint32(id);
    build(w);
    this.input.write(w.finish());
    return id;
  }

  async reply(id: number): Promise<PacketReader & { type: number }> {
    for (;;) {
      const i = this.replies.findIndex((r) => r[0] === T.VERSION ? id === 0 : r.readUInt32BE(1) === id);
      if (i >= 0) {
        const body = this.replies.splice(i, 1)[0]!;
        const r = new PacketReader(body, 1) as PacketReader & { type: number };
        r.type = body[0]!;
        if (body[0] !== T.VERSION) r.uint32();
        return r;
      }
      await new Promise<void>((res) => this.waiters.push(res));
    }
  }

  async status(id: number): Promise<number> {
    const r = await this.reply(id);
    assert.equal(r.type, T.STATUS);
    return r.uint32();
  }

  async open(p: string, pflags: number): Promise<Buffer> {
    const r = await this.reply(this.send(T.OPEN, (w) => w.string(p).uint32(pflags).uint32(0)));
    assert.equal(r.type, T.HANDLE, `open ${p}`);
    return Buffer.from(r.bytes());
  }
}

async function session(username: string, extra: Record<string, unknown> = {}): Promise<{ c: RawClient; home: string; s: SftpSession }> {
  const user = await ctx.addUser({ username, password: 'x', ...extra });
  await mkdir(user.home_dir, { recursive: true });
  const connection = await ctx.core.connections.open({ protocol: 'SFTP', user, remote: { ip: '127.0.0.1', port: 1 } });
  const c = new RawClient();
  const s = new SftpSession({ connection, input: c.input, output: c.output, logger: pino({ level: 'silent' }) });
  s.start();
  c.send(T.INIT, (w) => w.uint32(3));
  return { c, home: user.home_dir, s };
}

test('VERSION 3 advertises the OpenSSH extensions', async () => {
  const { c, s } = await session('ver');
  const r = await c.reply(0);
  assert.equal(r.type, T.VERSION);
  assert.equal(r.uint32(), 3);
  const names: string[] = [];
  while (r.remaining > 0) {
    names.push(r.string());
    r.string();
  }
  assert.deepEqual(names, ['posix-rename@openssh.com', 'statvfs@openssh.com', 'fstatvfs@openssh.com', 'hardlink@openssh.com', 'fsync@openssh.com', 'limits@openssh.com']);
  await s.close();
});

test('APPEND writes go to the end; EXCL refuses an existing file', async () => {
  const { c, home, s } = await session('pflags');
  await c.reply(0);
  await writeFile(path.join(home, 'log.txt'), 'first\n');
  const h = await c.open('/log.txt', F.WRITE | F.APPEND);
  const id = c.send(T.WRITE, (w) => w.bytes(h).uint64(0).bytes(Buffer.from('second\n')));
  assert.equal(await c.status(id), Status.OK);
  assert.equal(await c.status(c.send(T.CLOSE, (w) => w.bytes(h))), Status.OK);
  assert.equal(await readFile(path.join(home, 'log.txt'), 'utf8'), 'first\nsecond\n');
  const excl = c.send(T.OPEN, (w) => w.string('/log.txt').uint32(F.WRITE | F.CREAT | F.EXCL).uint32(0));
  assert.equal(await c.status(excl), Status.FAILURE);
  const fresh = await c.open('/new.txt', F.WRITE | F.CREAT | F.EXCL);
  assert.equal(await c.status(c.send(T.CLOSE, (w) => w.bytes(fresh))), Status.OK);
  await s.close();
});

test('many writes in flight, then FSETSTAT size and CLOSE: replies in request order, content exact', async () => {
  const { c, home, s } = await session('order');
  await c.reply(0);
  await writeFile(path.join(home, 'f.bin'), Buffer.alloc(300_000, 9));
  // What scp in SFTP mode sends: WRITE|CREAT without TRUNC, the data, then FSETSTAT to the size.
  const h = await c.open('/f.bin', F.WRITE | F.CREAT);
  const chunk = 32 * 1024;
  const data = Buffer.alloc(100_000);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  const ids: number[] = [];
  for (let off = 0; off < data.length; off += chunk) ids.push(c.send(T.WRITE, (w) => w.bytes(h).uint64(off).bytes(data.subarray(off, off + chunk))));
  ids.push(c.send(T.FSETSTAT, (w) => w.bytes(h).uint32(0x1).uint64(data.length)));
  ids.push(c.send(T.CLOSE, (w) => w.bytes(h)));
  for (const id of ids) assert.equal(await c.status(id), Status.OK);
  assert.deepEqual(c.arrival.filter((id) => ids.includes(id)), ids, 'replies in request order');
  assert.deepEqual(await readFile(path.join(home, 'f.bin')), data);
  await s.close();
});

test('READDIR streams in batches of 100 with long names, then EOF', async () => {
  const { c, home, s } = await session('dir');
  await c.reply(0);
  await mkdir(path.join(home, 'many'));
  for (let i = 0; i < 250; i++) await writeFile(path.join(home, 'many', `f${i}`), 'x');
  const r = await c.reply(c.send(T.OPENDIR, (w) => w.string('/many')));
  const h = Buffer.from(r.bytes());
  const counts: number[] = [];
  for (;;) {
    const n = await c.reply(c.send(T.READDIR, (w) => w.bytes(h)));
    if (n.type === T.STATUS) {
      assert.equal(n.uint32(), Status.EOF);
      break;
    }
    const count = n.uint32();
    counts.push(count);
    n.string();
    assert.match(n.string(), /^-[rwx-]{9} +1 /);
  }
  assert.deepEqual(counts, [100, 100, 50]);
  await s.close();
});

test('statvfs reflects the quota; limits@openssh.com', async () => {
  const { c, s } = await session('vfs', { quota_size: 1024 * 1024, quota_files: 10 });
  await c.reply(0);
  const r = await c.reply(c.send(T.EXTENDED, (w) => w.string('statvfs@openssh.com').string('/')));
  assert.equal(r.type, T.EXTENDED_REPLY);
  const [bsize, , blocks, , , files] = [r.uint64(), r.uint64(), r.uint64(), r.uint64(), r.uint64(), r.uint64()];
  assert.equal(bsize * blocks, 1024 * 1024);
  assert.equal(files, 10);
  const l = await c.reply(c.send(T.EXTENDED, (w) => w.string('limits@openssh.com')));
  assert.equal(l.type, T.EXTENDED_REPLY);
  assert.equal(l.uint64(), 256 * 1024);
  await s.close();
});

test('bad input gets a status: unknown type or extension, truncated packet, unknown handle', async () => {
  const { c, s } = await session('bad');
  await c.reply(0);
  assert.equal(await c.status(c.send(99, () => undefined)), Status.OP_UNSUPPORTED);
  assert.equal(await c.status(c.send(T.EXTENDED, (w) => w.string('copy-data'))), Status.OP_UNSUPPORTED);
  assert.equal(await c.status(c.send(T.STAT, (w) => w.uint32(1000))), Status.BAD_MESSAGE);
  assert.equal(await c.status(c.send(T.READ, (w) => w.bytes(Buffer.from('nope')).uint64(0).uint32(10))), Status.FAILURE, 'unknown handle, as OpenSSH answers');
  assert.equal(await c.status(c.send(T.REMOVE, (w) => w.string('/missing'))), Status.NO_SUCH_FILE);
  // The session still works.
  const r = await c.reply(c.send(T.REALPATH, (w) => w.string('../../x/..')));
  assert.equal(r.type, T.NAME);
  assert.equal(r.uint32(), 1);
  assert.equal(r.string(), '/');
  await s.close();
});
