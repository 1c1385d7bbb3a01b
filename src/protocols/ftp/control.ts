/**
 * The control channel of one FTP session: CRLF command lines in (telnet sequences removed), replies
 * out, and the AUTH TLS upgrade done in the only safe order: once the AUTH line is read the raw
 * socket is paused and detached (bytes after the line go back into it), the session writes 234 and
 * `startTls` wraps the socket in the same tick, so the client's ClientHello is never read as a
 * command (the race that broke ftp-srv with curl; LIBS.md "FTP").
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { formatReply } from './replies.js';

/** Longest command line accepted (RFC 959 sets no limit; paths up to 4 KiB plus the verb fit). */
export const MAX_LINE_BYTES = 8192;

const IAC = 0xff;
/** Telnet commands are 240..254; WILL/WONT/DO/DONT (251..254) carry one option byte. */
const TELNET_CMD_MIN = 0xf0;
const TELNET_OPT_MIN = 0xfb;

/**
 * Removes telnet sequences (RFC 854). Clients send "IAC IP IAC DM" before ABOR with DM as urgent
 * data; the kernel takes the DM byte out of band, so a lone IAC may precede the verb: an IAC
 * followed by a non-command byte is dropped alone.
 */
export function stripTelnet(line: Buffer): Buffer {
  if (!line.includes(IAC)) return line;
  const out: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b !== IAC) { out.push(b); continue; }
    const next = line[i + 1];
    if (next === IAC) { out.push(IAC); i++; continue; }
    if (next === undefined || next < TELNET_CMD_MIN) continue;
    i += next >= TELNET_OPT_MIN ? 2 : 1;
  }
  return Buffer.from(out);
}

/** What the channel tells its session. */
export interface ControlEvents {
  /**
   * True for a line after which reading must stop until `release()` or `startTls()` (AUTH: the
   * bytes that follow may be a ClientHello). Asked before `line` runs, so the hold is in place even
   * when the session answers the line synchronously.
   */
  holds(text: string): boolean;
  /** A command line. */
  line(text: string): void;
  /** A line longer than MAX_LINE_BYTES arrived (it is dropped). */
  overflow(): void;
  /** The socket closed (either side). */
  closed(): void;
}

export class ControlChannel {
  private current: Socket;
  private pending: Buffer = Buffer.alloc(0);
  private held = false;
  private isClosed = false;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);

  constructor(socket: Socket, private readonly events: ControlEvents) {
    this.current = socket;
    this.watch(socket);
  }

  /** The socket replies go to (TLS after an upgrade). */
  get socket(): Socket {
    return this.current;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get secure(): boolean {
    return this.current instanceof TLSSocket;
  }

  /** Starts delivering lines. */
  start(): void {
    this.current.on('data', this.onData);
  }

  /** Writes one reply (multi-line when `text` is a list). */
  reply(code: number, text: string | readonly string[]): void {
    if (this.isClosed || this.current.destroyed) return;
    this.current.write(formatReply(code, text));
  }

  /** Stops reading (too many queued commands). */
  pause(): void {
    this.current.pause();
  }

  /** Reads again after `pause()` (unless a held line waits for `release()`). */
  resume(): void {
    if (!this.held) this.current.resume();
  }

  /** Reads again after a held line (AUTH refused or failed before the upgrade). */
  release(): void {
    if (!this.held || this.isClosed) return;
    this.held = false;
    this.current.on('data', this.onData);
    this.current.resume();
  }

  /**
   * Upgrades the held raw socket with `upgrade` (which must start the handshake synchronously:
   * call this right after writing 234, in the same tick). Lines then flow from the TLS socket.
   */
  async startTls(upgrade: (raw: Socket) => Promise<TLSSocket>): Promise<TLSSocket> {
    const tls = await upgrade(this.current);
    this.current = tls;
    this.watch(tls);
    this.held = false;
    tls.on('data', this.onData);
    return tls;
  }

  /** Ends the session: flushes pending replies, then closes. */
  end(): void {
    if (this.isClosed) return;
    this.current.end();
    // A peer that never closes its side must not keep the socket forever.
    setTimeout(() => this.current.destroy(), 5000).unref();
  }

  /** Closes at once. */
  destroy(): void {
    this.current.destroy();
  }

  private watch(s: Socket): void {
    s.on('error', () => undefined); // resets are normal; 'close' follows
    s.once('close', () => {
      if (s !== this.current || this.isClosed) return;
      this.isClosed = true;
      this.events.closed();
    });
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let nl: number;
    while (!this.held && (nl = this.pending.indexOf(0x0a)) >= 0) {
      const raw = this.pending.subarray(0, nl);
      this.pending = this.pending.subarray(nl + 1);
      if (raw.length > MAX_LINE_BYTES) { this.events.overflow(); continue; }
      const text = stripTelnet(raw).toString('utf8').replace(/\r$/, '');
      if (this.events.holds(text)) this.hold();
      this.events.line(text);
    }
    if (this.pending.length > MAX_LINE_BYTES) {
      this.pending = Buffer.alloc(0);
      this.events.overflow();
    }
  }

  /** Stops reading; unread bytes go back to the socket for whoever reads next (TLS or us). */
  private hold(): void {
    this.held = true;
    this.current.off('data', this.onData);
    this.current.pause();
    if (this.pending.length) this.current.unshift(this.pending);
    this.pending = Buffer.alloc(0);
  }
}
