/**
 * Listing commands: LIST, NLST, MLSD over the data connection; MLST and STAT <path> over the
 * control connection (RFC 959, RFC 3659). The first entry is read before the data connection is
 * opened, so a refused listing gets its 550 without a 150 first.
 */
import type { Connection } from '../../../core/index.js';
import { Permissions } from '../../../core/permissions.js';
import { parentOf } from '../../../core/vpath.js';
import type { FileInfo } from '../../../vfs/types.js';
import { invalidInput } from '../../../util/errors.js';
import { listLine, mlsxFacts, permFact } from '../listing.js';
import { listTarget } from '../parse.js';
import { Reply } from '../replies.js';
import { checkDataReady, sendLines } from '../transfer.js';
import type { CommandGroup, FtpSession } from '../types.js';

/** What a listing argument names: a directory to enumerate or one file. */
interface Target {
  vpath: string;
  info: FileInfo;
}

/** Resolves LIST/NLST/STAT arguments, dropping `ls` options unless a file has that very name. */
async function resolveTarget(s: FtpSession, arg: string): Promise<Target> {
  const conn = s.conn();
  const { target, stripped } = listTarget(arg.trim());
  if (stripped !== undefined) {
    const whole = await conn.stat(s.path(target)).then((info) => ({ vpath: s.path(target), info }), () => undefined);
    if (whole) return whole;
  }
  const vpath = s.path(stripped ?? target);
  return { vpath, info: await conn.stat(vpath) };
}

/** Re-yields an iterable whose first step already ran (errors surface before the 150 reply). */
async function started<T>(src: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const it = src[Symbol.asyncIterator]();
  const first = await it.next();
  return (async function* () {
    for (let n = first; !n.done; n = await it.next()) yield n.value;
  })();
}

/** Entries of a target: the directory's children, or the file itself. */
async function entries(conn: Connection, t: Target): Promise<AsyncIterable<FileInfo>> {
  if (t.info.type !== 'dir') return (async function* () { yield t.info; })();
  return started(conn.list(t.vpath));
}

const childPath = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/** LIST lines; symlinks show their (virtual) target. */
async function* listLines(conn: Connection, t: Target, src: AsyncIterable<FileInfo>): AsyncGenerator<string> {
  const now = new Date();
  const dir = t.info.type === 'dir' ? t.vpath : parentOf(t.vpath);
  for await (const e of src) {
    const target = e.type === 'symlink' ? await conn.readlink(childPath(dir, e.name)).catch(() => undefined) : undefined;
    yield listLine(e, now, target);
  }
}

/** MLSD/MLST entry facts; a symlink is described by what it points to when that can be read. */
async function factsOf(s: FtpSession, perms: Permissions, vpath: string, e: FileInfo): Promise<string> {
  const info = e.type === 'symlink' ? await s.conn().stat(vpath).then((i) => ({ ...i, name: e.name }), () => e) : e;
  return mlsxFacts(info, s.state.facts, permFact(perms, parentOf(vpath), info, vpath));
}

async function list(s: FtpSession, arg: string, names: boolean): Promise<void> {
  checkDataReady(s);
  s.state.restOffset = 0; // REST applies to the next data transfer, whatever it is
  const conn = s.conn();
  const t = await resolveTarget(s, arg).catch((err: unknown) => { s.data.reset(); throw err; });
  const src = await entries(conn, t).catch((err: unknown) => { s.data.reset(); throw err; });
  const lines = names ? mapAsync(src, (e) => e.name) : listLines(conn, t, src);
  await sendLines(s, lines, `${names ? 'NLST' : 'LIST'} ${t.vpath}`);
}

async function* mapAsync<T, U>(src: AsyncIterable<T>, f: (t: T) => U): AsyncGenerator<U> {
  for await (const t of src) yield f(t);
}

async function mlsd(s: FtpSession, arg: string): Promise<void> {
  checkDataReady(s);
  s.state.restOffset = 0;
  const conn = s.conn();
  const vpath = s.path(arg.trim());
  try {
    const info = await conn.stat(vpath);
    if (info.type !== 'dir') throw invalidInput(`not a directory: ${vpath}`);
    const src = await started(conn.list(vpath));
    const perms = new Permissions(conn.user);
    const lines = (async function* () {
      for await (const e of src) yield `${await factsOf(s, perms, childPath(vpath, e.name), e)} ${e.name}`;
    })();
    await sendLines(s, lines, `MLSD ${vpath}`);
  } catch (err) {
    s.data.reset();
    throw err;
  }
}

async function mlst(s: FtpSession, arg: string): Promise<void> {
  const conn = s.conn();
  const vpath = s.path(arg.trim());
  const info = await conn.stat(vpath);
  const facts = await factsOf(s, new Permissions(conn.user), vpath, { ...info, name: vpath });
  s.reply(Reply.FileActionOk, [`Listing ${vpath}`, ` ${facts} ${vpath}`, 'End']);
}

/** STAT <path>: the LIST lines over the control connection (212 directory, 213 file). */
export async function statPath(s: FtpSession, arg: string): Promise<void> {
  const conn = s.conn();
  const t = await resolveTarget(s, arg);
  const lines: string[] = [];
  for await (const l of listLines(conn, t, await entries(conn, t))) lines.push(` ${l}`);
  const code = t.info.type === 'dir' ? Reply.DirectoryStatus : Reply.FileStatus;
  s.reply(code, [`Status of ${t.vpath}:`, ...lines, 'End of status']);
}

export const LISTING_COMMANDS: CommandGroup = {
  LIST: { run: (s, arg) => list(s, arg, false) },
  NLST: { run: (s, arg) => list(s, arg, true) },
  MLSD: { run: mlsd },
  MLST: { run: mlst },
};
