/**
 * One SFTP v3 session over any byte stream pair (an ssh2 channel, or stdin/stdout for
 * `startsubsys`). Frames packets, dispatches them to `SftpOps`, writes replies with backpressure.
 */
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Connection } from '../../core/types.js';
import { PacketFramer, PacketReader } from './codec.js';
import { MAX_PACKET, PacketType, Status } from './constants.js';
import { statusPacket, versionPacket } from './replies.js';
import { SftpOps } from './ops.js';
import { sftpStatusOf } from './status-map.js';

/** A session's connection, byte streams and logger. */
export interface SftpSessionOptions {
  connection: Connection;
  input: Readable;
  output: Writable;
  logger: Logger;
}

/** Serves SFTP until the input ends; `done` resolves after the connection's handles are settled. */
export class SftpSession {
  private readonly framer = new PacketFramer(MAX_PACKET + 1024);
  private readonly ops: SftpOps;
  private initialized = false;
  private closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly opts: SftpSessionOptions) {
    this.ops = new SftpOps(opts.connection, (buf) => this.send(buf));
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  start(): void {
    const { input, output } = this.opts;
    input.on('data', (chunk: Buffer) => this.onData(chunk));
    input.once('end', () => void this.finish());
    input.once('close', () => void this.finish());
    input.once('error', () => void this.finish());
    output.on('drain', () => input.resume());
  }

  private send(buf: Buffer): void {
    if (this.closed) return;
    if (!this.opts.output.write(buf)) this.opts.input.pause();
  }

  private onData(chunk: Buffer): void {
    let packets: Buffer[];
    try {
      packets = this.framer.push(chunk);
    } catch (err) {
      this.opts.logger.warn({ err }, 'sftp: bad packet, ending session');
      void this.finish();
      return;
    }
    for (const p of packets) this.dispatch(p);
  }

  private dispatch(body: Buffer): void {
    const type = body[0]!;
    if (type === PacketType.INIT) {
      this.initialized = true;
      this.send(versionPacket());
      return;
    }
    const r = new PacketReader(body, 1);
    let id = 0;
    try {
      id = r.uint32();
      if (!this.initialized) throw new Error('request before INIT');
      this.opts.connection.touch();
      this.ops.handle(type, id, r).catch((err: unknown) => this.fail(id, err));
    } catch (err) {
      this.fail(id, err);
    }
  }

  private fail(id: number, err: unknown): void {
    const { code, message } = sftpStatusOf(err);
    if (code === Status.FAILURE) this.opts.logger.debug({ err }, 'sftp request failed');
    this.send(statusPacket(id, code, message));
  }

  /** Aborts open uploads (atomic mode leaves nothing), closes downloads, closes the connection. */
  private async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.ops.closeAll();
      await this.opts.connection.close('client closed the session');
    } catch (err) {
      this.opts.logger.debug({ err }, 'sftp session close');
    }
    this.resolveDone();
  }

  /** Server side close (admin disconnect, shutdown). */
  async close(): Promise<void> {
    this.opts.input.destroy();
    await this.finish();
  }
}
