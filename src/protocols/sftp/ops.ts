/** SFTP requests translated into Connection calls; replies go through `send`. */
import { posix } from 'node:path';
import type { Connection, VirtualFileInfo } from '../../core/types.js';
import { SftpGoError, ErrorKind, notSupported, exists } from '../../util/errors.js';
import { firstAttrGroup, readAttrs } from './attrs.js';
import type { PacketReader } from './codec.js';
import { PacketType, Status, READDIR_BATCH, MAX_IO } from './constants.js';
import { HandleTable, type HandleState } from './handles.js';
import { planOpen } from './pflags.js';
import { argPath } from './commands/paths.js';
import * as rp from './replies.js';


type Send = (buf: Buffer) => void;

/** Smallest buffer read past the size the file had at open (it may have grown since). */
const MIN_READ = 4096;

/**
 * Bytes to read for a request of `len` with `left` bytes before the size seen at open. Clients
 * ask for up to 255 KiB whatever the file: allocating that for a 4 KiB file (and again for the
 * read that finds EOF) is most of a small download's garbage. A file that grew since gives a
 * short read, which clients follow with a request for the rest.
 */
function readSize(len: number, left: number): number {
  return Math.min(len, Math.max(left, MIN_READ));
}

/** The SFTP requests of one session, in terms of Connection calls. */
export class SftpOps {
  private readonly handles = new HandleTable();

  constructor(private readonly conn: Connection, private readonly send: Send) {}

  private ok(id: number): void {
    this.send(rp.statusPacket(id, Status.OK, 'OK'));
  }

  /** Dispatches one request; rejects with the error to report as STATUS. */
  async handle(type: number, id: number, r: PacketReader): Promise<void> {
    switch (type) {
      case PacketType.OPEN: return this.open(id, argPath(r.string()), r.uint32(), r);
      case PacketType.CLOSE: return this.onHandle(r.bytes(), (h, key) => this.closeHandle(id, h, key));
      case PacketType.READ: return this.read(id, r);
      case PacketType.WRITE: return this.write(id, r);
      case PacketType.LSTAT: return this.sendAttrs(id, this.conn.lstat(argPath(r.string())));
      case PacketType.STAT: return this.sendAttrs(id, this.conn.stat(argPath(r.string())));
      case PacketType.FSTAT: return this.onHandle(r.bytes(), (h) => this.fstat(id, h));
      case PacketType.SETSTAT: return this.setstat(id, argPath(r.string()), r);
      case PacketType.FSETSTAT: { const hb = r.bytes(); return this.onHandle(hb, (h) => this.fsetstat(id, h, r)); }
      case PacketType.OPENDIR: return this.opendir(id, argPath(r.string()));
      case PacketType.READDIR: return this.onHandle(r.bytes(), (h) => this.readdir(id, h));
      case PacketType.REMOVE: return this.run(id, this.conn.remove(argPath(r.string())));
      case PacketType.MKDIR: return this.run(id, this.conn.mkdir(argPath(r.string())));
      case PacketType.RMDIR: return this.run(id, this.conn.rmdir(argPath(r.string())));
      case PacketType.REALPATH: return this.send(rp.singleNamePacket(id, argPath(r.string())));
      case PacketType.RENAME: return this.rename(id, r);
      case PacketType.READLINK: return this.readlink(id, argPath(r.string()));
      // OpenSSH sends SYMLINK arguments reversed from the draft: target first, then the link path.
      case PacketType.SYMLINK: { const target = r.string(); return this.run(id, this.conn.symlink(target, argPath(r.string()))); }
      case PacketType.EXTENDED: return this.extended(id, r.string(), r);
      default: throw notSupported(`packet type ${type}`);
    }
  }

  private async run(id: number, p: Promise<unknown>): Promise<void> {
    await p;
    this.ok(id);
  }

  private async sendAttrs(id: number, p: Promise<VirtualFileInfo>): Promise<void> {
    this.send(rp.attrsPacket(id, await p));
  }

  private onHandle(handle: Buffer, fn: (h: HandleState, key: Buffer) => Promise<void>): Promise<void> {
    return this.handles.enqueue(handle, (h) => fn(h, handle));
  }

  private async rename(id: number, r: PacketReader): Promise<void> {
    const from = argPath(r.string());
    await this.run(id, this.conn.rename(from, argPath(r.string())));
  }

  private async readlink(id: number, path: string): Promise<void> {
    this.send(rp.singleNamePacket(id, await this.conn.readlink(path)));
  }

  private async open(id: number, path: string, pflags: number, r: PacketReader): Promise<void> {
    const attrs = readAttrs(r);
    const plan = planOpen(pflags);
    this.conn.setCommand(plan.kind === 'download' ? `download ${path}` : `upload ${path}`);
    if (plan.kind === 'download') {
      const transfer = await this.conn.openDownload(path, { signal: this.conn.signal });
      this.send(rp.handlePacket(id, await this.addHandle({ kind: 'download', path, transfer })));
      return;
    }
    if (plan.exclusive && (await this.exists(path))) throw exists('file already exists');
    const transfer = await this.conn.openUpload(path, {
      mode: plan.mode, read: plan.read, openFlags: plan.openFlags, fileMode: attrs.mode, signal: this.conn.signal,
    });
    this.send(rp.handlePacket(id, await this.addHandle({ kind: 'upload', path, transfer, append: plan.mode === 'append' })));
  }

  /** Registers an opened transfer; when the table is full the transfer is discarded, not leaked. */
  private async addHandle(state: HandleState & { kind: 'download' | 'upload' }): Promise<Buffer> {
    try {
      return this.handles.add(state);
    } catch (err) {
      await state.transfer.abort(err);
      throw err;
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await this.conn.lstat(path);
      return true;
    } catch (err) {
      if (err instanceof SftpGoError && err.kind === ErrorKind.NotFound) return false;
      throw err;
    }
  }

  private read(id: number, r: PacketReader): Promise<void> {
    const handle = r.bytes();
    const offset = r.uint64();
    const len = Math.min(r.uint32(), MAX_IO);
    const reply = (buf: Buffer, n: number) => this.send(n === 0 ? rp.statusPacket(id, Status.EOF, 'EOF') : rp.finishData(buf, id, n));
    const readInto = async (h: HandleState): Promise<[Buffer, number]> => {
      const buf = rp.dataBuffer(h.kind === 'download' ? readSize(len, h.transfer.size - offset) : len);
      const target = buf.subarray(13);
      if (h.kind === 'download') return [buf, await h.transfer.read(target, offset)];
      if (h.kind === 'upload' && h.transfer.read) return [buf, await h.transfer.read(target, offset)];
      throw notSupported('read on this handle');
    };
    // Downloads only read: the reads of one handle run together, their replies still go in order.
    if (this.handles.peek(handle)?.kind === 'download') return this.handles.pipeline(handle, readInto, ([buf, n]) => reply(buf, n));
    return this.onHandle(handle, async (h) => {
      const [buf, n] = await readInto(h);
      reply(buf, n);
    });
  }

  private write(id: number, r: PacketReader): Promise<void> {
    const handle = r.bytes();
    const offset = r.uint64();
    const data = r.bytes();
    const writeOne = async (h: HandleState) => {
      if (h.kind !== 'upload') throw new SftpGoError(ErrorKind.PermissionDenied, 'handle not open for writing');
      await h.transfer.write(data, offset);
    };
    // Positional writes overlap (issued in request order, answered in request order); append
    // writes land where the kernel puts them, so they stay one at a time.
    const h = this.handles.peek(handle);
    if (h?.kind === 'upload' && !h.append) return this.handles.pipeline(handle, writeOne, () => this.ok(id));
    return this.onHandle(handle, async (st) => {
      await writeOne(st);
      this.ok(id);
    });
  }

  private async fstat(id: number, h: HandleState): Promise<void> {
    if (h.kind === 'upload') {
      // The upload may live in a temp file (atomic mode): report what the client wrote so far.
      const info = await this.conn.stat(h.path).catch(() => undefined);
      this.send(rp.attrsPacket(id, info ?? { name: posix.basename(h.path), type: 'file', size: h.transfer.initialSize, mode: 0o644, mtime: new Date() }));
      return;
    }
    this.send(rp.attrsPacket(id, await this.conn.stat(h.path)));
  }

  private async setstat(id: number, path: string, r: PacketReader): Promise<void> {
    const attrs = firstAttrGroup(readAttrs(r));
    if (Object.keys(attrs).length > 0) await this.conn.setStat(path, attrs);
    this.ok(id);
  }

  /** Size goes to the open upload; other attributes of an upload apply after its commit (the target may not exist yet). */
  private async fsetstat(id: number, h: HandleState, r: PacketReader): Promise<void> {
    const attrs = firstAttrGroup(readAttrs(r));
    if (h.kind === 'upload' && attrs.size !== undefined) await h.transfer.truncate(attrs.size);
    else if (h.kind === 'upload') h.pendingAttrs = { ...h.pendingAttrs, ...attrs };
    else if (Object.keys(attrs).length > 0) await this.conn.setStat(h.path, attrs);
    this.ok(id);
  }

  private async opendir(id: number, path: string): Promise<void> {
    this.conn.setCommand(`list ${path}`);
    const iterator = this.conn.list(path)[Symbol.asyncIterator]();
    // The first entry is fetched now so a missing dir or a denied list fails OPENDIR, as clients expect.
    const lookahead = await iterator.next();
    this.send(rp.handlePacket(id, this.handles.add({ kind: 'dir', path, iterator, lookahead })));
  }

  private async readdir(id: number, h: HandleState): Promise<void> {
    if (h.kind !== 'dir') throw new SftpGoError(ErrorKind.InvalidInput, 'not a directory handle');
    const batch: VirtualFileInfo[] = [];
    let next = h.lookahead ?? (await h.iterator.next());
    h.lookahead = undefined;
    while (!next.done) {
      batch.push(next.value);
      if (batch.length >= READDIR_BATCH) break;
      next = await h.iterator.next();
    }
    if (batch.length === 0) this.send(rp.statusPacket(id, Status.EOF, 'EOF'));
    else this.send(rp.namesPacket(id, batch));
  }

  private async closeHandle(id: number, h: HandleState, key: Buffer): Promise<void> {
    this.handles.delete(key);
    if (h.kind === 'dir') await h.iterator.return?.();
    else await h.transfer.close();
    if (h.kind === 'upload' && h.pendingAttrs && Object.keys(h.pendingAttrs).length > 0) {
      await this.conn.setStat(h.path, h.pendingAttrs);
    }
    this.ok(id);
  }

  private async extended(id: number, name: string, r: PacketReader): Promise<void> {
    switch (name) {
      case 'posix-rename@openssh.com': return this.rename(id, r);
      case 'statvfs@openssh.com': { const p = argPath(r.string()); this.send(rp.statvfsPacket(id, await this.conn.statfs(p))); return; }
      case 'fstatvfs@openssh.com': return this.onHandle(r.bytes(), async (h) => this.send(rp.statvfsPacket(id, await this.conn.statfs(h.path))));
      case 'hardlink@openssh.com': { const from = argPath(r.string()); return this.run(id, this.conn.link(from, argPath(r.string()))); }
      case 'fsync@openssh.com': return this.onHandle(r.bytes(), (h) => this.fsync(id, h));
      case 'limits@openssh.com': return this.send(rp.limitsPacket(id));
      default: throw notSupported(`extension ${name}`);
    }
  }

  private async fsync(id: number, h: HandleState): Promise<void> {
    if (h.kind !== 'upload') throw notSupported('fsync on a handle not open for writing');
    if (!h.transfer.sync) throw notSupported('fsync is not supported by this storage backend');
    await h.transfer.sync();
    this.ok(id);
  }

  /** Session end: unfinished uploads are aborted (atomic mode leaves nothing), the rest closed. */
  async closeAll(): Promise<void> {
    for (const h of this.handles.drain()) {
      try {
        if (h.kind === 'upload') await h.transfer.abort(new SftpGoError(ErrorKind.Aborted, 'client disconnected'));
        else if (h.kind === 'download') await h.transfer.close();
        else await h.iterator.return?.();
      } catch {
        // Already reported by the transfer; nothing else to do at session end.
      }
    }
  }
}
