/**
 * Data connection set-up: PASV, EPSV (RFC 2428), PORT, EPRT and ABOR. Passive replies advertise
 * `force_passive_ip` or the address the client reached; active mode is refused when disabled and
 * only towards the control client's own address (no FTP bounce, RFC 2577 §3).
 */
import { isIPv4 } from 'node:net';
import { errorKindOf, ErrorKind } from '../../../util/errors.js';
import { normalizeIp } from '../passive.js';
import { parseEprtArg, parsePortArg, pasvAddress } from '../parse.js';
import { Reply } from '../replies.js';
import type { CommandGroup, FtpSession } from '../types.js';

/** Opens a passive listener; a full range (or any listen failure) is 425, never a made-up code. */
async function openPassive(s: FtpSession): Promise<number | undefined> {
  try {
    return await s.data.passive();
  } catch (err) {
    const why = errorKindOf(err) === ErrorKind.Unavailable ? (err as Error).message : 'cannot listen';
    s.reply(Reply.CannotOpenData, `Cannot open passive connection: ${why}`);
    return undefined;
  }
}

async function pasv(s: FtpSession): Promise<void> {
  const ip = s.settings.binding.force_passive_ip || normalizeIp(s.remote.localIp ?? '');
  if (!isIPv4(ip)) return s.reply(Reply.CannotOpenData, 'PASV needs IPv4: use EPSV');
  const port = await openPassive(s);
  if (port !== undefined) s.reply(Reply.PassiveMode, `Entering Passive Mode ${pasvAddress(ip, port)}`);
}

async function epsv(s: FtpSession, arg: string): Promise<void> {
  const a = arg.trim().toUpperCase();
  if (a === 'ALL') return s.reply(Reply.CommandOk, 'EPSV ALL OK');
  const family = isIPv4(normalizeIp(s.remote.localIp ?? '')) ? '1' : '2';
  if (a && a !== family) return s.reply(Reply.NetworkProtocol, `Network protocol not supported, use (${family})`);
  const port = await openPassive(s);
  if (port !== undefined) s.reply(Reply.ExtendedPassiveMode, `Entering Extended Passive Mode (|||${port}|)`);
}

function active(s: FtpSession, target: { host: string; port: number }): void {
  if (!s.data.isPeer(target.host)) {
    return s.reply(Reply.SyntaxParams, 'Active mode data connections go only to the client address');
  }
  s.data.active(target.host, target.port);
  s.reply(Reply.CommandOk, 'Active mode data connection set');
}

/** Refuses PORT/EPRT when `disable_active_mode` is on. */
function activeAllowed(s: FtpSession): boolean {
  if (!s.settings.ftpd.disable_active_mode) return true;
  s.reply(Reply.NotImplemented, 'Active mode is disabled, use PASV or EPSV');
  return false;
}

export const DATA_COMMANDS: CommandGroup = {
  PASV: { run: pasv },
  EPSV: { run: epsv },
  PORT: { needsArg: true, run: (s, arg) => (activeAllowed(s) ? active(s, parsePortArg(arg)) : undefined) },
  EPRT: { needsArg: true, run: (s, arg) => (activeAllowed(s) ? active(s, parseEprtArg(arg.trim())) : undefined) },
  ABOR: {
    // The running transfer was stopped when the line arrived (session.onLine); this is the final reply.
    run(s) {
      s.data.reset();
      s.reply(Reply.TransferComplete, 'ABOR successful');
    },
  },
};
