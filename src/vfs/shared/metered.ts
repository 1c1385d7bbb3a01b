/**
 * Counts an object store's calls as SFTPGo's `sftpgo_<b>_*` metrics do (INVENTORY §9.3): uploads
 * and downloads with their bytes, list, copy, delete and head calls, each with its error counter.
 * Wraps any ObjectDriver, so S3, GCS and Azure count the same way. Mapping to SFTPGo's calls:
 * an upload (directory markers included: SFTPGo creates them through its uploader) counts when it
 * settles; a download is one ranged GET and counts when its body ends or is closed (a reader that
 * stops early, e.g. a seek, is not an error; a body that fails is); a head that finds no object
 * counts as a head error, as the SDKs' 404 does in SFTPGo (so does a missing bucket for the bucket
 * check, `head_bucket`, Azure's `head_container`); a list counts per request (page).
 */
import { Transform, pipeline, type Readable } from 'node:stream';
import type { ObjectStoreMetrics, ObjectStoreOp } from '../types.js';
import type { ListRequest, ObjectDriver, ObjectMeta, ObjectPage, UploadRequest } from './driver.js';

type Backend = Parameters<ObjectStoreMetrics['objectStoreCall']>[0];

/** Metric prefix per registered backend name (SFTPGo says `az` for Azure Blob). */
const BACKENDS: Readonly<Record<string, Backend>> = { s3: 's3', gcs: 'gcs', azblob: 'az' };

/** `driver` with its calls counted in `sink`; the driver itself when there is no sink. */
export function meteredDriver(driver: ObjectDriver, sink: ObjectStoreMetrics | undefined): ObjectDriver {
  const backend = BACKENDS[driver.name];
  return sink && backend ? new MeteredDriver(driver, backend, sink) : driver;
}

class MeteredDriver implements ObjectDriver {
  readonly name: string;
  readonly description: string;
  readonly refusedChars?: ObjectDriver['refusedChars'];

  constructor(private readonly d: ObjectDriver, private readonly backend: Backend, private readonly sink: ObjectStoreMetrics) {
    this.name = d.name;
    this.description = d.description;
    if (d.refusedChars) this.refusedChars = d.refusedChars;
  }

  private count(op: ObjectStoreOp, ok: boolean, bytes?: number): void {
    this.sink.objectStoreCall(this.backend, op, ok, bytes);
  }

  private async counted<T>(op: ObjectStoreOp, call: Promise<T>, ok: (v: T) => boolean = () => true): Promise<T> {
    try {
      const v = await call;
      this.count(op, ok(v));
      return v;
    } catch (err) {
      this.count(op, false);
      throw err;
    }
  }

  headRoot(signal?: AbortSignal): Promise<boolean> {
    return this.counted('head_bucket', this.d.headRoot(signal), (found) => found);
  }

  head(key: string, signal?: AbortSignal): Promise<ObjectMeta | undefined> {
    return this.counted('head_object', this.d.head(key, signal), (m) => m !== undefined);
  }

  list(req: ListRequest): Promise<ObjectPage> {
    return this.counted('list_objects', this.d.list(req));
  }

  async read(key: string, start: number, end: number | undefined, signal?: AbortSignal): Promise<Readable> {
    let body: Readable;
    try {
      body = await this.d.read(key, start, end, signal);
    } catch (err) {
      this.count('download', false, 0);
      throw err;
    }
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb(null, chunk);
      },
    });
    pipeline(body, counter, (err) => this.count('download', !err || isConsumerClose(err, counter), bytes));
    return counter;
  }

  async upload(req: UploadRequest): Promise<void> {
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb(null, chunk);
      },
    });
    // pipeline: a driver that destroys the body (abort) destroys the caller's stream too, as before.
    pipeline(req.body, counter, () => undefined);
    try {
      await this.d.upload({ ...req, body: counter });
    } catch (err) {
      this.count('upload', false, bytes);
      throw err;
    }
    this.count('upload', true, bytes);
  }

  putEmpty(key: string, contentType: string | undefined, signal?: AbortSignal): Promise<void> {
    return this.counted('upload', this.d.putEmpty(key, contentType, signal));
  }

  copy(from: string, to: string, signal?: AbortSignal): Promise<void> {
    return this.counted('copy_object', this.d.copy(from, to, signal));
  }

  delete(key: string, signal?: AbortSignal): Promise<void> {
    return this.counted('delete_object', this.d.delete(key, signal));
  }

  close(): Promise<void> {
    return this.d.close();
  }
}

/** The reader destroyed the counted body without an error of its own (stopped reading early). */
function isConsumerClose(err: Error, counter: Transform): boolean {
  return (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && counter.destroyed && !counter.errored;
}
