/** Small helpers shared by the Fs conformance cases (backend-neutral: only the Fs port is used). */
import type { FileInfo, Fs, FsFeatures } from '../../../src/vfs/types.js';
import { isSftpGoError } from '../../../src/util/errors.js';

/** One conformance case: runs on a fresh, empty Fs; skipped when the backend lacks `need`. */
export interface FsCase {
  title: string;
  need?: keyof FsFeatures;
  /** A reason to skip on this backend (the case has nothing to check there), or undefined. */
  skipIf?(fs: Fs): string | undefined;
  run(fs: Fs): Promise<void>;
}

/** The error kind a promise rejects with ('ok' when it resolves; 'raw:...' for non-SftpGoError values). */
export async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSftpGoError(err) ? err.kind : `raw:${String(err)}`;
  }
}

/** Writes a whole file in one positional write. */
export async function writeFile(fs: Fs, p: string, data: string | Buffer): Promise<void> {
  const h = await fs.openWrite(p, { mode: 'truncate' });
  await h.write(Buffer.from(data), 0);
  await h.close();
}

/** Reads a whole file (from `offset`) through positional reads. */
export async function readAll(fs: Fs, p: string, offset = 0): Promise<string> {
  const info = await fs.stat(p);
  const h = await fs.openRead(p, { offset });
  try {
    const buf = Buffer.alloc(Math.max(0, info.size - offset));
    const n = await h.read(buf, offset);
    return buf.subarray(0, n).toString();
  } finally {
    await h.close();
  }
}

/** Reads a handle's stream to a string. */
export async function readStream(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of s as AsyncIterable<Buffer>) out += chunk.toString();
  return out;
}

/** Entries of a directory, sorted by name. */
export async function entries(fs: Fs, p: string): Promise<FileInfo[]> {
  const out: FileInfo[] = [];
  for await (const e of fs.list(p)) out.push(e);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Names in a directory, sorted. */
export async function names(fs: Fs, p: string): Promise<string[]> {
  return (await entries(fs, p)).map((e) => e.name);
}

/** An already-aborted signal. */
export function abortedSignal(): AbortSignal {
  const ac = new AbortController();
  ac.abort(new Error('client gone'));
  return ac.signal;
}
