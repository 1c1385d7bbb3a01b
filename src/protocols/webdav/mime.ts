/**
 * Content types by file extension (`webdavd.cache.mime_types`): looked up in mime-types' table and
 * kept in a bounded cache, as SFTPGo does. Unknown extensions are application/octet-stream (SFTPGo
 * also sniffs the first 512 bytes; we do not open files to answer PROPFIND).
 */
import { extname } from 'node:path';
import mimeTypes from 'mime-types';

/** Type of anything without a known extension. */
export const DEFAULT_MIME_TYPE = 'application/octet-stream';

/** Extension to content type, with SFTPGo's bounded cache. */
export class MimeTypes {
  private readonly cache = new Map<string, string>();

  /** @param maxSize entries kept at most; 0 = unlimited */
  constructor(private readonly enabled: boolean, private readonly maxSize: number) {}

  typeOf(name: string): string {
    const ext = extname(name).toLowerCase();
    if (!ext) return DEFAULT_MIME_TYPE;
    const cached = this.enabled ? this.cache.get(ext) : undefined;
    if (cached) return cached;
    const found = mimeTypes.lookup(ext);
    if (!found) return DEFAULT_MIME_TYPE;
    if (this.enabled && (this.maxSize === 0 || this.cache.size < this.maxSize)) this.cache.set(ext, found);
    return found;
  }

  get cachedCount(): number {
    return this.cache.size;
  }
}
