/**
 * Google Cloud Storage driver over the official SDK (@google-cloud/storage). Small bodies go in one
 * simple upload, longer ones through a resumable upload streamed in one request. The SDK's calls take
 * no AbortSignal: calls race the signal (and a deadline), streams are destroyed when it fires.
 */
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Storage, type Bucket, type File, type StorageOptions } from '@google-cloud/storage';
import { ErrorKind } from '../../util/errors.js';
import type { ListRequest, ObjectDriver, ObjectMeta, ObjectPage, UploadRequest } from '../shared/driver.js';
import { cloudError, LONG_TIMEOUT_MS, raceSignal, SHORT_TIMEOUT_MS, withDeadline } from '../shared/cloud.js';
import { peekBody } from '../shared/peek.js';

/** Bodies up to this size go in one simple upload (the Go SDK's default chunk size, as SFTPGo). */
const SIMPLE_UPLOAD_LIMIT = 16 * 1024 * 1024;

/** Resolved GCS settings. */
export interface GcsSettings {
  bucket: string;
  /** Service account JSON; undefined = Application Default Credentials. */
  credentials?: { client_email?: string; private_key?: string; project_id?: string };
  storageClass?: string;
  /** Another API endpoint (tests: a local fake). */
  apiEndpoint?: string;
  /** Bodies up to this size use one simple upload (default 16 MiB). */
  simpleUploadLimit?: number;
}

interface GcsMetadata {
  name?: string;
  size?: string | number;
  updated?: string;
}

/** Talks to one bucket. */
export class GcsDriver implements ObjectDriver {
  readonly name = 'gcs';
  readonly description: string;
  private readonly storage: Storage;
  private readonly bucket: Bucket;

  constructor(private readonly s: GcsSettings, keyPrefix: string) {
    const opts: StorageOptions = { retryOptions: { autoRetry: true, maxRetries: 3 } };
    if (s.credentials) opts.credentials = s.credentials;
    if (s.credentials?.project_id) opts.projectId = s.credentials.project_id;
    if (s.apiEndpoint) opts.apiEndpoint = s.apiEndpoint;
    this.storage = new Storage(opts);
    this.bucket = this.storage.bucket(s.bucket);
    this.description = `gcs:${s.bucket}/${keyPrefix}`;
  }

  async headRoot(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call('get bucket metadata', signal, SHORT_TIMEOUT_MS, () => this.bucket.getMetadata());
      return true;
    } catch (err) {
      if ((err as { kind?: string }).kind === ErrorKind.NotFound) return false;
      throw err;
    }
  }

  async head(key: string, signal?: AbortSignal): Promise<ObjectMeta | undefined> {
    try {
      const [md] = await this.call('get metadata', signal, SHORT_TIMEOUT_MS, () => this.file(key).getMetadata());
      return meta(key, md);
    } catch (err) {
      if ((err as { kind?: string }).kind === ErrorKind.NotFound) return undefined;
      throw err;
    }
  }

  async list(req: ListRequest): Promise<ObjectPage> {
    const [files, next, raw] = await this.call('list', req.signal, SHORT_TIMEOUT_MS, () => this.bucket.getFiles({
      prefix: req.prefix, delimiter: req.delimiter, pageToken: req.token, maxResults: req.max, autoPaginate: false,
    }));
    const prefixes = ((raw as { prefixes?: string[] } | undefined)?.prefixes ?? []).filter((p) => p !== '');
    return {
      objects: files.map((f) => meta(f.name, f.metadata as GcsMetadata)),
      prefixes,
      next: (next as { pageToken?: string } | null | undefined)?.pageToken || undefined,
    };
  }

  async read(key: string, start: number, end: number | undefined, signal?: AbortSignal): Promise<Readable> {
    if (signal?.aborted) throw cloudError(signal.reason, undefined, 'download', signal);
    const src = this.file(key).createReadStream({ start, end: end === undefined ? undefined : end - 1, validation: false, decompress: false });
    const out = new PassThrough();
    const onAbort = (): void => void out.destroy(cloudError(signal?.reason, undefined, 'download', signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    src.on('error', (err: Error) => out.destroy(cloudError(err, (err as { code?: number }).code, 'download', signal)));
    out.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      src.destroy();
    });
    src.pipe(out);
    return out;
  }

  async upload(req: UploadRequest): Promise<void> {
    const { head, rest } = await this.call('upload', req.signal, undefined, () => peekBody(req.body, this.s.simpleUploadLimit ?? SIMPLE_UPLOAD_LIMIT));
    const metadata = { contentType: req.contentType, storageClass: this.s.storageClass };
    if (!rest) {
      await this.call('upload', req.signal, undefined, () => this.file(req.key).save(head, { resumable: false, validation: false, metadata }));
      return;
    }
    const ws = this.file(req.key).createWriteStream({ resumable: true, validation: false, metadata });
    await this.call('upload', req.signal, undefined, (s) => pipeline(rest, ws, { signal: s }));
  }

  async putEmpty(key: string, contentType: string | undefined, signal?: AbortSignal): Promise<void> {
    const metadata = { contentType, storageClass: this.s.storageClass };
    await this.call('upload', signal, SHORT_TIMEOUT_MS, () => this.file(key).save(Buffer.alloc(0), { resumable: false, validation: false, metadata }));
  }

  async copy(from: string, to: string, signal?: AbortSignal): Promise<void> {
    await this.call('copy', signal, LONG_TIMEOUT_MS, () => this.file(from).copy(this.file(to)));
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.call('delete', signal, SHORT_TIMEOUT_MS, () => this.file(key).delete());
  }

  async close(): Promise<void> {}

  private file(key: string): File {
    return this.bucket.file(key);
  }

  /** Runs one SDK call raced against the caller's signal (plus a deadline), with classified errors. */
  private async call<T>(what: string, signal: AbortSignal | undefined, deadline: number | undefined, fn: (s?: AbortSignal) => Promise<T>): Promise<T> {
    const s = deadline ? withDeadline(signal, deadline) : signal;
    try {
      return await raceSignal(fn(s), s);
    } catch (err) {
      throw cloudError(err, (err as { code?: number }).code, what, signal);
    }
  }
}

function meta(key: string, md: GcsMetadata): ObjectMeta {
  return { key, size: Number(md.size ?? 0), mtime: md.updated ? new Date(md.updated) : new Date(0) };
}
