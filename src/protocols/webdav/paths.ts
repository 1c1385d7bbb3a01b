/**
 * Request URLs to virtual paths and back. A URL is split on "/", each segment percent-decoded on
 * its own, and the binding prefix removed. A `..` segment (plain or encoded as %2e%2e), a decoded
 * "/" or NUL inside a segment is refused with 400: a client never needs them, and refusing is
 * clearer than silently clamping at the root. Hrefs we send are encoded per segment.
 */
import { DavError } from './status-map.js';

/** The path part of a request target (origin-form or absolute-form), without query or fragment. */
export function pathOfTarget(target: string): string {
  // A fragment never belongs in a request target (RFC 9112 §3.2); acting on the part before it
  // could delete a collection the client did not name (litmus delete_fragment).
  if (target.includes('#')) throw new DavError(400, 'a request target cannot carry a fragment');
  let p = target;
  if (!p.startsWith('/')) {
    try {
      p = new URL(p).pathname;
    } catch {
      throw new DavError(400, `invalid request target: ${target.slice(0, 100)}`);
    }
  }
  const cut = p.indexOf('?');
  return cut >= 0 ? p.slice(0, cut) : p;
}

/** Removes the binding prefix (`/dav`); undefined when the path is outside it. */
export function stripPrefix(path: string, prefix: string): string | undefined {
  if (!prefix || prefix === '/') return path;
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (path === base) return '/';
  return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
}

/** Decoded, clean virtual path of a still-encoded URL path (prefix already removed). */
export function decodePath(encoded: string): string {
  const out: string[] = [];
  for (const raw of encoded.split('/')) {
    if (raw === '' || raw === '.') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new DavError(400, 'invalid percent-encoding in the request path');
    }
    if (seg === '..') throw new DavError(400, 'path traversal is not allowed');
    if (seg === '.') continue;
    if (seg.includes('/') || seg.includes('\0')) throw new DavError(400, 'invalid character in the request path');
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** Virtual path of a request target under `prefix`; 404 outside the prefix. */
export function requestVirtualPath(target: string, prefix: string): string {
  const rest = stripPrefix(pathOfTarget(target), prefix);
  if (rest === undefined) throw new DavError(404, 'not found');
  return decodePath(rest);
}

/** True when the target names a collection explicitly (trailing "/"). */
export function hasTrailingSlash(target: string): boolean {
  const p = pathOfTarget(target);
  return p.length > 1 && p.endsWith('/');
}

/**
 * The href of a virtual path: the prefix, then each segment percent-encoded; collections end with
 * "/" (RFC 4918 §8.3 recommends it, and clients such as cadaver rely on it).
 */
export function hrefOf(prefix: string, vpath: string, collection: boolean): string {
  const base = prefix && prefix !== '/' ? prefix.replace(/\/$/, '') : '';
  const encoded = vpath === '/' ? '' : vpath.split('/').slice(1).map(encodeSegment).join('/');
  const path = `${base}/${encoded}`;
  return collection && !path.endsWith('/') ? `${path}/` : path;
}

/** encodeURIComponent, but keeping the sub-delims clients expect unescaped in paths. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/%(?:21|24|26|27|28|29|2A|2B|2C|3B|3D|3A|40)/g, (m) => decodeURIComponent(m));
}
