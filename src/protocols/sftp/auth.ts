/**
 * SSH user authentication for one client (INVENTORY §3.1): publickey (plain keys and CA-signed
 * user certificates), password, keyboard-interactive through its hook, and the multi-step
 * `publickey+password` / `publickey+keyboard-interactive` logins (a valid key gives partial success
 * when every method the user may use is multi-step). Every decision goes through the core's
 * `AuthService`; this module only speaks ssh2's auth contexts.
 */
import type { Logger } from 'pino';
import type {
  AuthContext, AuthenticationType, KeyboardAuthContext, PasswordAuthContext, PublicKeyAuthContext,
} from 'ssh2';
import ssh2 from 'ssh2';
import type { CoreServices } from '../../app/context.js';
import type { Credentials, KeyboardInteractiveIO, LoginResult, RemoteInfo } from '../../core/types.js';
import type { DataService } from '../../dataprovider/service-types.js';
import { checkCertificate, isCertificateAlgo, parseCertificate } from './certs.js';
import { verifySshSignature } from './ssh-wire.js';

/** Server-wide auth settings, computed once at start. */
export interface AuthSettings {
  /** Failed attempts before disconnecting (Infinity = unlimited). */
  maxTries: number;
  passwordAuth: boolean;
  keyboardInteractive: boolean;
  /** Trusted user CA public keys (wire blobs). */
  trustedCAs: Buffer[];
}

/** What one client's authenticator needs. */
export interface AuthenticatorDeps {
  core: CoreServices;
  data: DataService;
  settings: AuthSettings;
  remote: RemoteInfo;
  logger: Logger;
  /** Called when max_auth_tries is reached (the connection is then closed). */
  onTooManyFailures(): void;
}

/** Max tries as configured: 0 → 6 (SFTPGo's default), negative → unlimited. */
export function maxAuthTries(configured: number): number {
  if (configured === 0) return 6;
  return configured < 0 ? Infinity : configured;
}

/** Authenticates one SSH connection; `result` is set once a login succeeded. */
export class SshAuthenticator {
  result?: LoginResult;
  /** True once the client tried any real method (else the close is a "no auth" event). */
  attempted = false;
  private failures = 0;
  private keyFailureRecorded = false;
  /** The key (or user certificate) that gave partial success, bound to its username. */
  private partial?: { username: string; key: Buffer; certificate: boolean };
  /** Keyboard-interactive prompts waiting for answers (failed when the client goes away). */
  private readonly pendingPrompts = new Set<(err: Error) => void>();

  constructor(private readonly d: AuthenticatorDeps) {}

  /** Methods offered to the client now. */
  methods(): AuthenticationType[] {
    const s = this.d.settings;
    const out: AuthenticationType[] = this.partial ? [] : ['publickey'];
    if (s.passwordAuth) out.push('password');
    if (s.keyboardInteractive) out.push('keyboard-interactive');
    return out;
  }

  /** The client disconnected: pending keyboard-interactive prompts fail, so their hook stops now. */
  abort(): void {
    for (const reject of this.pendingPrompts) reject(new Error('client disconnected'));
    this.pendingPrompts.clear();
  }

  /** Handles one auth request; never throws. */
  async handle(actx: AuthContext): Promise<void> {
    if (actx.method !== 'none') this.attempted = true;
    try {
      switch (actx.method) {
        case 'none': return actx.reject(this.methods());
        case 'password': return await this.password(actx);
        case 'publickey': return await this.publicKey(actx);
        case 'keyboard-interactive': return await this.keyboardInteractive(actx);
        default: return this.fail(actx);
      }
    } catch (err) {
      this.d.logger.debug({ err, username: actx.username }, 'ssh authentication error');
      this.fail(actx);
    }
  }

  private async password(actx: PasswordAuthContext): Promise<void> {
    if (!this.d.settings.passwordAuth) return this.fail(actx);
    const first = this.partialKey(actx.username);
    if (first === null) return this.fail(actx);
    const credentials: Credentials = first
      ? { method: 'publickey+password', publicKey: first.key, password: actx.password, ...certOf(first) }
      : { method: 'password', password: actx.password };
    await this.login(actx, credentials);
  }

  private async keyboardInteractive(actx: KeyboardAuthContext): Promise<void> {
    if (!this.d.settings.keyboardInteractive) return this.fail(actx);
    const first = this.partialKey(actx.username);
    if (first === null) return this.fail(actx);
    const io: KeyboardInteractiveIO = {
      prompt: (instruction, questions) => new Promise((resolve, reject) => {
        this.pendingPrompts.add(reject);
        actx.prompt(questions.map((q) => ({ prompt: q.prompt, echo: q.echo })), '', instruction, (answers: string[] | Error) => {
          this.pendingPrompts.delete(reject);
          if (answers instanceof Error) reject(answers);
          else resolve(answers);
        });
      }),
    };
    const credentials: Credentials = first
      ? { method: 'publickey+keyboard-interactive', publicKey: first.key, answers: io, ...certOf(first) }
      : { method: 'keyboard-interactive', answers: io };
    await this.login(actx, credentials);
  }

  private async publicKey(actx: PublicKeyAuthContext): Promise<void> {
    if (this.partial) return this.fail(actx);
    if (isCertificateAlgo(actx.key.algo)) return this.certificate(actx);
    const { data } = actx.key;
    const pkOk = await this.d.core.auth.checkPublicKey('SSH', actx.username, data, this.d.remote);
    if (!actx.signature || !actx.blob) return pkOk ? actx.accept() : this.fail(actx);
    if (!verifyKeySignature(data, actx)) return this.fail(actx);
    if (!pkOk) return this.keyRefused(actx, { method: 'publickey', publicKey: data });
    if (await this.partialSuccess(actx, data, false)) return;
    await this.login(actx, { method: 'publickey', publicKey: data });
  }

  /** User certificates: checked here (CA, principals, validity, source-address), then a normal login. */
  private async certificate(actx: PublicKeyAuthContext): Promise<void> {
    const cert = parseCertificate(actx.key.data);
    const why = cert
      ? checkCertificate(cert, actx.username, this.d.remote.ip, this.d.settings.trustedCAs, Date.now() / 1000)
      : 'malformed certificate';
    if (why || !cert) {
      this.d.logger.debug({ username: actx.username, reason: why }, 'certificate refused');
      return this.fail(actx);
    }
    if (!actx.signature || !actx.blob) return actx.accept();
    if (!verifySshSignature(cert.publicKey, actx.blob, actx.signature)) return this.fail(actx);
    // As SFTPGo: a trusted certificate stands for the key in multi-step logins too.
    if (await this.partialSuccess(actx, actx.key.data, true)) return;
    await this.login(actx, { method: 'publickey', publicKey: actx.key.data, certificate: actx.key.data });
  }

  /**
   * After a verified key or certificate: when the user needs a second factor, answers partial
   * success with the methods left (or fails when none is enabled) and returns true.
   */
  private async partialSuccess(actx: PublicKeyAuthContext, key: Buffer, certificate: boolean): Promise<boolean> {
    const second = await this.secondFactor(actx.username);
    if (!second) return false;
    if (second.length === 0) {
      this.fail(actx);
      return true;
    }
    this.partial = { username: actx.username, key, certificate };
    actx.reject(second, true);
    return true;
  }

  /**
   * Methods left after a valid key when every method the user may use is multi-step; undefined
   * when one step is enough. The user was stored by the key check (hooks included).
   */
  private async secondFactor(username: string): Promise<AuthenticationType[] | undefined> {
    const user = await this.d.data.getUser(username).catch(() => undefined);
    const sf = user ? this.d.core.auth.requiresSecondFactor(user) : null;
    if (!sf) return undefined;
    const out: AuthenticationType[] = [];
    if (sf.password && this.d.settings.passwordAuth) out.push('password');
    if (sf.keyboardInteractive && this.d.settings.keyboardInteractive) out.push('keyboard-interactive');
    return out;
  }

  /** The partial-success key for this username; null when the username changed midway. */
  private partialKey(username: string): { key: Buffer; certificate: boolean } | undefined | null {
    if (!this.partial) return undefined;
    return this.partial.username === username ? this.partial : null;
  }

  /**
   * A refused key: the full login runs once per connection so the failure is logged and scored
   * (SFTPGo scores at most one public key failure per connection).
   */
  private async keyRefused(actx: PublicKeyAuthContext, credentials: Credentials): Promise<void> {
    if (this.keyFailureRecorded) return this.fail(actx);
    this.keyFailureRecorded = true;
    await this.login(actx, credentials);
  }

  private async login(actx: AuthContext, credentials: Credentials): Promise<void> {
    try {
      this.result = await this.d.core.auth.login({ protocol: 'SSH', username: actx.username, credentials, remote: this.d.remote });
    } catch (err) {
      this.d.logger.debug({ err, username: actx.username, method: credentials.method }, 'ssh login refused');
      return this.fail(actx);
    }
    actx.accept();
  }

  private fail(actx: AuthContext): void {
    this.failures++;
    if (this.failures >= this.d.settings.maxTries) {
      // No failure reply: the client would try its next method before the disconnect arrives.
      this.d.onTooManyFailures();
      return;
    }
    actx.reject(this.methods(), !!this.partial);
  }
}

/** The certificate field of second-step credentials when the first step was a user certificate. */
function certOf(first: { key: Buffer; certificate: boolean }): { certificate?: Buffer } {
  return first.certificate ? { certificate: first.key } : {};
}

/** Verifies the session signature of a plain public key (ssh2 already converted it for OpenSSL). */
function verifyKeySignature(data: Buffer, actx: PublicKeyAuthContext): boolean {
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) return false;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key?.verify(actx.blob!, actx.signature!, actx.hashAlgo) === true;
}
