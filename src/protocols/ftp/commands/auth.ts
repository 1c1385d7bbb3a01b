/**
 * Login and security commands: USER, PASS (INVENTORY §3.4 login paths, TLS client certificates
 * with `tls_username`), AUTH TLS, PBSZ, PROT (RFC 4217), CCC. Logins go only through the core
 * (`auth.login`, then `connections.open` with protocol FTP).
 */
import type { Credentials } from '../../../core/index.js';
import { Reply } from '../replies.js';
import type { CommandGroup, FtpSession } from '../types.js';

/** tls_mode 1: commands carrying credentials need a TLS control channel. */
function tlsMissing(s: FtpSession): boolean {
  return s.settings.binding.tls_mode === 1 && !s.control.secure;
}

/** Runs the core login and opens the session's connection; any failure is a generic 530. */
async function login(s: FtpSession, username: string, credentials: Credentials): Promise<void> {
  try {
    const { user, loginMethod } = await s.core.auth.login({ protocol: 'FTP', username, credentials, remote: s.remote });
    const conn = await s.core.connections.open({
      protocol: 'FTP', user, remote: s.remote, clientVersion: s.state.clientVersion, idHint: s.idHint,
      onClose: (reason) => void s.close(reason),
      isBusy: () => s.activeTransfer !== undefined,
    });
    s.loggedIn(conn, loginMethod);
    s.reply(Reply.LoggedIn, 'User logged in, proceed');
  } catch (err) {
    s.logger.debug({ username, err: (err as Error).message }, 'FTP login failed');
    s.reply(Reply.NotLoggedIn, 'Authentication failed');
  }
}

export const AUTH_COMMANDS: CommandGroup = {
  USER: {
    open: true, needsArg: true,
    async run(s, arg) {
      if (s.connection) return s.reply(Reply.BadSequence, 'Already logged in');
      if (tlsMissing(s)) return s.reply(Reply.NotLoggedIn, 'TLS is required on this server: use AUTH TLS');
      s.state.pendingUser = arg;
      // A verified client certificate whose CN is the user logs in without a password when allowed.
      const cert = s.peerCertificate();
      if (cert && (await s.core.auth.checkTlsCertificate('FTP', arg, cert, s.remote))) {
        s.state.pendingUser = undefined;
        return login(s, arg, { method: 'TLSCertificate', certificate: cert });
      }
      s.reply(Reply.NeedPassword, `User ${arg} OK, password required`);
    },
  },
  PASS: {
    open: true,
    async run(s, arg) {
      if (s.connection) return s.reply(Reply.BadSequence, 'Already logged in');
      const username = s.state.pendingUser;
      if (username === undefined) return s.reply(Reply.BadSequence, 'Login with USER first');
      s.state.pendingUser = undefined;
      if (tlsMissing(s)) return s.reply(Reply.NotLoggedIn, 'TLS is required on this server: use AUTH TLS');
      const cert = s.peerCertificate();
      await login(s, username, cert ? { method: 'TLSCertificate', certificate: cert, password: arg } : { method: 'password', password: arg });
    },
  },
  AUTH: {
    open: true, needsArg: true,
    async run(s, arg) {
      if (!s.settings.tls) return s.reply(Reply.NotImplemented, 'AUTH is not available: no TLS certificate configured');
      if (s.control.secure) return s.reply(Reply.BadSequence, 'The control connection is already protected by TLS');
      const mech = arg.trim().toUpperCase();
      if (!['TLS', 'SSL', 'TLS-C', 'TLS-P'].includes(mech)) return s.reply(Reply.NotImplementedParam, `AUTH ${mech} is not supported`);
      // 234 and the TLS wrap happen in the same tick: the channel holds the socket until then.
      s.reply(Reply.AuthOk, `AUTH ${mech} OK, starting TLS`);
      await s.startTls();
    },
  },
  PBSZ: {
    open: true, needsArg: true,
    run(s, arg) {
      if (!s.control.secure) return s.reply(Reply.BadSequence, 'PBSZ requires a TLS control connection (AUTH TLS)');
      s.state.pbsz = true;
      // RFC 4217 §9: TLS needs no buffer size; any value is answered with PBSZ=0.
      s.reply(Reply.CommandOk, arg.trim() === '0' ? 'PBSZ=0' : 'PBSZ=0 (buffer size not used with TLS)');
    },
  },
  PROT: {
    open: true, needsArg: true,
    run(s, arg) {
      if (!s.control.secure) return s.reply(Reply.BadSequence, 'PROT requires a TLS control connection (AUTH TLS)');
      const level = arg.trim().toUpperCase();
      if (level === 'P') {
        s.state.prot = 'P';
        return s.reply(Reply.CommandOk, 'PROT P OK, data connections are protected');
      }
      if (level === 'C') {
        if (s.settings.binding.tls_mode === 1) return s.reply(Reply.PolicyDenied, 'Clear data connections are not allowed on this server');
        s.state.prot = 'C';
        return s.reply(Reply.CommandOk, 'PROT C OK, data connections are clear');
      }
      if (level === 'S' || level === 'E') return s.reply(Reply.ProtNotSupported, `PROT ${level} is not supported`);
      s.reply(Reply.NotImplementedParam, `Unknown protection level: ${level}`);
    },
  },
  CCC: {
    open: true,
    run(s) {
      s.reply(Reply.PolicyDenied, 'CCC is not supported: the control connection stays protected');
    },
  },
};
