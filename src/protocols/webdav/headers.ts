/**
 * Parsers for the WebDAV/HTTP request headers we act on: Depth, Overwrite, Destination, Timeout
 * (RFC 4918 §10) and Range (RFC 9110 §14). Each throws InvalidInput (→ 400) on a malformed value.
 */
import { invalidInput } from '../../util/errors.js';

/** A Depth header value (RFC 4918 §10.2). */
export type Depth = 0 | 1 | 'infinity';

/** RFC 4918 §10.2; `fallback` applies when the header is absent. */
export function parseDepth(value: string | undefined, fallback: Depth): Depth {
  if (value === undefined) return fallback;
  const v = value.trim().toLowerCase();
  if (v === '0') return 0;
  if (v === '1') return 1;
  if (v === 'infinity') return 'infinity';
  throw invalidInput(`invalid Depth header: ${value}`);
}

/** RFC 4918 §10.6: T (default) or F. */
export function parseOverwrite(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.trim().toUpperCase();
  if (v === 'T') return true;
  if (v === 'F') return false;
  throw invalidInput(`invalid Overwrite header: ${value}`);
}

/**
 * Destination (RFC 4918 §10.3): an absolute URI or an absolute path. Returns the still-encoded
 * path; a URI naming another host is refused (cross-server copies are not supported).
 */
export function parseDestination(value: string | undefined, host: string | undefined): string {
  if (value === undefined || value.trim() === '') throw invalidInput('missing Destination header');
  const v = value.trim();
  if (v.startsWith('/')) return v.split('?')[0]!;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw invalidInput(`invalid Destination header: ${value}`);
  }
  if (host !== undefined && url.host.toLowerCase() !== host.toLowerCase()) {
    throw invalidInput('Destination names another server');
  }
  return url.pathname;
}

/** Lock timeouts we grant: the client's first acceptable value, capped (infinite becomes the cap). */
export const DEFAULT_LOCK_TIMEOUT_S = 3600;
/** Longest lock timeout granted (a week); Infinite is capped to it. */
export const MAX_LOCK_TIMEOUT_S = 7 * 24 * 3600;

/** Timeout header (RFC 4918 §10.7): `Infinite, Second-4100000000`; returns seconds. */
export function parseTimeout(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_LOCK_TIMEOUT_S;
  for (const part of value.split(',')) {
    const p = part.trim();
    if (/^infinite$/i.test(p)) return MAX_LOCK_TIMEOUT_S;
    const m = /^second-(\d+)$/i.exec(p);
    if (m) return Math.max(1, Math.min(Number(m[1]), MAX_LOCK_TIMEOUT_S));
  }
  throw invalidInput(`invalid Timeout header: ${value}`);
}

/** A satisfiable byte range, `end` exclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What a Range header asks for: nothing usable, one range, or nothing satisfiable (416). */
export type RangeResult = { kind: 'none' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' };

/**
 * Range for a representation of `size` bytes. Only one range is served: a multi-range request is
 * answered with the whole body (allowed by RFC 9110 §14.2). Other units are ignored; a malformed
 * bytes range is a 400 (the task asks for a reason rather than silent fallback).
 */
export function parseRange(value: string | undefined, size: number): RangeResult {
  if (value === undefined) return { kind: 'none' };
  const v = value.trim();
  if (!/^bytes\s*=/i.test(v)) return { kind: 'none' };
  const specs = v.slice(v.indexOf('=') + 1).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length === 0) throw invalidInput(`invalid Range header: ${value}`);
  const parsed = specs.map((s) => parseSpec(s, value));
  if (parsed.length > 1) return { kind: 'none' };
  const [first, last] = parsed[0]!;
  if (first === null) {
    if (last === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - last!), end: size } };
  }
  if (first >= size) return { kind: 'unsatisfiable' };
  const end = last === null ? size : Math.min(last + 1, size);
  return { kind: 'range', range: { start: first, end } };
}

function parseSpec(spec: string, header: string): [number | null, number | null] {
  const m = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!m || (m[1] === '' && m[2] === '')) throw invalidInput(`invalid Range header: ${header}`);
  const first = m[1] === '' ? null : Number(m[1]);
  const last = m[2] === '' ? null : Number(m[2]);
  if (first !== null && last !== null && last < first) throw invalidInput(`invalid Range header: ${header}`);
  if (!Number.isSafeInteger(first ?? 0) || !Number.isSafeInteger(last ?? 0)) throw invalidInput(`invalid Range header: ${header}`);
  return [first, last];
}
