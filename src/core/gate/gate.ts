/**
 * Pre-auth admission of a client (INVENTORY §3.1 pre-checks, §4.11): count the client for its IP,
 * defender ban, max_total_connections / max_per_host_connections (a defender limit event when a
 * host exceeds its share), rate limiters, post-connect hook. Every refusal releases the slot.
 */
import type { Logger } from 'pino';
import type { CommonConfig } from '../../config/types.js';
import type { SupportedProtocol } from '../../dataprovider/models.js';
import { permissionDenied, RateLimitedError, unavailable } from '../../util/errors.js';
import type { AcceptOptions, ConnectionGate, Defender } from '../types.js';
import type { RateLimiters } from '../ratelimit/ratelimiter.js';

export interface GateDeps {
  config: CommonConfig;
  defender: Defender;
  limiters: RateLimiters;
  logger: Logger;
  /** Runs the post-connect hook; throws to reject. Absent when no hook is configured. */
  postConnect?: (ip: string, protocol: SupportedProtocol) => Promise<void>;
  /**
   * Established protocol connections on this node (the connection registry). One SSH client may
   * hold several (SFTP channels, commands), so max_total_connections checks them too, as SFTPGo does.
   */
  establishedConnections?: () => number;
}

export class Gate implements ConnectionGate {
  private readonly perHost = new Map<string, number>();
  private total = 0;

  constructor(private readonly deps: GateDeps) {}

  /** Clients currently admitted (all hosts). */
  get activeClients(): number {
    return this.total;
  }

  clientsFrom(ip: string): number {
    return this.perHost.get(ip) ?? 0;
  }

  async accept(ip: string, protocol: SupportedProtocol, opts: AcceptOptions = {}): Promise<() => void> {
    const release = this.add(ip);
    try {
      await this.check(ip, protocol);
      if (opts.postConnect !== false) await this.postConnect(ip, protocol);
    } catch (err) {
      release();
      this.deps.logger.debug({ sender: 'gate', client_ip: ip, protocol, err: (err as Error).message }, 'connection refused');
      throw err;
    }
    return release;
  }

  private add(ip: string): () => void {
    this.perHost.set(ip, (this.perHost.get(ip) ?? 0) + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const n = (this.perHost.get(ip) ?? 1) - 1;
      if (n <= 0) this.perHost.delete(ip);
      else this.perHost.set(ip, n);
    };
  }

  private async check(ip: string, protocol: SupportedProtocol): Promise<void> {
    const { config, defender, limiters } = this.deps;
    // SFTPGo's order on every protocol: connection limits, then the ban, then the rate limiters.
    const max = config.max_total_connections;
    const established = this.deps.establishedConnections?.() ?? 0;
    if (max > 0 && (this.total > max || established >= max)) {
      throw unavailable(`too many open connections: ${Math.max(this.total - 1, established)}/${max}`);
    }
    const fromHost = this.perHost.get(ip) ?? 0;
    if (config.max_per_host_connections > 0 && fromHost > config.max_per_host_connections) {
      defender.addEvent(ip, 'limit_exceeded');
      throw unavailable(`too many open connections from ${ip}: ${fromHost - 1}/${config.max_per_host_connections}`);
    }
    if (defender.isBanned(ip)) throw permissionDenied(`host ${ip} is banned`);
    const rate = await limiters.allow(protocol, ip);
    if (!rate.allowed) {
      const wait = (rate.retryAfterMs / 1000).toFixed(3);
      throw new RateLimitedError(`rate limit exceeded for ${ip} (${protocol}): the rate needs a wait of ${wait}s`, rate.retryAfterMs);
    }
  }

  async postConnect(ip: string, protocol: SupportedProtocol): Promise<void> {
    if (this.deps.postConnect) {
      try {
        await this.deps.postConnect(ip, protocol);
      } catch (err) {
        throw permissionDenied(`connection from ${ip} rejected by the post-connect hook`, err);
      }
    }
  }
}
