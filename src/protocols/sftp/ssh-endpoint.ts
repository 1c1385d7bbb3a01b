/**
 * Builds ssh2 server-side clients directly instead of through `ssh2.Server`. The public Server
 * always adds `ssh-rsa` (SHA-1) to the host key algorithms of an RSA key, even when the configured
 * list leaves it out (lib/server.js gives it the lowest priority instead of dropping it), and the
 * KEXINIT it builds is private. So the offer and the host key table are built here, the same way
 * Server does it minus SHA-1, and each admitted socket gets an `IncomingClient` (exported by
 * lib/server.js). Both internals are stable within the pinned ssh2 1.17; `ssh-endpoint.test.ts`
 * and the host key integration test fail loudly if they change.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ClientInfo, Connection as Ssh2Connection, ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';
import * as kex from 'ssh2/lib/protocol/kex.js';
import * as server from 'ssh2/lib/server.js';
import type { Algorithms } from './algorithms.js';

type KexInitCtor = new (algorithms: unknown) => unknown;
type IncomingClientCtor = new (
  socket: Socket, hostKeys: Record<string, ParsedKey>, ident: Buffer | undefined, offer: unknown,
  debug: undefined, server: EventEmitter, cfg: { banner?: string },
) => Ssh2Connection;
const KexInit = kex.KexInit as KexInitCtor;
const IncomingClient = server.IncomingClient as unknown as IncomingClientCtor;

/** RSA keys sign with SHA-2 only (RFC 8332); other keys with their own algorithm. */
const RSA_SIGNATURES = ['rsa-sha2-512', 'rsa-sha2-256'];

/** Host keys, algorithms and banners of the endpoint. */
export interface EndpointOptions {
  /** Private host keys as ssh2 reads them. */
  hostKeys: Buffer[];
  algorithms: Algorithms;
  /** Identification after "SSH-2.0-". */
  ident: string;
  /** Login banner sent before authentication. */
  banner?: string;
}

/** Creates ssh2 clients for admitted sockets with our offer. */
export class SshEndpoint {
  private readonly keys: Record<string, ParsedKey> = Object.create(null) as Record<string, ParsedKey>;
  private readonly offer: unknown;

  constructor(private readonly opts: EndpointOptions) {
    const order: string[] = [];
    for (const raw of opts.hostKeys) {
      const parsed = ssh2.utils.parseKey(raw);
      if (parsed instanceof Error) throw new Error(`cannot parse host key: ${parsed.message}`);
      const key = Array.isArray(parsed) ? parsed[0]! : parsed;
      const names = key.type === 'ssh-rsa' ? RSA_SIGNATURES : [key.type];
      for (const n of names.filter((x) => opts.algorithms.serverHostKey.includes(x) && !order.includes(x))) {
        this.keys[n] = key;
        order.push(n);
      }
    }
    if (order.length === 0) throw new Error('sftpd: no host key usable with the offered algorithms');
    const a = opts.algorithms;
    const dir = { cipher: a.cipher, mac: a.hmac, compress: a.compress, lang: [] };
    // kex-strict-s-v00@openssh.com: strict key exchange (the Terrapin fix), as ssh2's Server adds it.
    this.offer = new KexInit({ kex: [...a.kex, 'kex-strict-s-v00@openssh.com'], serverHostKey: order, cs: dir, sc: dir });
  }

  /** Host key algorithms offered, in order (tests). */
  hostKeyAlgorithms(): string[] {
    return Object.keys(this.keys);
  }

  /**
   * Starts the SSH protocol on `socket`; `onClient` runs once the client's identification arrived
   * (ssh2's "connection" event), with the ssh2 client and the header it sent.
   */
  accept(socket: Socket, onClient: (client: Ssh2Connection, info: ClientInfo) => void): void {
    const events = new EventEmitter();
    events.once('connection', onClient);
    new IncomingClient(socket, this.keys, Buffer.from(this.opts.ident), this.offer, undefined, events, { banner: this.opts.banner });
  }
}
