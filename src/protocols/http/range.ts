/**
 * HTTP `Range: bytes=...` parsing (RFC 9110 §14.2) for single ranges. Multiple ranges are served
 * whole (a 200 is a valid answer to any range request).
 */

/** An inclusive byte range, or a marker for 416. */
export type ByteRange = { start: number; end: number } | { unsatisfiable: true; start: -1; end: -1 };

/** Parses a Range header against the file size; null means "ignore, send everything". */
export function parseRange(header: string, size: number): ByteRange | null {
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!m) return null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  const unsatisfiable = { unsatisfiable: true, start: -1, end: -1 } as const;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0 || size === 0) return unsatisfiable;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return unsatisfiable;
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return unsatisfiable;
  return { start, end };
}
