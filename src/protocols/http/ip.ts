/**
 * Client IP helpers: CIDR allow lists (admin filters.allow_list, httpd proxy_allowed) and the real
 * client IP from proxy headers, trusted only from proxy_allowed sources (INVENTORY §3.6).
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Normalizes an IPv4-mapped IPv6 address ("::ffff:1.2.3.4" -> "1.2.3.4"). */
export function normalizeIp(ip: string): string {
  try {
    const addr = ipaddr.parse(ip);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address().toString();
    return addr.toString();
  } catch {
    return ip;
  }
}

/** True when `ip` is inside one of the CIDRs (or equals a plain IP entry). */
export function ipInList(ip: string, list: readonly string[]): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(normalizeIp(ip));
  } catch {
    return false;
  }
  return list.some((entry) => {
    try {
      const [range, bits] = entry.includes('/') ? ipaddr.parseCIDR(entry) : [ipaddr.parse(entry), undefined];
      if (range.kind() !== addr.kind()) return false;
      if (bits === undefined) return range.toString() === addr.toString();
      return addr.match(range, bits);
    } catch {
      return false;
    }
  });
}

/**
 * True when the string is a valid IPv4 (dotted quad) or IPv6 address. Legacy forms ipaddr.js
 * accepts ("1.2.3", "0x7f.1") are refused, as Go's net.ParseIP refuses them.
 */
export function isIp(value: string): boolean {
  return isIP(value) !== 0;
}

const REAL_IP_HEADERS = ['x-real-ip', 'true-client-ip', 'cf-connecting-ip'];

/** Client IP: proxy headers only when the peer is a trusted proxy. */
export function realIp(peer: string, headers: Record<string, string | string[] | undefined>, proxyAllowed: readonly string[]): string {
  const ip = normalizeIp(peer);
  if (proxyAllowed.length === 0 || !ipInList(ip, proxyAllowed)) return ip;
  for (const h of REAL_IP_HEADERS) {
    const v = headers[h];
    if (typeof v === 'string' && isIp(v.trim())) return normalizeIp(v.trim());
  }
  const xff = headers['x-forwarded-for'];
  const first = typeof xff === 'string' ? xff.split(',')[0]?.trim() : undefined;
  return first && isIp(first) ? normalizeIp(first) : ip;
}
