/**
 * The one SSH connection of an SFTP backend instance: connected on first use, shared by every
 * call, re-established on the next call after the server or the network dropped it. The host
 * key is checked against the configured SHA256 fingerprints (one must match when any is set) and
 * against the loop guard; the client announces itself as `SSH-2.0-SFTPGo_<version>`. Private key
 * authentication is tried before the password.
 */
import { createHash } from 'node:crypto';
import { Client, type SFTPWrapper } from 'ssh2';
import { aborted, ErrorKind, failure, permissionDenied, SftpGoError, unavailable } from '../../util/errors.js';
import { VERSION } from '../../util/version.js';
import type { SftpBackendConfig } from './config.js';

/** SSH dial + handshake + auth limit (SFTPGo's dial timeout). */
const READY_TIMEOUT_MS = 10_000;

/** SFTPGo's message for a backend that would connect back to this server as an SFTP user. */
export const SFTP_LOOP_MESSAGE = 'SFTP loop or nested local SFTP folders detected';

/** `SHA256:<base64 without padding>` of a host key blob, as OpenSSH prints it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

interface Live {
  client: Client;
  sftp: SFTPWrapper;
}

/** Connection holder; `get()` returns a live SFTP channel. */
export class SftpSession {
  private live: Promise<Live> | undefined;
  private closed = false;

  constructor(private readonly cfg: SftpBackendConfig) {}

  /** A connected SFTP channel (connects or reconnects as needed); honours `signal` while waiting. */
  async get(signal?: AbortSignal): Promise<SFTPWrapper> {
    if (this.closed) throw failure('SFTP backend closed');
    this.live ??= this.connect();
    const live = this.live;
    live.catch(() => {
      if (this.live === live) this.live = undefined;
    });
    return (await raceSignal(live, signal)).sftp;
  }

  /** Ends the connection; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const live = this.live;
    this.live = undefined;
    const l = await live?.catch(() => undefined);
    l?.client.end();
  }

  private connect(): Promise<Live> {
    return new Promise<Live>((resolve, reject) => {
      const client = new Client();
      let rejection: SftpGoError | undefined;
      const fail = (err: unknown) => reject(rejection ?? unavailable(`SFTP backend ${this.cfg.host}:${this.cfg.port}: ${errText(err)}`, err));
      // Listeners stay for the client's whole life: an 'error' without one would crash the process.
      client.on('error', fail);
      const dropped = () => {
        if (this.live && !this.closed) this.live = undefined;
        fail(new Error('connection closed'));
      };
      client.once('close', dropped);
      client.once('ready', () => {
        client.sftp((err, sftp) => {
          if (err) {
            client.end();
            fail(err);
            return;
          }
          sftp.on('error', () => client.end());
          sftp.once('close', () => client.end());
          resolve({ client, sftp });
        });
      });
      client.connect({
        host: this.cfg.host, port: this.cfg.port, username: this.cfg.username,
        password: this.cfg.password, privateKey: this.cfg.privateKey,
        authHandler: [...(this.cfg.privateKey ? ['publickey' as const] : []), ...(this.cfg.password ? ['password' as const] : [])],
        ident: `SFTPGo_${VERSION}`, readyTimeout: READY_TIMEOUT_MS, keepaliveInterval: 30_000,
        hostVerifier: (key: Buffer) => {
          rejection = this.hostRejection(sha256Fingerprint(key));
          return rejection === undefined;
        },
      });
    });
  }

  /** Why this host key must be refused, or undefined when it is accepted. */
  private hostRejection(fp: string): SftpGoError | undefined {
    const guard = this.cfg.loopGuard;
    if (guard?.hostFingerprints.includes(fp) && guard.forbiddenUsernames.includes(this.cfg.username)) {
      return failure(SFTP_LOOP_MESSAGE);
    }
    if (this.cfg.fingerprints.length > 0 && !this.cfg.fingerprints.includes(fp)) {
      return permissionDenied(`SFTP backend host key ${fp} matches no configured fingerprint`);
    }
    return undefined;
  }
}

/** Rejects with Aborted as soon as `signal` fires (the underlying request is left to finish). */
export function raceSignal<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(aborted('operation aborted', signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted('operation aborted', signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** SFTP status codes (RFC draft-ietf-secsh-filexfer-02 §7) → error kinds. */
const STATUS_KINDS: Record<number, ErrorKind> = {
  2: ErrorKind.NotFound, 3: ErrorKind.PermissionDenied, 6: ErrorKind.Unavailable, 7: ErrorKind.Unavailable, 8: ErrorKind.NotSupported,
};

/** An SftpGoError for what an ssh2 SFTP callback returned. */
export function sftpError(err: unknown, what: string): SftpGoError {
  if (err instanceof SftpGoError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const kind = typeof code === 'number' ? (STATUS_KINDS[code] ?? ErrorKind.Failure) : ErrorKind.Failure;
  return new SftpGoError(kind, `${what}: ${errText(err)}`, { cause: err });
}

/** The SFTP status code of an ssh2 error (undefined for transport errors). */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
