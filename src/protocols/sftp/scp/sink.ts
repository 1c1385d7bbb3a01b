/**
 * `scp -t`: the client sends, we receive (INVENTORY §3.3). Files go through the core's upload
 * opening (permissions, patterns, quota with the announced size, hooks, atomic mode) and
 * directories through mkdir (`create_dirs`). A refused file is answered with a warning so the
 * client skips it and goes on; failures after its data started are reported once it was read.
 * Incoming `T` times are acknowledged and ignored, as SFTPGo does.
 */
import { posix } from 'node:path';
import { argPath } from '../commands/paths.js';
import type { Connection } from '../../../core/types.js';
import { ErrorKind, invalidInput, isSftpGoError, toSftpGoError } from '../../../util/errors.js';
import { commandErrorText } from '../status-map.js';
import { OK, parseScpLine, warningReply, type ScpArgs } from './protocol.js';
import type { ChannelReader } from './reader.js';

const CHUNK = 256 * 1024;

/** The channel as the sink uses it. */
export interface ScpIO {
  reader: ChannelReader;
  write(b: Buffer | string): void;
}

/** Receives until the client ends; resolves with the exit status. */
export async function runSink(conn: Connection, args: ScpArgs, io: ScpIO): Promise<number> {
  const target = argPath(args.path);
  const targetIsDir = await isDir(conn, target);
  if (args.targetIsDir && !targetIsDir) {
    io.write(warningReply(`${target}: not a directory`));
    return 1;
  }
  const sink = new Sink(conn, args, io, target, targetIsDir);
  io.write(OK);
  return sink.run();
}

async function isDir(conn: Connection, path: string): Promise<boolean> {
  try {
    return (await conn.stat(path)).type === 'dir';
  } catch (err) {
    if (isSftpGoError(err) && err.kind === ErrorKind.NotFound) return false;
    throw err;
  }
}

class Sink {
  /** Directories entered with `D` (the top is where entries land). */
  private readonly stack: string[] = [];
  private errors = 0;

  constructor(
    private readonly conn: Connection, private readonly args: ScpArgs, private readonly io: ScpIO,
    private readonly target: string, private readonly targetIsDir: boolean,
  ) {}

  async run(): Promise<number> {
    for (;;) {
      const line = await this.io.reader.line();
      if (line === undefined) break;
      const msg = parseScpLine(line);
      switch (msg.kind) {
        case 'error':
          this.errors++;
          if (msg.fatal) return 1;
          break;
        case 'times':
          this.io.write(OK);
          break;
        case 'end':
          if (this.stack.pop() === undefined) throw invalidInput('scp: protocol error: unexpected E');
          this.io.write(OK);
          break;
        case 'dir':
          await this.enterDir(msg.name);
          break;
        case 'file':
          await this.receiveFile(msg.name, msg.size, msg.mode);
          break;
      }
    }
    return this.errors > 0 ? 1 : 0;
  }

  /** Where an entry named `name` goes: inside the current dir, or the target itself at top level. */
  private destination(name: string): string {
    const top = this.stack[this.stack.length - 1];
    if (top) return posix.join(top, name);
    return this.targetIsDir ? posix.join(this.target, name) : this.target;
  }

  private async enterDir(name: string): Promise<void> {
    if (!this.args.recursive) throw invalidInput('scp: received a directory without -r');
    const dest = this.destination(name);
    try {
      if (!(await isDir(this.conn, dest))) await this.conn.mkdir(dest);
    } catch (err) {
      // The client goes on sending the directory's content: a fatal reply stops it cleanly.
      this.io.write(Buffer.from(`\x02scp: ${dest}: ${commandErrorText(err)}\n`));
      throw toSftpGoError(err);
    }
    this.stack.push(dest);
    this.io.write(OK);
  }

  private async receiveFile(name: string, size: number, mode: number): Promise<void> {
    const dest = this.destination(name);
    this.conn.setCommand(`scp upload ${dest}`);
    let upload;
    try {
      upload = await this.conn.openUpload(dest, { mode: 'truncate', expectedSize: size, fileMode: mode & 0o777, signal: this.conn.signal });
    } catch (err) {
      this.errors++;
      this.io.write(warningReply(`${dest}: ${commandErrorText(err)}`));
      return;
    }
    this.io.write(OK);
    let failed: unknown;
    let offset = 0;
    while (offset < size) {
      const chunk = await this.io.reader.some(Math.min(CHUNK, size - offset));
      if (!chunk) {
        await upload.abort(new Error('client disconnected'));
        throw invalidInput('scp: connection closed during a file transfer');
      }
      if (!failed) await upload.write(chunk, offset).catch((err: unknown) => (failed = err));
      offset += chunk.length;
    }
    await this.finishFile(dest, upload, failed);
  }

  /** Reads the source's end-of-file byte, commits or discards, and replies. */
  private async finishFile(dest: string, upload: Awaited<ReturnType<Connection['openUpload']>>, failed: unknown): Promise<void> {
    const status = await this.io.reader.byte();
    if (status === undefined) {
      await upload.abort(new Error('client disconnected'));
      throw invalidInput('scp: connection closed during a file transfer');
    }
    if (status !== 0) {
      // The source reports a read error of its own after the data: take its message line.
      await this.io.reader.line();
      this.errors++;
      await upload.abort(failed);
      this.io.write(OK);
      return;
    }
    if (failed) {
      await upload.abort(failed);
    } else {
      await upload.close().catch((err: unknown) => (failed = err));
    }
    if (failed) {
      this.errors++;
      this.io.write(warningReply(`${dest}: ${commandErrorText(failed)}`));
    } else {
      this.io.write(OK);
    }
  }
}
