/**
 * Request body reading with hard size limits (JSON API 1 MB, restore 10 MB; INVENTORY §3.6).
 * No body-parser dependency: the stream is read up to the limit, then parsed once.
 */
import type { Context } from 'koa';
import { invalidInput } from '../../util/errors.js';
import { HttpError } from './errors.js';

export const JSON_LIMIT = 1024 * 1024;
export const RESTORE_LIMIT = 10 * 1024 * 1024;

/** Reads the raw body; 413 once more than `limit` bytes arrive. */
export async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw new HttpError(413, `request body too large, max ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body too large, max ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads and parses a JSON body; malformed JSON is a 400. */
export async function readJson(ctx: Context, limit = JSON_LIMIT): Promise<unknown> {
  const raw = await readRawBody(ctx, limit);
  return parseJson(raw.toString('utf8'));
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw invalidInput('request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidInput(`malformed JSON: ${(err as Error).message}`);
  }
}
