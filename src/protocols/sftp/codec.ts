/**
 * SFTP packet codec: a reader over one request payload and a writer that builds replies with the
 * 4-byte length prefix in place, so a reply is one Buffer and one socket write.
 */
import { SftpGoError, ErrorKind } from '../../util/errors.js';

/** Reads SSH wire types from one packet body; throws InvalidInput on truncated input (BAD_MESSAGE). */
export class PacketReader {
  private off: number;
  constructor(private readonly buf: Buffer, offset = 0) {
    this.off = offset;
  }

  get remaining(): number {
    return this.buf.length - this.off;
  }

  private need(n: number): void {
    if (this.off + n > this.buf.length) throw new SftpGoError(ErrorKind.InvalidInput, 'bad message: truncated packet');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.off++]!;
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.off);
    this.off += 4;
    return v;
  }

  uint64(): number {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.off);
    this.off += 8;
    return Number(v);
  }

  /** A length-prefixed byte string, as a view (no copy). */
  bytes(): Buffer {
    const len = this.uint32();
    this.need(len);
    const v = this.buf.subarray(this.off, this.off + len);
    this.off += len;
    return v;
  }

  string(): string {
    return this.bytes().toString('utf8');
  }
}

/** Builds one length-prefixed packet; grows as needed. */
export class PacketWriter {
  private buf: Buffer;
  private off = 4;

  constructor(type: number, size = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 16));
    this.byte(type);
  }

  private ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }

  byte(v: number): this {
    this.ensure(1);
    this.buf[this.off++] = v;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.off);
    this.off += 4;
    return this;
  }

  uint64(v: number): this {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(v))), this.off);
    this.off += 8;
    return this;
  }

  bytes(v: Buffer): this {
    this.uint32(v.length);
    this.ensure(v.length);
    v.copy(this.buf, this.off);
    this.off += v.length;
    return this;
  }

  string(v: string): this {
    return this.bytes(Buffer.from(v, 'utf8'));
  }

  /** The finished packet with its length prefix. */
  finish(): Buffer {
    this.buf.writeUInt32BE(this.off - 4, 0);
    return this.buf.subarray(0, this.off);
  }
}

/**
 * Splits a byte stream into SFTP packet bodies (type byte first, length prefix removed).
 * Keeps a list of chunks so large WRITE packets are copied once at most.
 */
export class PacketFramer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxPacket: number) {}

  /** Adds data and returns every complete packet body; throws when a packet exceeds the limit. */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.size += data.length;
    const out: Buffer[] = [];
    while (this.size >= 4) {
      const len = this.peekLength();
      if (len > this.maxPacket || len < 1) throw new SftpGoError(ErrorKind.InvalidInput, `bad packet length ${len}`);
      if (this.size < 4 + len) break;
      out.push(this.take(4 + len).subarray(4));
    }
    return out;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readUInt32BE(0);
    const head = this.take(4);
    this.chunks.unshift(head);
    this.size += 4;
    return head.readUInt32BE(0);
  }

  /**
   * The next `n` bytes: a view when the first chunk holds them, else one copy of exactly those
   * bytes (the rest of the last chunk stays a view, so nothing is copied twice).
   */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    this.size -= n;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }
}
