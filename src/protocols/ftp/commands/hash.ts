/**
 * Checksum and combine commands, enabled by `hash_support` / `combine_support` (INVENTORY §2.3):
 * HASH (draft-bryan-ftpext-hash, algorithm chosen with OPTS HASH), XCRC, MD5, XMD5, XSHA, XSHA1,
 * XSHA256, XSHA512 (optional `<start> <end>` byte range), and COMB (concatenate parts into a
 * target, then delete the parts). Everything goes through the core connection, so the download,
 * upload and delete permissions, patterns and quota apply.
 */
import type { Connection, HashAlgorithm, UploadTransfer } from '../../../core/index.js';
import { failure, invalidInput } from '../../../util/errors.js';
import { quotedArgs } from '../parse.js';
import { Reply } from '../replies.js';
import { HASH_NAMES, refuseDisabled, type CommandGroup, type FtpCommand, type FtpSession } from '../types.js';

function hashEnabled(s: FtpSession): void {
  if (s.settings.ftpd.hash_support !== 1) refuseDisabled(s, 'hash support is disabled (ftpd.hash_support)');
}

/** `<path> [<start> [<end>]]` of the X* commands. */
function pathAndRange(arg: string): { path: string; range?: { start: number; end?: number } } {
  const m = /^(.+?) (\d+)(?: (\d+))?$/.exec(arg);
  if (!m) return { path: arg };
  const start = Number(m[2]);
  const end = m[3] !== undefined ? Number(m[3]) : undefined;
  if (end !== undefined && end < start) throw invalidInput(`invalid range: ${start}-${end}`);
  return { path: m[1]!, range: { start, end } };
}

/** Hash of a regular file through the core (download permission and patterns apply). */
async function digest(s: FtpSession, vpath: string, algo: HashAlgorithm, range?: { start: number; end?: number }): Promise<{ hex: string; size: number }> {
  const info = await s.conn().stat(vpath);
  if (info.type !== 'file') throw failure(`not a regular file: ${vpath}`);
  return { hex: await s.conn().hashFile(vpath, algo, { range }), size: info.size };
}

/** X* commands: `250 <hex>`; MD5 answers `251 <path> <HEX>` (draft-twine-ftpmd5). */
function customHash(algo: HashAlgorithm, md5Style = false): FtpCommand {
  return {
    needsArg: true,
    async run(s, arg) {
      hashEnabled(s);
      const { path, range } = pathAndRange(arg);
      const vpath = s.path(path);
      const { hex } = await digest(s, vpath, algo, range);
      if (md5Style) return s.reply(Reply.Md5, `${vpath} ${hex.toUpperCase()}`);
      s.reply(Reply.FileActionOk, hex);
    },
  };
}

const hash: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    hashEnabled(s);
    const vpath = s.path(arg);
    const { hex, size } = await digest(s, vpath, HASH_NAMES[s.state.hashAlgo]!);
    s.reply(Reply.FileStatus, `${s.state.hashAlgo} 0-${size} ${hex} ${vpath}`);
  },
};

/** Copies one COMB part to the end of `up`; returns the next position. */
async function appendPart(conn: Connection, up: UploadTransfer, part: string, pos: number): Promise<number> {
  const dl = await conn.openDownload(part);
  try {
    for await (const chunk of dl.stream() as AsyncIterable<Buffer>) {
      await up.write(chunk, pos);
      pos += chunk.length;
    }
  } catch (err) {
    await dl.abort(err);
    throw err;
  }
  await dl.close();
  return pos;
}

/** COMB <target> <part>...: appends the parts (in order) to the target, then deletes them. */
const comb: FtpCommand = {
  needsArg: true,
  async run(s, arg) {
    if (s.settings.ftpd.combine_support !== 1) refuseDisabled(s, 'COMB is disabled (ftpd.combine_support)');
    const [target, ...parts] = quotedArgs(arg).map((p) => s.path(p));
    if (!target || parts.length === 0) throw invalidInput('COMB needs a target and at least one part');
    const conn = s.conn();
    const exists = await conn.stat(target).then(() => true, () => false);
    const up = await conn.openUpload(target, { mode: exists ? 'append' : 'truncate' });
    try {
      let pos = 0;
      for (const p of parts) pos = await appendPart(conn, up, p, pos);
    } catch (err) {
      await up.abort(err);
      throw err;
    }
    await up.close();
    for (const p of parts) await conn.remove(p);
    s.reply(Reply.FileActionOk, `COMB OK: ${parts.length} part(s) combined into ${target}`);
  },
};

export const HASH_COMMANDS: CommandGroup = {
  HASH: hash,
  XCRC: customHash('crc32'),
  MD5: customHash('md5', true),
  XMD5: customHash('md5'),
  XSHA: customHash('sha1'),
  XSHA1: customHash('sha1'),
  XSHA256: customHash('sha256'),
  XSHA512: customHash('sha512'),
  COMB: comb,
};
