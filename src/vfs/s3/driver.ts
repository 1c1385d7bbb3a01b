/**
 * S3 driver over the official SDK (@aws-sdk/client-s3 + @aws-sdk/lib-storage for multipart
 * uploads). Loaded lazily by the factory, so the SDK costs nothing until an S3 user logs in.
 */
import { Readable } from 'node:stream';
import {
  CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
  S3Client, type StorageClass,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ErrorKind } from '../../util/errors.js';
import type { ListRequest, ObjectDriver, ObjectMeta, ObjectPage, UploadRequest } from '../shared/driver.js';
import { cloudError, LONG_TIMEOUT_MS, SHORT_TIMEOUT_MS, withDeadline } from '../shared/cloud.js';

/** Resolved S3 settings (secrets in clear, sizes in bytes). */
export interface S3Settings {
  bucket: string;
  region: string;
  accessKey?: string;
  accessSecret?: string;
  endpoint?: string;
  storageClass?: string;
  partSize: number;
  concurrency: number;
}

/** Talks to one bucket. */
export class S3Driver implements ObjectDriver {
  readonly name = 's3';
  readonly description: string;
  private readonly client: S3Client;

  constructor(private readonly s: S3Settings, keyPrefix: string) {
    this.description = `s3:${s.bucket}/${keyPrefix}`;
    this.client = new S3Client({
      region: s.region,
      // A custom endpoint (MinIO and the like) means path-style addressing, as SFTPGo does.
      ...(s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true } : {}),
      ...(s.accessKey ? { credentials: { accessKeyId: s.accessKey, secretAccessKey: s.accessSecret ?? '' } } : {}),
      // Without this the SDK sends aws-chunked bodies with trailing checksums, which S3-compatible
      // servers may store verbatim (LIBS.md: s3rver keeps the chunk framing inside the object).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async headRoot(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call('HeadBucket', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.client.send(new HeadBucketCommand({ Bucket: this.s.bucket }), { abortSignal }));
      return true;
    } catch (err) {
      if ((err as { kind?: string }).kind === ErrorKind.NotFound) return false;
      throw err;
    }
  }

  async head(key: string, signal?: AbortSignal): Promise<ObjectMeta | undefined> {
    try {
      const r = await this.call('HeadObject', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.client.send(new HeadObjectCommand({ Bucket: this.s.bucket, Key: key }), { abortSignal }));
      return { key, size: r.ContentLength ?? 0, mtime: r.LastModified ?? new Date(0) };
    } catch (err) {
      if ((err as { kind?: string }).kind === ErrorKind.NotFound) return undefined;
      throw err;
    }
  }

  async list(req: ListRequest): Promise<ObjectPage> {
    const r = await this.call('ListObjectsV2', req.signal, SHORT_TIMEOUT_MS, (abortSignal) => this.client.send(new ListObjectsV2Command({
      Bucket: this.s.bucket, Prefix: req.prefix, Delimiter: req.delimiter, ContinuationToken: req.token, MaxKeys: req.max,
    }), { abortSignal }));
    return {
      objects: (r.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size ?? 0, mtime: o.LastModified ?? new Date(0) })),
      prefixes: (r.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter((p) => p !== ''),
      next: r.IsTruncated ? r.NextContinuationToken : undefined,
    };
  }

  async read(key: string, start: number, end: number | undefined, signal?: AbortSignal): Promise<Readable> {
    const range = `bytes=${start}-${end === undefined ? '' : end - 1}`;
    const r = await this.call('GetObject', signal, undefined, (abortSignal) => this.client.send(new GetObjectCommand({ Bucket: this.s.bucket, Key: key, Range: range }), { abortSignal }));
    if (!(r.Body instanceof Readable)) throw cloudError(new Error('unexpected body type'), undefined, 'download');
    return r.Body;
  }

  async upload(req: UploadRequest): Promise<void> {
    const ac = new AbortController();
    const up = new Upload({
      client: this.client,
      params: {
        Bucket: this.s.bucket, Key: req.key, Body: req.body, ContentType: req.contentType,
        StorageClass: this.s.storageClass ? (this.s.storageClass as StorageClass) : undefined,
      },
      partSize: this.s.partSize,
      queueSize: this.s.concurrency,
      leavePartsOnError: false,
      abortController: ac,
    });
    const onAbort = (): void => void up.abort().catch(() => undefined);
    req.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await up.done();
    } catch (err) {
      throw cloudError(err, statusOf(err), 'upload', req.signal);
    } finally {
      req.signal.removeEventListener('abort', onAbort);
    }
  }

  async putEmpty(key: string, contentType: string | undefined, signal?: AbortSignal): Promise<void> {
    await this.call('PutObject', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.client.send(new PutObjectCommand({
      Bucket: this.s.bucket, Key: key, Body: '', ContentLength: 0, ContentType: contentType,
      StorageClass: this.s.storageClass ? (this.s.storageClass as StorageClass) : undefined,
    }), { abortSignal }));
  }

  async copy(from: string, to: string, signal?: AbortSignal): Promise<void> {
    await this.call('CopyObject', signal, LONG_TIMEOUT_MS, (abortSignal) => this.client.send(new CopyObjectCommand({
      Bucket: this.s.bucket, Key: to, CopySource: `${this.s.bucket}/${encodeKey(from)}`,
      StorageClass: this.s.storageClass ? (this.s.storageClass as StorageClass) : undefined,
    }), { abortSignal }));
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.call('DeleteObject', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.client.send(new DeleteObjectCommand({ Bucket: this.s.bucket, Key: key }), { abortSignal }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Runs one SDK call with the caller's signal (plus a deadline) and classified errors. */
  private async call<T>(what: string, signal: AbortSignal | undefined, deadline: number | undefined, fn: (s?: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await fn(deadline ? withDeadline(signal, deadline) : signal);
    } catch (err) {
      throw cloudError(err, statusOf(err), what, signal);
    }
  }
}

/** HTTP status of an SDK error. */
function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** CopySource is "bucket/key" URL-encoded, with the key's slashes kept. */
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/');
}
