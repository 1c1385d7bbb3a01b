/**
 * HAProxy PROXY protocol v1/v2 for TCP listeners (INVENTORY §4.15). `readProxyHeader` reads the
 * header (if any) from a fresh socket, returns the real client address and puts every byte after
 * the header back into the socket (unshift), so the protocol library sees an untouched stream.
 * Modes: 0 off, 1 optional (header used if present), 2 required. With `allowed` non-empty, mode 1
 * ignores headers from other sources and mode 2 rejects other sources.
 */
import type { Socket } from 'node:net';
import { permissionDenied } from '../../util/errors.js';
import ipaddr from 'ipaddr.js';
import { cidrList, parseIp, type IpList } from '../defender/iplist.js';

const V2_SIG = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ', 'ascii');
const V1_MAX = 107;
export const PROXY_HEADER_TIMEOUT_MS = 5000;

export interface ProxyOptions {
  mode: number;
  /** Sources allowed to send a header (empty = every source). */
  allowed?: IpList;
  timeoutMs?: number;
}

export interface ProxyAddress {
  ip: string;
  port: number;
  /** True when the address comes from a PROXY header. */
  fromHeader: boolean;
}

/** Result of parsing what arrived so far. */
type Parse =
  | { state: 'more' }
  | { state: 'none' }
  | { state: 'done'; consumed: number; address?: { ip: string; port: number } }
  | { state: 'error'; message: string };

/** Parses a header from the start of `buf` (exported for tests). */
export function parseProxyHeader(buf: Buffer): Parse {
  if (buf.length === 0) return { state: 'more' };
  const v2n = Math.min(buf.length, V2_SIG.length);
  if (buf.subarray(0, v2n).equals(V2_SIG.subarray(0, v2n))) {
    return buf.length < 16 ? { state: 'more' } : parseV2(buf);
  }
  const v1n = Math.min(buf.length, V1_PREFIX.length);
  if (buf.subarray(0, v1n).equals(V1_PREFIX.subarray(0, v1n))) {
    return buf.length < V1_PREFIX.length ? { state: 'more' } : parseV1(buf);
  }
  return { state: 'none' };
}

/** A v1 address of the announced family, normalised; undefined when invalid. */
function v1Address(text: string | undefined, family: string): string | undefined {
  const ip = text ? parseIp(text) : undefined;
  if (!ip || !/^[0-9a-fA-F:.]+$/.test(text!)) return undefined;
  const kind = ip.kind() === 'ipv4' && text!.includes(':') ? 'ipv6' : ip.kind();
  return (family === 'TCP4') === (kind === 'ipv4') ? ip.toString() : undefined;
}

function parseV1(buf: Buffer): Parse {
  const end = buf.indexOf('\r\n');
  if (end < 0) return buf.length >= V1_MAX ? { state: 'error', message: 'PROXY v1 header too long' } : { state: 'more' };
  if (end + 2 > V1_MAX) return { state: 'error', message: 'PROXY v1 header too long' };
  const parts = buf.subarray(0, end).toString('ascii').split(' ');
  const consumed = end + 2;
  if (parts[1] === 'UNKNOWN') return { state: 'done', consumed };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) {
    return { state: 'error', message: 'invalid PROXY v1 header' };
  }
  const src = v1Address(parts[2], parts[1]);
  if (!src || !v1Address(parts[3], parts[1])) return { state: 'error', message: 'invalid PROXY v1 address' };
  const port = /^\d{1,5}$/.test(parts[4]!) ? Number(parts[4]) : -1;
  if (port < 0 || port > 65535 || !/^\d{1,5}$/.test(parts[5]!) || Number(parts[5]) > 65535) {
    return { state: 'error', message: 'invalid PROXY v1 port' };
  }
  return { state: 'done', consumed, address: { ip: src, port } };
}

/** Textual form of raw address bytes; an IPv4-mapped IPv6 address is given as IPv4. */
function rawAddress(bytes: Buffer): string {
  const ip = ipaddr.fromByteArray([...bytes]);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) return (ip as ipaddr.IPv6).toIPv4Address().toString();
  return ip.toString();
}

function parseV2(buf: Buffer): Parse {
  const verCmd = buf[12]!;
  if (verCmd >> 4 !== 2) return { state: 'error', message: 'invalid PROXY v2 version' };
  const cmd = verCmd & 0x0f;
  if (cmd > 1) return { state: 'error', message: 'invalid PROXY v2 command' };
  const len = buf.readUInt16BE(14);
  if (buf.length < 16 + len) return { state: 'more' };
  const consumed = 16 + len;
  if (cmd === 0) return { state: 'done', consumed }; // LOCAL: health check from the proxy itself
  const fam = buf[13]! >> 4;
  const body = buf.subarray(16, 16 + len);
  if (fam === 1) {
    if (len < 12) return { state: 'error', message: 'PROXY v2 IPv4 address block too short' };
    return { state: 'done', consumed, address: { ip: rawAddress(body.subarray(0, 4)), port: body.readUInt16BE(8) } };
  }
  if (fam === 2) {
    if (len < 36) return { state: 'error', message: 'PROXY v2 IPv6 address block too short' };
    return { state: 'done', consumed, address: { ip: rawAddress(body.subarray(0, 16)), port: body.readUInt16BE(32) } };
  }
  return { state: 'done', consumed }; // AF_UNSPEC/unix: keep the socket address
}

/**
 * Resolves the real client address of `socket`. Throws PermissionDenied when the connection must
 * be rejected (mode 2 without header, disallowed source, malformed header, timeout in mode 2).
 */
export async function readProxyHeader(socket: Socket, opts: ProxyOptions): Promise<ProxyAddress> {
  const own: ProxyAddress = { ip: canonicalIp(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0, fromHeader: false };
  if (opts.mode === 0) return own;
  const listed = !opts.allowed || opts.allowed.size === 0 || opts.allowed.has(own.ip);
  if (opts.mode === 2 && !listed) throw permissionDenied(`PROXY protocol: source ${own.ip} not allowed`);
  const parsed = await collect(socket, opts.timeoutMs ?? PROXY_HEADER_TIMEOUT_MS);
  if (parsed.state === 'error') throw permissionDenied(parsed.message);
  if (parsed.state !== 'done') {
    if (opts.mode === 2) throw permissionDenied('PROXY protocol header required');
    return own;
  }
  // Mode 1 from a non-listed source: the header is dropped and the socket address kept.
  if (!listed || !parsed.address) return own;
  return { ...parsed.address, ip: canonicalIp(parsed.address.ip), fromHeader: true };
}

/**
 * One spelling per client for every protocol: a dual-stack listener reports IPv4 clients as
 * ::ffff:a.b.c.d, and the gate, the defender and the logs key on this string, so a ban or a
 * per-host count from one protocol must apply to the others.
 */
function canonicalIp(ip: string): string {
  return parseIp(ip)?.toString() ?? ip;
}

/**
 * Reads until a header is complete, absent, invalid, or the timeout hits ('none' then). Uses paused
 * mode ('readable' + read()) so that, once the listener is removed, the socket is neither flowing nor
 * explicitly paused: the protocol library's own 'data' listener starts the flow as on a fresh socket.
 */
function collect(socket: Socket, timeoutMs: number): Promise<Parse & { state: 'done' | 'none' | 'error' }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (res: Parse & { state: 'done' | 'none' | 'error' }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('close', onEnd);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
      const rest = res.state === 'done' ? buf.subarray(res.consumed) : buf;
      if (rest.length && res.state !== 'error') socket.unshift(rest);
      resolve(res);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (!settled && (chunk = socket.read() as Buffer | null) !== null) {
        buf = Buffer.concat([buf, chunk]);
        const p = parseProxyHeader(buf);
        if (p.state !== 'more') finish(p);
      }
    };
    const onEnd = () => finish({ state: 'error', message: 'connection closed before the PROXY header' });
    const timer = setTimeout(() => finish({ state: 'none' }), timeoutMs);
    socket.on('readable', onReadable);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onEnd); // a reset while waiting must not crash the process
  });
}

/** PROXY options of a binding: `common.proxy_protocol`/`proxy_allowed` when `apply_proxy_config`, else off. */
export function proxyOptionsFromConfig(common: { proxy_protocol: number; proxy_allowed: string[] }, applyProxyConfig: boolean): ProxyOptions {
  if (!applyProxyConfig || common.proxy_protocol === 0) return { mode: 0 };
  return { mode: common.proxy_protocol, allowed: cidrList(common.proxy_allowed) };
}
