/**
 * A minimal control-channel client for protocol details the real clients hide (exact reply codes
 * and texts, FEAT, MLST, ABOR). It speaks RFC 959 replies (multi-line aware) and can open PASV data
 * connections; TLS via AUTH TLS when asked.
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface FtpReply {
  code: number;
  /** Every line, without CRLF. */
  lines: string[];
  /** Text of the last line after the code. */
  text: string;
}

export class RawFtp {
  private buf = '';
  private waiters: ((r: FtpReply) => void)[] = [];
  private replies: FtpReply[] = [];
  sock: Socket;

  private constructor(sock: Socket) {
    this.sock = sock;
    this.attach(sock);
  }

  /** Connects; `proxyHeader` (a PROXY protocol header) is sent first when given. */
  static async connect(port: number, proxyHeader?: string): Promise<{ ftp: RawFtp; greeting: FtpReply }> {
    const sock = connect(port, '127.0.0.1');
    await new Promise<void>((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
    if (proxyHeader) sock.write(proxyHeader);
    const ftp = new RawFtp(sock);
    return { ftp, greeting: await ftp.next() };
  }

  /** Sends a command and waits for its (final or preliminary) reply. */
  async cmd(line: string): Promise<FtpReply> {
    this.sock.write(`${line}\r\n`);
    return this.next();
  }

  /** The next reply. */
  next(): Promise<FtpReply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    return new Promise((res) => this.waiters.push(res));
  }

  async login(user: string, password: string): Promise<FtpReply> {
    const u = await this.cmd(`USER ${user}`);
    if (u.code !== 331) return u;
    return this.cmd(`PASS ${password}`);
  }

  /** AUTH TLS then the handshake (certificate not verified). */
  async startTls(): Promise<FtpReply> {
    const r = await this.cmd('AUTH TLS');
    if (r.code !== 234) return r;
    this.sock.removeAllListeners('data');
    const tls: TLSSocket = tlsConnect({ socket: this.sock, rejectUnauthorized: false });
    await new Promise<void>((res, rej) => { tls.once('secureConnect', res); tls.once('error', rej); });
    this.sock = tls;
    this.attach(tls);
    return r;
  }

  /** PASV, then connects the data socket. */
  async pasv(): Promise<Socket> {
    const r = await this.cmd('PASV');
    const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(r.text);
    if (r.code !== 227 || !m) throw new Error(`PASV failed: ${r.lines.join(' | ')}`);
    const port = Number(m[5]) * 256 + Number(m[6]);
    const data = connect(port, `${m[1]}.${m[2]}.${m[3]}.${m[4]}`);
    await new Promise<void>((res, rej) => { data.once('connect', res); data.once('error', rej); });
    return data;
  }

  /** Reads a data socket to its end. */
  static readAll(s: Socket): Promise<Buffer> {
    return new Promise((res, rej) => {
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      s.once('end', () => res(Buffer.concat(chunks)));
      s.once('error', rej);
    });
  }

  close(): void {
    this.sock.destroy();
  }

  private attach(sock: Socket): void {
    sock.on('data', (d: Buffer) => this.onData(d.toString('utf8')));
    sock.on('error', () => undefined);
  }

  private onData(text: string): void {
    this.buf += text;
    for (;;) {
      const r = this.parseOne();
      if (!r) return;
      const w = this.waiters.shift();
      if (w) w(r);
      else this.replies.push(r);
    }
  }

  private parseOne(): FtpReply | undefined {
    const lines = this.buf.split('\r\n');
    if (lines.length < 2) return undefined;
    const first = lines[0]!;
    const code = first.slice(0, 3);
    let end = 0;
    if (first[3] === '-') {
      end = lines.findIndex((l, i) => i > 0 && l.startsWith(`${code} `));
      if (end < 0 || end >= lines.length - 1) return undefined;
    }
    const mine = lines.slice(0, end + 1);
    this.buf = lines.slice(end + 1).join('\r\n');
    return { code: Number(code), lines: mine, text: mine[mine.length - 1]!.slice(4) };
  }
}
