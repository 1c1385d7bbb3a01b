/**
 * SITE commands when `enable_site` is on (INVENTORY §2.3, §3.4): CHMOD (setstat mode, `chmod`
 * permission and setstat_mode apply), SYMLINK, MKDIR (creates missing parents, each level checked
 * by the core), RMDIR (one empty directory). SITE CHOWN is refused as in SFTPGo.
 */
import { ErrorKind, errorKindOf, invalidInput, notSupported } from '../../../util/errors.js';
import { parentOf } from '../../../core/vpath.js';
import { Reply } from '../replies.js';
import { refuseDisabled, type CommandGroup, type FtpSession } from '../types.js';

/** `<first> <rest>` split at the first space. */
function two(arg: string, usage: string): [string, string] {
  const sp = arg.indexOf(' ');
  if (sp <= 0 || sp === arg.length - 1) throw invalidInput(`usage: SITE ${usage}`);
  return [arg.slice(0, sp), arg.slice(sp + 1)];
}

async function chmod(s: FtpSession, arg: string): Promise<void> {
  const [modeText, p] = two(arg, 'CHMOD <octal mode> <path>');
  if (!/^[0-7]{1,4}$/.test(modeText)) throw invalidInput(`invalid mode: ${modeText}`);
  const vpath = s.path(p);
  await s.conn().setStat(vpath, { mode: parseInt(modeText, 8) });
  s.reply(Reply.CommandOk, `SITE CHMOD OK: ${vpath}`);
}

async function symlink(s: FtpSession, arg: string): Promise<void> {
  const [target, link] = two(arg, 'SYMLINK <target> <link>');
  await s.conn().symlink(s.path(target), s.path(link));
  s.reply(Reply.CommandOk, `SITE SYMLINK OK: ${s.path(link)}`);
}

/** Creates `vpath` and its missing parents, top down. */
async function mkdirs(s: FtpSession, vpath: string): Promise<void> {
  const conn = s.conn();
  const exists = await conn.stat(vpath).then((i) => i.type === 'dir', (err: unknown) => {
    if (errorKindOf(err) === ErrorKind.NotFound) return false;
    throw err;
  });
  if (exists) return;
  if (parentOf(vpath) !== vpath) await mkdirs(s, parentOf(vpath));
  await conn.mkdir(vpath);
}

async function site(s: FtpSession, arg: string): Promise<void> {
  if (!s.settings.ftpd.enable_site) refuseDisabled(s, 'SITE commands are disabled (ftpd.enable_site)');
  const sp = arg.indexOf(' ');
  const sub = (sp < 0 ? arg : arg.slice(0, sp)).toUpperCase();
  const rest = sp < 0 ? '' : arg.slice(sp + 1);
  switch (sub) {
    case 'CHMOD': return chmod(s, rest);
    case 'SYMLINK': return symlink(s, rest);
    case 'MKDIR':
      if (!rest) throw invalidInput('usage: SITE MKDIR <path>');
      await mkdirs(s, s.path(rest));
      return s.reply(Reply.CommandOk, `SITE MKDIR OK: ${s.path(rest)}`);
    case 'RMDIR':
      if (!rest) throw invalidInput('usage: SITE RMDIR <path>');
      await s.conn().rmdir(s.path(rest));
      return s.reply(Reply.CommandOk, `SITE RMDIR OK: ${s.path(rest)}`);
    case 'CHOWN':
      throw notSupported('not supported: SITE CHOWN');
    case 'HELP':
      return s.reply(Reply.Help, ['SITE commands:', ' CHMOD SYMLINK MKDIR RMDIR HELP', 'End']);
    default:
      throw notSupported(`not supported: SITE ${sub}`);
  }
}

export const SITE_COMMANDS: CommandGroup = {
  SITE: { needsArg: true, run: site },
};
