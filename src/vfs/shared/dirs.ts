/**
 * Directory emulation on object stores (INVENTORY §7.3): a directory is a zero-byte marker object
 * "<dir>/" and/or a prefix with children. Listings use the "/" delimiter, so sub-directories come
 * back as common prefixes; they are streamed page by page.
 */
import { FileType, type FileInfo } from '../types.js';
import type { ObjectDriver, ObjectMeta } from './driver.js';
import { checkSignal } from './signal.js';

/** What a prefix holds: its marker object and whether anything else lives below it. */
export interface DirProbe {
  exists: boolean;
  marker?: ObjectMeta;
  hasChildren: boolean;
}

/** File info of an object listed or stat'ed by name. */
export function fileInfo(name: string, meta: ObjectMeta): FileInfo {
  return { name, type: FileType.File, size: meta.size, mode: 0o644, mtime: meta.mtime };
}

/** Directory info; `mtime` is the marker's when there is one, else the time of the request. */
export function dirInfo(name: string, mtime: Date): FileInfo {
  return { name, type: FileType.Dir, size: 0, mode: 0o755, mtime };
}

/** Looks at the first keys under `prefix` (one small request, no delimiter). */
export async function probeDir(driver: ObjectDriver, prefix: string, signal?: AbortSignal): Promise<DirProbe> {
  const page = await driver.list({ prefix, max: 2, signal });
  const marker = page.objects.find((o) => o.key === prefix);
  const hasChildren = page.prefixes.length > 0 || page.objects.some((o) => o.key !== prefix);
  return { exists: !!marker || hasChildren, marker, hasChildren };
}

/** Streams the entries right below `prefix`, page after page (the marker itself is skipped). */
export async function* listPrefix(
  driver: ObjectDriver, prefix: string, opts: { signal?: AbortSignal; pageSize?: number },
): AsyncGenerator<FileInfo> {
  const now = new Date();
  let token: string | undefined;
  do {
    checkSignal(opts.signal);
    const page = await driver.list({ prefix, delimiter: '/', token, max: opts.pageSize, signal: opts.signal });
    for (const p of page.prefixes) {
      const name = p.slice(prefix.length, -1);
      if (name === '' || name.includes('/')) continue;
      checkSignal(opts.signal);
      yield dirInfo(name, now);
    }
    for (const o of page.objects) {
      const name = o.key.slice(prefix.length);
      if (name === '' || name.includes('/')) continue;
      checkSignal(opts.signal);
      yield fileInfo(name, o);
    }
    token = page.next;
  } while (token);
}
