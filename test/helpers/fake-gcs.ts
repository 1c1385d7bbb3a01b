/**
 * A small fake of the Google Cloud Storage JSON API, enough for @google-cloud/storage as the GCS
 * backend uses it (LIBS.md: nothing on npm works offline): objects insert (simple multipart and
 * resumable single-request), get metadata, get media with Range, list with prefix, delimiter,
 * pageToken and maxResults, delete, rewrite (copy). In memory, on 127.0.0.1, port 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

interface StoredObject {
  data: Buffer;
  contentType: string;
  storageClass: string;
  updated: Date;
  generation: number;
}

/** A running fake GCS server. */
export interface FakeGcs {
  /** The apiEndpoint to give the client ("http://127.0.0.1:port"). */
  url: string;
  /** Requests served, by method and route (tests check which API calls were made). */
  calls: string[];
  /** Objects of a bucket (tests look inside). */
  objects(bucket: string): Map<string, StoredObject>;
  stop(): Promise<void>;
}

type Reply = (status: number, body?: unknown, headers?: Record<string, string>) => void;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Starts the fake with the given buckets. */
export async function startFakeGcs(buckets: string[] = ['sftpgo-test']): Promise<FakeGcs> {
  const store = new Map(buckets.map((b) => [b, new Map<string, StoredObject>()]));
  const uploads = new Map<string, { bucket: string; name: string; contentType: string; storageClass: string }>();
  const calls: string[] = [];
  let generation = 1;
  const bucketOf = (b: string) => {
    const m = store.get(b);
    if (!m) throw new HttpError(404, `bucket ${b} not found`);
    return m;
  };
  const put = (bucket: string, name: string, data: Buffer, meta: { contentType?: string; storageClass?: string }) => {
    if (!name) throw new HttpError(400, 'object name required');
    const obj = { data, contentType: meta.contentType || 'application/octet-stream', storageClass: meta.storageClass || 'STANDARD', updated: new Date(), generation: generation++ };
    bucketOf(bucket).set(name, obj);
    return resource(bucket, name, obj);
  };

  async function route(req: http.IncomingMessage, body: Buffer, reply: Reply, origin: string): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const q = url.searchParams;
    const m = req.method ?? 'GET';
    if (parts[0] === 'upload' && parts[1] === 'storage' && parts[3] === 'b' && parts[5] === 'o') {
      return upload(m, parts[4]!, q, req, body, reply, origin);
    }
    // Bucket metadata (GET /storage/v1/b/{bucket}): what a bucket-exists check asks.
    if (parts[0] === 'storage' && parts[2] === 'b' && parts.length === 4 && m === 'GET') {
      bucketOf(parts[3]!);
      return reply(200, { kind: 'storage#bucket', id: parts[3], name: parts[3] });
    }
    if (parts[0] !== 'storage' || parts[2] !== 'b' || parts[4] !== 'o') throw new HttpError(404, `no route ${m} ${url.pathname}`);
    const bucket = parts[3]!;
    const name = parts[5];
    if (name === undefined && m === 'GET') return reply(200, list(bucket, q));
    if (name === undefined) throw new HttpError(405, 'method not allowed');
    if (parts[6] === 'rewriteTo' || parts[6] === 'copyTo') return reply(200, rewrite(bucket, name, parts[8]!, parts[10]!, body, parts[6]));
    const obj = bucketOf(bucket).get(name);
    if (!obj) throw new HttpError(404, `No such object: ${bucket}/${name}`);
    if (m === 'DELETE') {
      bucketOf(bucket).delete(name);
      return reply(204);
    }
    if (m !== 'GET') throw new HttpError(405, 'method not allowed');
    if (q.get('alt') === 'media') return media(obj, req.headers.range, reply);
    return reply(200, resource(bucket, name, obj));
  }

  function list(bucket: string, q: URLSearchParams) {
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const max = Math.min(Number(q.get('maxResults') ?? 1000) || 1000, 1000);
    const after = q.get('pageToken') ? Buffer.from(q.get('pageToken')!, 'base64url').toString() : undefined;
    const entries = new Map<string, string | undefined>();
    for (const name of [...bucketOf(bucket).keys()].sort()) {
      if (!name.startsWith(prefix)) continue;
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) entries.set(name.slice(0, cut + delimiter.length), undefined);
      else entries.set(name, name);
    }
    const sorted = [...entries.keys()].sort().filter((k) => after === undefined || k > after);
    const page = sorted.slice(0, max);
    const items = page.filter((k) => entries.get(k) !== undefined).map((k) => resource(bucket, k, bucketOf(bucket).get(k)!));
    const prefixes = page.filter((k) => entries.get(k) === undefined);
    const out: Record<string, unknown> = { kind: 'storage#objects', items, prefixes };
    if (sorted.length > page.length) out.nextPageToken = Buffer.from(page[page.length - 1]!).toString('base64url');
    return out;
  }

  function rewrite(srcBucket: string, srcName: string, dstBucket: string, dstName: string, body: Buffer, op: string) {
    const src = bucketOf(srcBucket).get(srcName);
    if (!src) throw new HttpError(404, `No such object: ${srcBucket}/${srcName}`);
    const meta = body.length ? (JSON.parse(body.toString()) as { contentType?: string; storageClass?: string }) : {};
    const res = put(dstBucket, dstName, Buffer.from(src.data), { contentType: meta.contentType ?? src.contentType, storageClass: meta.storageClass ?? src.storageClass });
    if (op === 'copyTo') return res;
    return { kind: 'storage#rewriteResponse', totalBytesRewritten: String(src.data.length), objectSize: String(src.data.length), done: true, resource: res };
  }

  function upload(m: string, bucket: string, q: URLSearchParams, req: http.IncomingMessage, body: Buffer, reply: Reply, origin: string): void {
    bucketOf(bucket);
    const type = q.get('uploadType');
    if (m === 'POST' && type === 'multipart') {
      const { meta, data } = multipart(req.headers['content-type'] ?? '', body);
      return reply(200, put(bucket, meta.name ?? q.get('name') ?? '', data, meta));
    }
    if (m === 'POST' && type === 'media') return reply(200, put(bucket, q.get('name') ?? '', body, { contentType: req.headers['content-type'] }));
    if (m === 'POST' && type === 'resumable') {
      const meta = body.length ? (JSON.parse(body.toString()) as { name?: string; contentType?: string; storageClass?: string }) : {};
      const id = randomUUID();
      const contentType = String(req.headers['x-upload-content-type'] ?? meta.contentType ?? '');
      uploads.set(id, { bucket, name: meta.name ?? q.get('name') ?? '', contentType, storageClass: meta.storageClass ?? '' });
      return reply(200, {}, { location: `${origin}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&upload_id=${id}` });
    }
    if (m === 'PUT' && type === 'resumable') return resumablePut(q.get('upload_id') ?? '', req, body, reply);
    if (m === 'DELETE' && type === 'resumable') {
      uploads.delete(q.get('upload_id') ?? '');
      return reply(499);
    }
    throw new HttpError(400, `unsupported upload ${m} ${type}`);
  }

  /** The client's single-request mode: one PUT with the whole object (Content-Range "bytes 0-*" + "/*" or with the total). */
  function resumablePut(id: string, req: http.IncomingMessage, body: Buffer, reply: Reply): void {
    const u = uploads.get(id);
    if (!u) throw new HttpError(404, 'no such upload');
    const range = String(req.headers['content-range'] ?? '');
    const total = /\/(\d+)$/.exec(range)?.[1];
    if (range.startsWith('bytes */') || (total === undefined && !range.endsWith('/*'))) throw new HttpError(400, `unsupported Content-Range ${range}`);
    uploads.delete(id);
    reply(200, put(u.bucket, u.name, body, u));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
      calls.push(`${req.method} ${routeName(req.url ?? '')}`);
      const reply: Reply = (status, body, headers = {}) => {
        const buf = Buffer.isBuffer(body) ? body : body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
        res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json', 'content-length': String(buf.length), ...headers });
        res.end(buf);
      };
      route(req, Buffer.concat(chunks), reply, origin).catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        reply(status, { error: { code: status, message: String((err as Error).message), errors: [{ message: String((err as Error).message), reason: status === 404 ? 'notFound' : 'invalid' }] } });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    objects: bucketOf,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The JSON resource of an object. */
function resource(bucket: string, name: string, o: StoredObject) {
  return {
    kind: 'storage#object', id: `${bucket}/${name}/${o.generation}`, name, bucket, size: String(o.data.length),
    contentType: o.contentType, storageClass: o.storageClass, generation: String(o.generation), metageneration: '1',
    updated: o.updated.toISOString(), timeCreated: o.updated.toISOString(),
  };
}

/** Bytes of an object, honouring a single "bytes=a-b" / "bytes=a-" range. */
function media(o: StoredObject, range: string | undefined, reply: Reply): void {
  const m = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
  if (!m) return reply(200, o.data);
  const start = Number(m[1]);
  const end = Math.min(m[2] ? Number(m[2]) : o.data.length - 1, o.data.length - 1);
  if (start >= o.data.length) return reply(416, { error: { code: 416, message: 'range not satisfiable' } });
  reply(206, o.data.subarray(start, end + 1), { 'content-range': `bytes ${start}-${end}/${o.data.length}` });
}

/** Splits a multipart/related body into its JSON metadata and its data. */
function multipart(contentType: string, body: Buffer): { meta: { name?: string; contentType?: string; storageClass?: string }; data: Buffer } {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new HttpError(400, 'multipart boundary missing');
  const parts: Buffer[] = [];
  const sep = Buffer.from(`--${boundary}`);
  let at = body.indexOf(sep);
  while (at >= 0) {
    const next = body.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = body.subarray(at + sep.length, next);
    const headEnd = part.indexOf('\r\n\r\n');
    parts.push(part.subarray(headEnd + 4, part.length - 2));
    at = next;
  }
  if (parts.length < 2) throw new HttpError(400, 'multipart body needs metadata and media');
  return { meta: JSON.parse(parts[0]!.toString()) as { name?: string }, data: parts[1]! };
}

/** A request's route with object names elided (for call assertions). */
function routeName(u: string): string {
  const url = new URL(u, 'http://x');
  const p = url.pathname.replace(/\/o\/[^/]+/g, '/o/{object}').replace(/\/b\/[^/]+/g, '/b/{bucket}');
  const t = url.searchParams.get('uploadType');
  return `${p}${t ? `?uploadType=${t}` : ''}${url.searchParams.get('alt') === 'media' ? '?alt=media' : ''}`;
}
