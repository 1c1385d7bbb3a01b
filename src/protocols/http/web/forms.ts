/**
 * Form bodies of the web UIs: `application/x-www-form-urlencoded` and `multipart/form-data`
 * (the restore upload), read with hard limits (login forms 256 KB, other forms 1 MB, restore
 * 10 MB; INVENTORY §3.6). The multipart reader is small on purpose: the body is already bounded
 * and buffered, so it only splits on the boundary and reads each part's disposition.
 */
import type { Context } from 'koa';
import { invalidInput } from '../../../util/errors.js';
import { readRawBody } from '../body.js';

export const LOGIN_FORM_LIMIT = 256 * 1024;
export const FORM_LIMIT = 1024 * 1024;

/** An uploaded file of a multipart form. */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

/** A parsed form: text fields plus uploaded files. */
export interface ParsedForm {
  fields: URLSearchParams;
  files: Map<string, UploadedFile>;
}

/** Reads and parses the request form; a body of another type is a 400. */
export async function readForm(ctx: Context, limit = FORM_LIMIT): Promise<ParsedForm> {
  const type = ctx.get('content-type');
  const raw = await readRawBody(ctx, limit);
  if (/^multipart\/form-data/i.test(type)) return parseMultipart(raw, type);
  if (type === '' || /^application\/x-www-form-urlencoded/i.test(type)) {
    return { fields: new URLSearchParams(raw.toString('utf8')), files: new Map() };
  }
  throw invalidInput(`unsupported form content type "${type}"`);
}

/** Parses a buffered multipart/form-data body (RFC 7578). */
export function parseMultipart(body: Buffer, contentType: string): ParsedForm {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw invalidInput('multipart form without a boundary');
  const fields = new URLSearchParams();
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw invalidInput('malformed multipart form: no boundary found');
  while (true) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw invalidInput('malformed multipart form: unterminated part');
    // A part is CRLF, headers, CRLF CRLF, data, CRLF, then the next delimiter.
    addPart(body.subarray(pos + 2, next - 2), fields, files);
    pos = next;
  }
  return { fields, files };
}

function addPart(part: Buffer, fields: URLSearchParams, files: Map<string, UploadedFile>): void {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw invalidInput('malformed multipart form: part without headers');
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const data = part.subarray(headerEnd + 4);
  const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) throw invalidInput('malformed multipart form: part without a name');
  const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
  if (filename !== undefined) files.set(name, { filename, data: Buffer.from(data) });
  else fields.append(name, data.toString('utf8'));
}

/** Field helpers that turn form strings into typed values, collecting field-named problems. */
export class FormReader {
  readonly problems: { field: string; message: string }[] = [];
  constructor(readonly fields: URLSearchParams) {}

  str(name: string): string {
    return (this.fields.get(name) ?? '').trim();
  }

  /** Raw value (passwords: spaces are significant). */
  rawStr(name: string): string {
    return this.fields.get(name) ?? '';
  }

  all(name: string): string[] {
    return this.fields.getAll(name).map((v) => v.trim()).filter((v) => v !== '');
  }

  bool(name: string): boolean {
    const v = this.fields.get(name);
    return v !== null && v !== '' && v !== '0' && v !== 'false';
  }

  /** A non-negative integer; empty is `dflt`; anything else is a problem naming the field. */
  int(name: string, dflt = 0, min = 0): number {
    const v = this.str(name);
    if (v === '') return dflt;
    if (!/^-?\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      this.problems.push({ field: name, message: `must be an integer >= ${min}` });
      return dflt;
    }
    return Number(v);
  }

  /** Lines of a textarea, trimmed, empty ones dropped. */
  lines(name: string): string[] {
    return this.str(name).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  }

  /** A comma separated list. */
  list(name: string): string[] {
    return this.str(name).split(',').map((l) => l.trim()).filter((l) => l !== '');
  }

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }
}
