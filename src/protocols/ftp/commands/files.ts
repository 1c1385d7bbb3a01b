/**
 * File commands: RETR, STOR, APPE with REST (RFC 3659 §5 "REST STREAM"), DELE, RNFR/RNTO, SIZE,
 * MDTM (query, and the set form `MDTM <time> <path>` some clients send), MFMT
 * (draft-somers-ftp-mfxx). Times may carry fractions. Permissions, quota and patterns come from
 * the core connection.
 */
import type { OpenUploadOptions } from '../../../core/index.js';
import { failure, invalidInput } from '../../../util/errors.js';
import { formatTimeVal, splitTimeAndPath } from '../parse.js';
import { Reply } from '../replies.js';
import { checkDataReady, receiveFile, sendFile } from '../transfer.js';
import type { CommandGroup, FtpCommand, FtpSession } from '../types.js';

/** The REST offset for this transfer (consumed). */
function takeRest(s: FtpSession): number {
  const off = s.state.restOffset;
  s.state.restOffset = 0;
  return off;
}

/** Runs `open`; a refusal closes the prepared data connection before the error reply. */
async function opening<T>(s: FtpSession, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    s.data.reset();
    throw err;
  }
}

const retr: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    checkDataReady(s);
    const vpath = s.path(arg);
    const offset = takeRest(s);
    const dl = await opening(s, () => s.conn().openDownload(vpath, { offset }));
    await sendFile(s, dl, `${vpath} (${dl.size} bytes)`, offset);
  },
};

function storCommand(append: boolean): FtpCommand {
  return {
    needsArg: true,
    async run(s, arg) {
      checkDataReady(s);
      const vpath = s.path(arg);
      const offset = takeRest(s);
      const opts: OpenUploadOptions = append ? { mode: 'append' } : offset > 0 ? { mode: 'resume', offset } : { mode: 'truncate' };
      const ul = await opening(s, () => s.conn().openUpload(vpath, opts));
      await receiveFile(s, ul, vpath, append);
    },
  };
}

const rest: FtpCommand = {
  needsArg: true,
  run(s, arg) {
    if (!/^\d+$/.test(arg.trim())) throw invalidInput(`invalid REST offset: ${arg}`);
    s.state.restOffset = Number(arg.trim());
    s.reply(Reply.PendingFurtherInfo, `Restarting at ${s.state.restOffset}, send STOR or RETR`);
  },
};

async function setMtime(s: FtpSession, arg: string, command: string): Promise<void> {
  const parsed = splitTimeAndPath(arg);
  if (!parsed) throw invalidInput(`${command} needs "<YYYYMMDDHHMMSS[.sss]> <path>"`);
  const vpath = s.path(parsed.path);
  await s.conn().setStat(vpath, { atime: parsed.time, mtime: parsed.time });
  s.reply(Reply.FileStatus, `Modify=${arg.slice(0, arg.indexOf(' '))}; ${vpath}`);
}

const mdtm: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    if (splitTimeAndPath(arg)) return setMtime(s, arg, 'MDTM');
    const info = await s.conn().stat(s.path(arg));
    s.reply(Reply.FileStatus, formatTimeVal(info.mtime));
  },
};

const size: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    const vpath = s.path(arg);
    const info = await s.conn().stat(vpath);
    if (info.type !== 'file') throw failure(`not a regular file: ${vpath}`);
    s.reply(Reply.FileStatus, String(info.size));
  },
};

const dele: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    const vpath = s.path(arg);
    await s.conn().remove(vpath);
    s.reply(Reply.FileActionOk, `File ${vpath} deleted`);
  },
};

const rnfr: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    const vpath = s.path(arg);
    await s.conn().lstat(vpath);
    s.state.renameFrom = vpath;
    s.reply(Reply.PendingFurtherInfo, 'Ready for RNTO');
  },
};

const rnto: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    const from = s.state.renameFrom;
    s.state.renameFrom = undefined;
    if (!from) return s.reply(Reply.BadSequence, 'RNFR is expected before RNTO');
    const to = s.path(arg);
    await s.conn().rename(from, to);
    s.reply(Reply.FileActionOk, `Renamed ${from} to ${to}`);
  },
};

export const FILE_COMMANDS: CommandGroup = {
  RETR: retr, STOR: storCommand(false), APPE: storCommand(true), REST: rest,
  DELE: dele, RNFR: rnfr, RNTO: rnto, SIZE: size, MDTM: mdtm,
  MFMT: { needsArg: true, run: (s, arg) => setMtime(s, arg, 'MFMT') },
};
