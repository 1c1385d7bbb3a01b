/**
 * `scp -f`: we send, the client receives (INVENTORY §3.3). Files are opened through the core
 * (`download` permission, patterns, pre-download hook) before their `C` line, so a refusal is a
 * warning the client prints before going on; `-r` walks directories with `D`/`E`; `-p` sends `T`
 * times first. Data is written with the channel's backpressure.
 */
import { once } from 'node:events';
import { argPath } from '../commands/paths.js';
import { posix } from 'node:path';
import type { Writable } from 'node:stream';
import type { Connection, VirtualFileInfo } from '../../../core/types.js';
import { failure as failureError, invalidInput } from '../../../util/errors.js';
import { commandErrorText } from '../status-map.js';
import { entryLine, OK, timesLine, warningReply, type ScpArgs } from './protocol.js';
import type { ChannelReader } from './reader.js';

const CHUNK = 256 * 1024;

/** Sends the path (recursively with -r); resolves with the exit status. */
export async function runSource(conn: Connection, args: ScpArgs, reader: ChannelReader, out: Writable): Promise<number> {
  const src = new Source(conn, args, reader, out);
  if (!(await src.ack())) return 1;
  await src.send(argPath(args.path));
  return src.errors > 0 ? 1 : 0;
}

class Source {
  errors = 0;

  constructor(private readonly conn: Connection, private readonly args: ScpArgs, private readonly reader: ChannelReader, private readonly out: Writable) {}

  /** Reads the sink's reply: true for ok; a warning line is consumed; fatal or EOF throws/false. */
  async ack(): Promise<boolean> {
    const b = await this.reader.byte();
    if (b === 0) return true;
    if (b === undefined) throw invalidInput('scp: connection closed');
    const line = await this.reader.line();
    if (b === 2) throw invalidInput(`scp: client error: ${line ?? ''}`);
    this.errors++;
    return false;
  }

  async send(path: string, known?: VirtualFileInfo): Promise<void> {
    let info = known;
    try {
      info ??= await this.conn.stat(path);
    } catch (err) {
      return this.warn(path, err);
    }
    if (info.type === 'dir') return this.sendDir(path, info);
    if (info.type !== 'file') return this.warn(path, failureError('not a regular file'));
    return this.sendFile(path, info);
  }

  private async sendDir(path: string, info: VirtualFileInfo): Promise<void> {
    if (!this.args.recursive) return this.warn(path, failureError('not a regular file: is a directory (use -r)'));
    const entries: VirtualFileInfo[] = [];
    try {
      for await (const e of this.conn.list(path)) entries.push(e);
    } catch (err) {
      return this.warn(path, err);
    }
    if (this.args.preserve && !(await this.line(timesLine(info.mtime, info.atime ?? info.mtime)))) return;
    if (!(await this.line(entryLine('dir', info.mode, 0, posix.basename(path) || '/')))) return;
    for (const e of entries) await this.send(posix.join(path, e.name), e.type === 'symlink' ? undefined : e);
    await this.line('E\n');
  }

  private async sendFile(path: string, info: VirtualFileInfo): Promise<void> {
    this.conn.setCommand(`scp download ${path}`);
    let dl;
    try {
      dl = await this.conn.openDownload(path, { signal: this.conn.signal });
    } catch (err) {
      return this.warn(path, err);
    }
    try {
      if (this.args.preserve && !(await this.line(timesLine(info.mtime, info.atime ?? info.mtime)))) return;
      if (!(await this.line(entryLine('file', info.mode, dl.size, posix.basename(path))))) return;
      const ok = await this.copyData(dl, path);
      await dl.close();
      if (ok) await this.ack();
    } finally {
      await dl.abort();
    }
  }

  /** Streams exactly `size` bytes, then the 0 byte (or a warning when the file shrank or failed). */
  private async copyData(dl: Awaited<ReturnType<Connection['openDownload']>>, path: string): Promise<boolean> {
    let offset = 0;
    let failure: unknown;
    while (offset < dl.size) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, dl.size - offset));
      const n = await dl.read(buf, offset).catch((err: unknown) => {
        failure = err;
        return 0;
      });
      // The file shrank or failed: pad to the announced size, then report the error.
      if (n === 0) {
        failure ??= failureError('file truncated while reading');
        buf.fill(0);
        await this.write(buf);
        offset += buf.length;
        continue;
      }
      await this.write(buf.subarray(0, n));
      offset += n;
    }
    if (failure) {
      this.errors++;
      this.out.write(warningReply(`${path}: ${commandErrorText(failure)}`));
    } else {
      this.out.write(OK);
    }
    return true;
  }

  private async line(text: string): Promise<boolean> {
    await this.write(Buffer.from(text));
    return this.ack();
  }

  private async write(b: Buffer): Promise<void> {
    if (!this.out.write(b)) await once(this.out, 'drain', { signal: this.conn.signal });
  }

  private warn(path: string, err: unknown): void {
    this.errors++;
    this.out.write(warningReply(`${path}: ${commandErrorText(err)}`));
  }
}
