/**
 * Directory navigation and directory commands (RFC 959, with the RFC 775 X* aliases): PWD, CWD,
 * CDUP, MKD, RMD. Replies name virtual paths only; 257 paths use quote doubling.
 */
import { failure } from '../../../util/errors.js';
import { parentOf } from '../../../core/vpath.js';
import { quotePath, Reply } from '../replies.js';
import type { CommandGroup, FtpCommand, FtpSession } from '../types.js';

async function changeDir(s: FtpSession, vpath: string): Promise<void> {
  const info = await s.conn().stat(vpath);
  if (info.type !== 'dir') throw failure(`not a directory: ${vpath}`);
  s.state.cwd = vpath;
  s.reply(Reply.FileActionOk, `Directory changed to ${vpath}`);
}

const pwd: FtpCommand = { run: (s) => s.reply(Reply.PathCreated, `${quotePath(s.state.cwd)} is the current directory`) };
const cwd: FtpCommand = { needsArg: true, run: (s, arg) => changeDir(s, s.path(arg)) };
const cdup: FtpCommand = { run: (s) => changeDir(s, parentOf(s.state.cwd)) };

const mkd: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    const vpath = s.path(arg);
    await s.conn().mkdir(vpath);
    s.reply(Reply.PathCreated, `${quotePath(vpath)} directory created`);
  },
};

const rmd: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    const vpath = s.path(arg);
    await s.conn().rmdir(vpath);
    s.reply(Reply.FileActionOk, `Directory ${vpath} removed`);
  },
};

export const NAV_COMMANDS: CommandGroup = {
  PWD: pwd, XPWD: pwd, CWD: cwd, XCWD: cwd, CDUP: cdup, XCUP: cdup, MKD: mkd, XMKD: mkd, RMD: rmd, XRMD: rmd,
};
