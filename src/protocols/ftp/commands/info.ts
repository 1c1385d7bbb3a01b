/**
 * Session and server information commands: FEAT (RFC 2389; advertises only what is implemented),
 * OPTS, SYST, NOOP, CLNT, QUIT, TYPE/MODE/STRU (RFC 959), ALLO, AVBL, STAT.
 */
import { invalidInput, quotaExceeded } from '../../../util/errors.js';
import { mlstFeature, selectFacts } from '../listing.js';
import { Reply } from '../replies.js';
import { HASH_NAMES, type CommandGroup, type FtpSession } from '../types.js';
import { statPath } from './listing-cmds.js';

/** FEAT lines for this session (AUTH only with a certificate and outside implicit mode). */
export function features(s: FtpSession): string[] {
  const f: string[] = ['AVBL', 'CLNT', 'EPSV', 'MDTM', 'MFMT', mlstFeature(s.state.facts), 'REST STREAM', 'SIZE', 'TVFS', 'UTF8'];
  if (!s.settings.ftpd.disable_active_mode) f.push('EPRT');
  if (s.settings.tls && s.settings.binding.tls_mode !== 2) f.push('AUTH TLS');
  if (s.settings.tls) f.push('PBSZ', 'PROT');
  if (s.settings.ftpd.hash_support === 1) {
    f.push(`HASH ${Object.keys(HASH_NAMES).map((n) => (n === s.state.hashAlgo ? `${n}*` : n)).join(';')}`);
    f.push('XCRC', 'MD5', 'XMD5', 'XSHA', 'XSHA1', 'XSHA256', 'XSHA512');
  }
  if (s.settings.ftpd.combine_support === 1) f.push('COMB');
  if (s.settings.ftpd.enable_site) f.push('SITE CHMOD', 'SITE SYMLINK', 'SITE MKDIR', 'SITE RMDIR');
  return f.sort();
}

function opts(s: FtpSession, arg: string): void {
  const sp = arg.indexOf(' ');
  const name = (sp < 0 ? arg : arg.slice(0, sp)).toUpperCase();
  const value = sp < 0 ? '' : arg.slice(sp + 1).trim();
  switch (name) {
    case 'UTF8':
    case 'UTF-8':
      if (value.toUpperCase() === 'OFF') return s.reply(Reply.NotImplementedParam, 'UTF8 cannot be turned off');
      return s.reply(Reply.CommandOk, 'UTF8 mode enabled');
    case 'MLST':
      s.state.facts = selectFacts(value);
      return s.reply(Reply.CommandOk, `MLST OPTS ${[...s.state.facts].map((f) => `${f};`).join('')}`);
    case 'HASH':
      if (!value) return s.reply(Reply.CommandOk, s.state.hashAlgo);
      if (s.settings.ftpd.hash_support !== 1 || !HASH_NAMES[value.toUpperCase()]) return s.reply(Reply.SyntaxParams, `Unknown hash algorithm: ${value}`);
      s.state.hashAlgo = value.toUpperCase();
      return s.reply(Reply.CommandOk, s.state.hashAlgo);
    default:
      return s.reply(Reply.SyntaxParams, `Unknown option: ${name}`);
  }
}

function type(s: FtpSession, arg: string): void {
  const t = arg.trim().toUpperCase().replace(/\s+/g, ' ');
  if (t === 'I' || t === 'L 8') {
    s.state.type = 'I';
    return s.reply(Reply.CommandOk, 'Type set to I (binary)');
  }
  if (t === 'A' || t === 'A N') {
    s.state.type = 'A';
    return s.reply(Reply.CommandOk, 'Type set to A (ASCII)');
  }
  s.reply(Reply.NotImplementedParam, `Type ${arg} is not supported`);
}

/** STAT without argument: 211 with the session status (RFC 959 §4.1.3). */
function serverStatus(s: FtpSession): void {
  const c = s.connection;
  s.reply(Reply.SystemStatus, [
    `${s.settings.statusBanner} status:`,
    `Connected to ${s.remote.ip}`,
    c ? `Logged in as ${c.user.username}` : 'Not logged in',
    `TYPE: ${s.state.type === 'A' ? 'ASCII' : 'BINARY'}, MODE: Stream, STRU: File`,
    `Control connection ${s.control.secure ? 'protected by TLS' : 'in clear'}, data connections ${s.state.prot === 'P' ? 'protected' : 'in clear'}`,
    s.activeTransfer ? 'A data transfer is in progress' : 'No data transfer in progress',
    'End of status',
  ]);
}

export const INFO_COMMANDS: CommandGroup = {
  FEAT: { open: true, run: (s) => s.reply(Reply.SystemStatus, ['Features:', ...features(s).map((f) => ` ${f}`), 'End']) },
  OPTS: { open: true, needsArg: true, run: opts },
  SYST: { open: true, run: (s) => s.reply(Reply.SystemType, 'UNIX Type: L8') },
  NOOP: { open: true, run: (s) => s.reply(Reply.CommandOk, 'NOOP ok') },
  CLNT: {
    open: true, needsArg: true,
    run(s, arg) {
      s.state.clientVersion = arg.trim();
      if (s.connection) s.connection.clientVersion = s.state.clientVersion;
      s.reply(Reply.CommandOk, 'Client name noted');
    },
  },
  QUIT: {
    open: true,
    run(s) {
      s.reply(Reply.Closing, 'Goodbye');
      s.quit();
    },
  },
  TYPE: { open: true, needsArg: true, run: type },
  MODE: {
    needsArg: true,
    run: (s, arg) => (arg.trim().toUpperCase() === 'S' ? s.reply(Reply.CommandOk, 'Mode set to S') : s.reply(Reply.NotImplementedParam, 'Only stream mode is supported')),
  },
  STRU: {
    needsArg: true,
    run: (s, arg) => (arg.trim().toUpperCase() === 'F' ? s.reply(Reply.CommandOk, 'Structure set to F') : s.reply(Reply.NotImplementedParam, 'Only file structure is supported')),
  },
  ALLO: {
    needsArg: true,
    async run(s, arg) {
      const m = /^(\d+)/.exec(arg.trim());
      if (!m) throw invalidInput(`invalid ALLO size: ${arg}`);
      const avail = await s.conn().availableSpace(s.state.cwd);
      if (Number(m[1]) > avail) throw quotaExceeded();
      s.reply(Reply.CommandOk, 'ALLO OK: enough space for the upload');
    },
  },
  AVBL: {
    async run(s, arg) {
      const avail = await s.conn().availableSpace(s.path(arg));
      s.reply(Reply.FileStatus, String(avail));
    },
  },
  STAT: {
    open: true,
    async run(s, arg) {
      if (!arg.trim()) return serverStatus(s);
      if (!s.connection) return s.reply(Reply.NotLoggedIn, 'Please login with USER and PASS');
      await statPath(s, arg);
    },
  },
};
