/**
 * IP address and CIDR matching shared by the defender lists, user IP filters, the PROXY protocol
 * allow list and the gate. IPv4-mapped IPv6 addresses (::ffff:1.2.3.4, what Node reports on
 * dual-stack sockets) are matched as IPv4.
 */
import ipaddr from 'ipaddr.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Addr, number];

/** Parses an IP (IPv4-mapped IPv6 normalized to IPv4); undefined when unparsable. */
export function parseIp(ip: string): Addr | undefined {
  try {
    return ipaddr.process(ip.trim());
  } catch {
    return undefined;
  }
}

/** Parses a CIDR or a bare IP (as a host route); undefined when unparsable. */
export function parseCidr(cidr: string): Range | undefined {
  const text = cidr.trim();
  try {
    if (text.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(text);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
        return [(addr as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)];
      }
      return [addr, bits];
    }
    const addr = ipaddr.process(text);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** True when `addr` is inside `range` (different families never match). */
export function inRange(addr: Addr, range: Range): boolean {
  if (addr.kind() !== range[0].kind()) return false;
  return addr.match(range as [never, number]);
}

/** A set of addresses plus networks, as the defender safelist/blocklist files hold. */
export class IpList {
  private readonly addresses = new Set<string>();
  private readonly networks: Range[] = [];

  /** Invalid entries are reported through `onInvalid` and skipped. */
  constructor(addresses: string[] = [], networks: string[] = [], onInvalid?: (entry: string) => void) {
    for (const a of addresses) {
      const p = parseIp(a);
      if (p) this.addresses.add(p.toNormalizedString());
      else onInvalid?.(a);
    }
    for (const n of networks) {
      const r = parseCidr(n);
      if (r) this.networks.push(r);
      else onInvalid?.(n);
    }
  }

  get size(): number {
    return this.addresses.size + this.networks.length;
  }

  has(ip: string): boolean {
    const addr = parseIp(ip);
    if (!addr) return false;
    if (this.addresses.has(addr.toNormalizedString())) return true;
    return this.networks.some((r) => inRange(addr, r));
  }
}

/** Builds a list from CIDRs/IPs mixed (proxy_allowed, user filters); throws on the first invalid entry. */
export function cidrList(entries: string[]): IpList {
  const bad: string[] = [];
  const list = new IpList([], entries, (e) => bad.push(e));
  if (bad.length) throw new Error(`invalid IP/CIDR: ${bad.join(', ')}`);
  return list;
}
